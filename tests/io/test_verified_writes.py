"""One rule for every output (io/atomic.py): verified completely, then replaced only if nothing failed and no
cancel arrived; several outputs replaced together; write-protected targets refused before any work; links
followed. Every failure leaves the target byte-identical and no temporary file ('.' names) behind."""

import errno
import io
import os
import signal
import stat
import struct

import pytest
from PIL import Image

from ganviz.io.atomic import OutputError, Transaction, atomic_path, atomic_write_bytes, atomic_write_text, check_output
from ganviz.io.limits import InputError, clip
from ganviz.io.signals import CancelFlag, Cancelled

OLD = b"the old file\n"


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 32), "red").save(buf, format="PNG")
    return buf.getvalue()


def _gif() -> bytes:
    buf = io.BytesIO()
    frames = [Image.new("P", (32, 32), i) for i in range(3)]
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return buf.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


MP4 = _box(b"ftyp", b"isom\0\0\2\0isom") + _box(b"moov", b"\0" * 64) + _box(b"mdat", b"\1" * 256)
PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>\n'
GOOD = {".png": _png(), ".gif": _gif(), ".mp4": MP4, ".pdf": PDF, ".svg": SVG, ".json": b'{"a": [1, 2]}',
        ".csv": "x,y\n1,2\n".encode(), ".md": "# ok — ü\n".encode()}
BROKEN = {  # what a full disk, a killed encoder or a silent writer leaves behind
    ".png": GOOD[".png"][:-20], ".gif": GOOD[".gif"][:-30], ".mp4": MP4[:-40],
    ".pdf": PDF[:-7], ".svg": SVG[:-8], ".json": b'{"a": [1, 2', ".csv": b"x,y\n1,\xff\n", ".md": b"\xc3(",
}


def write_via_path(target, data: bytes, cancel=None) -> None:
    """As an external writer (Pillow, QPdfWriter, ffmpeg) does: into the temporary path."""
    with atomic_path(target, cancel=cancel) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)


@pytest.mark.parametrize("suffix", sorted(GOOD))
def test_a_complete_file_of_each_format_replaces_the_target(tmp_path, suffix):
    target = tmp_path / f"out{suffix}"
    target.write_bytes(OLD)
    write_via_path(target, GOOD[suffix])
    assert target.read_bytes() == GOOD[suffix] and leftovers(tmp_path) == []


@pytest.mark.parametrize("suffix", sorted(BROKEN))
def test_an_incomplete_file_of_each_format_is_refused_and_the_target_kept(tmp_path, suffix):
    target = tmp_path / f"out{suffix}"
    target.write_bytes(OLD)
    with pytest.raises(OutputError, match=f"cannot write '.*out\\{suffix}'") as info:
        write_via_path(target, BROKEN[suffix])
    assert "\n" not in str(info.value)
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_pdf_without_eof_says_so(tmp_path):
    with pytest.raises(OutputError, match="no %%EOF"):
        write_via_path(tmp_path / "fig.pdf", PDF[:-7])


def test_a_short_write_is_refused(tmp_path, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data)[:5]) and 0)  # then nothing
    target = tmp_path / "m.json"
    target.write_bytes(OLD)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_text(target, '{"a": 1}')
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_full_disk_in_the_second_output_replaces_neither(tmp_path, monkeypatch):
    first, second = tmp_path / "m.json", tmp_path / "f.csv"
    first.write_bytes(OLD)
    second.write_bytes(OLD)
    real_write = os.write

    def full_for_csv(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".csv"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_for_csv)
    with pytest.raises(OutputError, match="f.csv.*No space left"):
        with Transaction() as tx:
            tx.write_text(first, "{}")
            tx.write_text(second, "x\n1\n")
    assert first.read_bytes() == OLD and second.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_failure_after_staging_discards_every_output(tmp_path):
    first, second = tmp_path / "m.json", tmp_path / "f.csv"
    first.write_bytes(OLD)
    with pytest.raises(RuntimeError):
        with Transaction() as tx:
            tx.write_text(first, "{}")
            tx.write_text(second, "x\n1\n")
            raise RuntimeError("the run diverged")
    assert first.read_bytes() == OLD and not second.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_cancel_before_the_replace_writes_nothing(tmp_path, sig):
    """A signal that arrives while the encoder finishes (after the last frame) still wins: the flag is
    checked immediately before the rename."""
    target = tmp_path / "run.mp4"
    target.write_bytes(OLD)
    flag = CancelFlag()
    with pytest.raises(Cancelled) as info:
        with atomic_path(target, cancel=flag) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(MP4)
            flag.set(sig)  # ffmpeg is done, the rename is next
    assert info.value.signum == sig
    assert target.read_bytes() == OLD and leftovers(tmp_path) == [] and flag.written == []


def test_the_cancel_flag_lists_what_was_replaced(tmp_path):
    flag = CancelFlag()
    with Transaction(flag) as tx:
        tx.write_text(tmp_path / "a.json", "{}")
        tx.write_text(tmp_path / "b.csv", "x\n")
    assert [os.path.basename(p) for p in flag.written] == ["a.json", "b.csv"]


def test_a_target_made_read_only_during_the_work_is_refused_before_any_rename(tmp_path):
    first, second = tmp_path / "m.json", tmp_path / "f.csv"
    first.write_bytes(OLD)
    second.write_bytes(OLD)
    with pytest.raises(OutputError, match="f.csv.*write-protected"):
        with Transaction() as tx:
            tx.write_text(first, "{}")
            tx.write_text(second, "x\n")
            second.chmod(0o444)
    assert first.read_bytes() == OLD and second.read_bytes() == OLD and leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o000])
def test_a_write_protected_target_is_refused_before_any_work_even_for_root(tmp_path, mode):
    target = tmp_path / "m.json"
    target.write_bytes(OLD)
    target.chmod(mode)
    with pytest.raises(InputError, match="write-protected"):
        check_output(target, (".json",))
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "private.json"
    target.write_bytes(OLD)
    target.chmod(0o600)
    atomic_write_bytes(target, b"{}")
    assert target.read_bytes() == b"{}" and stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("name,needle", [("dir.json", "is a folder"), ("fifo.json", "not a regular file")])
def test_a_folder_or_a_device_is_never_a_target(tmp_path, name, needle):
    (tmp_path / "dir.json").mkdir()
    os.mkfifo(tmp_path / "fifo.json")
    with pytest.raises(InputError, match=needle):
        check_output(tmp_path / name, (".json",))


def test_a_symlink_is_followed_and_stays_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "m.json"
    real.write_bytes(OLD)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    check_output(link, (".json",))
    atomic_write_text(link, '{"new": 1}')
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == '{"new": 1}'
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


def test_a_dangling_symlink_creates_the_file_it_names_and_a_loop_is_refused(tmp_path):
    link = tmp_path / "new.json"
    link.symlink_to(tmp_path / "made.json")
    atomic_write_text(link, "{}")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "{}"
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(InputError, match="loop"):
        check_output(loop, (".json",))


@pytest.mark.parametrize("name,needle", [("a\0b.json", "NUL byte"), ("x" * 300 + ".json", "too long"),
                                         ("d/" * 3000 + "m.json", "too long")])
def test_impossible_names_are_bad_input_in_one_short_line(tmp_path, name, needle):
    with pytest.raises(InputError, match=needle) as info:
        check_output(str(tmp_path / name), (".json",))
    assert len(str(info.value)) < 200


def test_clip_keeps_user_text_short_and_on_one_line():
    assert clip("a" * 1000 + "/m.json") == "a" * 53 + "…" + "a" * 19 + "/m.json"
    assert len(clip("a" * 1000)) == 80
    assert clip("two\nlines") == "two\\nlines"
    assert clip("short") == "short"
