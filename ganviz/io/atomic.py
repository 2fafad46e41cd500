"""Verified, atomic output: every file ganviz writes appears whole and readable under its name, or not at all.

One rule for every output (a command, a menu action, the export job):

1. ``check_output`` before any work: the extension, the folder, and the target itself — a write-protected file
   (no write bit, or no permission for this user), a folder or a device is refused as bad input (exit 2)
   before minutes of training, not after.
2. The data goes to a hidden temporary file in the folder of the file that will be replaced. A symbolic link
   is followed: the file it points to is replaced, atomically in *its* folder, and the link stays a link.
3. The temporary file is verified completely — its size and its format (a PDF ends with %%EOF, a PNG and a
   GIF decode, an MP4 has an ``ftyp`` box first, a ``moov`` box and no box running past its end, JSON parses,
   SVG parses as XML, CSV and Markdown are UTF-8) — because some writers (QPdfWriter) report success on a
   full disk and leave a truncated file. Then it is fsynced.
4. Only then, and only if no cancel arrived (the CancelFlag is checked immediately before the rename), it is
   renamed over the target. A command with several outputs stages them all in one ``Transaction`` and
   renames them together at the end: a failure while writing the second never leaves the first replaced.

A replaced file keeps its permission bits; a new file gets the user's umask (mkstemp alone makes it private).
On any error, cancel or signal the temporary files are removed and every existing target is left as it was.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import os
import stat
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ganviz.io.limits import InputError, check_path_text, clip
from ganviz.io.signals import CancelFlag


class OutputError(OSError):
    """The output could not be written; the message is one line naming the file and the reason."""


class _Invalid(Exception):
    """The temporary file is not a complete file of its format (the reason, for OutputError)."""


# --- before any work -----------------------------------------------------------------------------------
def real_target(path: str | os.PathLike) -> Path:
    """The file that writing ``path`` replaces: symbolic links followed (the link itself is never replaced)."""
    return Path(os.path.realpath(os.fspath(path)))


def _writable_problem(real: Path) -> str | None:
    """Why an existing ``real`` cannot be replaced, or None. Root passes every os.access check, so a file
    whose mode has no write bit for anyone (chmod 0444) is refused on its mode bits too."""
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISDIR(st.st_mode):
        return "it is a folder"
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
        return "the file is write-protected (make it writable, e.g. chmod u+w, to let ganviz replace it)"
    return None


def check_output(path: str | os.PathLike, suffixes: tuple[str, ...]) -> Path:
    """``path`` as a Path if it can be written; InputError (bad input, exit 2) naming why not."""
    text = check_path_text(path, "write")
    p, name = Path(text), clip(text)
    if p.suffix.lower() not in suffixes:
        raise InputError(f"cannot write '{name}': unknown extension '{clip(p.suffix, 20)}' "
                         f"(use {', '.join(suffixes)})")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write '{name}': folder '{clip(folder)}' does not exist")
    real = real_target(p)
    if real.is_symlink():
        raise InputError(f"cannot write '{name}': it is a symbolic link that never reaches a file (a loop)")
    if real != Path(os.path.abspath(p)) and not real.parent.is_dir():
        raise InputError(f"cannot write '{name}': it links to '{clip(real)}', whose folder does not exist")
    problem = _writable_problem(real)
    if problem:
        raise InputError(f"cannot write '{name}': {problem}")
    if not os.access(real.parent, os.W_OK):
        raise InputError(f"cannot write '{name}': no permission to write in '{clip(real.parent)}'")
    return p


# --- verification --------------------------------------------------------------------------------------
def _tail(path: str, n: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(max(0, os.path.getsize(path) - n))
        return fh.read()


def _verify_pdf(path: str) -> None:
    with open(path, "rb") as fh:
        if not fh.read(5) == b"%PDF-":
            raise _Invalid("it is not a PDF")
    if not _tail(path, 1024).rstrip().endswith(b"%%EOF"):
        raise _Invalid("the PDF is incomplete (no %%EOF at its end; is the disk full?)")


def _verify_png(path: str) -> None:
    from PIL import Image
    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                raise _Invalid("it is not a PNG")
            image.verify()  # every chunk's CRC, up to IEND
    except _Invalid:
        raise
    except Exception as exc:  # noqa: BLE001 — Pillow raises SyntaxError, OSError, struct.error … on a bad file
        raise _Invalid(f"the PNG does not decode ({clip(exc)})") from None


def _verify_gif(path: str) -> None:
    from PIL import Image
    if _tail(path, 1) != b";":
        raise _Invalid("the GIF is incomplete (no trailer)")
    try:
        with Image.open(path) as image:
            if image.format != "GIF":
                raise _Invalid("it is not a GIF")
            image.seek(image.n_frames - 1)  # walks every frame
            image.load()
    except _Invalid:
        raise
    except Exception as exc:  # noqa: BLE001 — as for PNG
        raise _Invalid(f"the GIF does not decode ({clip(exc)})") from None


def _verify_mp4(path: str) -> None:
    """Top-level boxes: ``ftyp`` first (at offset 4), a ``moov`` and an ``mdat``, none past the end."""
    size, offset, kinds = os.path.getsize(path), 0, []
    with open(path, "rb") as fh:
        while offset < size:
            fh.seek(offset)
            header = fh.read(16)
            if len(header) < 8:
                raise _Invalid("the MP4 is incomplete (a box header is cut off)")
            length, kind = struct.unpack(">I4s", header[:8])
            if length == 1 and len(header) == 16:
                length = struct.unpack(">Q", header[8:16])[0]
            elif length == 0:
                length = size - offset
            if length < 8 or offset + length > size:
                raise _Invalid(f"the MP4 is incomplete (box {kind!r} runs past its end)")
            kinds.append(kind)
            offset += length
    if not kinds or kinds[0] != b"ftyp":
        raise _Invalid("it is not an MP4 (no ftyp box at its start)")
    if b"moov" not in kinds or b"mdat" not in kinds:
        raise _Invalid("the MP4 is incomplete (no moov / mdat box)")


def _utf8_text(path: str) -> str:
    decoder, parts = codecs.getincrementaldecoder("utf-8")(), []
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                parts.append(decoder.decode(chunk))
            parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise _Invalid("it is not UTF-8 text") from None
    return "".join(parts)


def _verify_text(path: str) -> None:
    _utf8_text(path)


def _verify_json(path: str) -> None:
    try:
        json.loads(_utf8_text(path))
    except json.JSONDecodeError as exc:
        raise _Invalid(f"the JSON does not parse ({exc.msg} at line {exc.lineno})") from None


def _verify_svg(path: str) -> None:
    import xml.etree.ElementTree as ET
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise _Invalid(f"the SVG does not parse as XML ({clip(exc)})") from None
    if not root.tag.endswith("svg"):
        raise _Invalid("it is not an SVG (its root element is not <svg>)")


VERIFIERS: dict[str, Callable[[str], None]] = {
    ".pdf": _verify_pdf, ".png": _verify_png, ".gif": _verify_gif, ".mp4": _verify_mp4, ".json": _verify_json,
    ".svg": _verify_svg, ".csv": _verify_text, ".md": _verify_text, ".srt": _verify_text,
}


def verify(path: str | os.PathLike, suffix: str, size: int | None = None) -> None:
    """Raise _Invalid unless ``path`` is a complete file of the format ``suffix`` names (of ``size`` bytes
    when the size is known)."""
    actual = os.path.getsize(path)
    if actual == 0:
        raise _Invalid("nothing was written")
    if size is not None and actual != size:
        raise _Invalid(f"only {actual:,} of {size:,} bytes were written")
    check = VERIFIERS.get(suffix.lower())
    if check is not None:
        check(os.fspath(path))


# --- writing -------------------------------------------------------------------------------------------
def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _mode_for(real: Path) -> int:
    """The replaced file's permission bits (a private file stays private), else the umask's."""
    try:
        return stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        return _default_mode()


def _write_all(tmp: str, data: bytes) -> None:
    """All of ``data`` into ``tmp`` with os.write (a short write is retried; 0 bytes is a full disk)."""
    fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            if n <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            view = view[n:]
    finally:
        os.close(fd)


def _fsync(path: str | os.PathLike, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _failure(name: str, exc: OSError) -> OutputError:
    if isinstance(exc, OutputError):
        return exc
    return OutputError(f"cannot write '{name}': {exc.strerror or clip(exc)}")


@dataclass
class _Staged:
    name: str  # the target as the user named it, clipped (for messages and the cancel flag's ledger)
    real: Path  # the file it replaces (a symbolic link followed)
    tmp: str


class Transaction:
    """The outputs of one command, replaced together: ``path`` / ``write_bytes`` / ``write_text`` stage each
    one (written to a temporary file, verified, fsynced), ``commit`` renames them all over their targets —
    unless a cancel arrived —, ``discard`` removes them all. As a context manager it commits on a clean exit
    and discards on any exception (a diverged run, a full disk, a signal)."""

    def __init__(self, cancel: CancelFlag | None = None):
        self.cancel = cancel
        self._staged: list[_Staged] = []

    def __enter__(self) -> "Transaction":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None:
            self.commit()
        else:
            self.discard()
        return False

    @contextlib.contextmanager
    def path(self, target: str | os.PathLike, size: int | None = None) -> Iterator[str]:
        """A temporary path (same folder as the replaced file, same suffix) for ``target``'s content; on a
        clean exit it is verified and staged. OSError becomes OutputError with a one-line message."""
        name = clip(os.fspath(target))
        suffix = Path(os.fspath(target)).suffix
        real = real_target(target)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{real.stem[:40]}.", suffix=suffix or ".part", dir=real.parent)
        except OSError as exc:
            raise _failure(name, exc) from None
        os.close(fd)
        try:
            yield tmp
            verify(tmp, suffix, size)
            _fsync(tmp)
            os.chmod(tmp, _mode_for(real))
        except _Invalid as exc:
            _remove(tmp)
            raise OutputError(f"cannot write '{name}': {exc}") from None
        except OSError as exc:
            _remove(tmp)
            raise _failure(name, exc) from None
        except BaseException:
            _remove(tmp)
            raise
        self._staged.append(_Staged(name, real, tmp))

    def write_bytes(self, target: str | os.PathLike, data: bytes) -> None:
        with self.path(target, size=len(data)) as tmp:
            _write_all(tmp, data)

    def write_text(self, target: str | os.PathLike, text: str) -> None:
        self.write_bytes(target, text.encode("utf-8"))

    def commit(self) -> list[str]:
        """Rename every staged file over its target; Cancelled (nothing replaced) if a cancel arrived.
        Returns the names written; each is also entered in the cancel flag's ledger as it is replaced."""
        try:
            if self.cancel is not None:
                self.cancel.check()
            for s in self._staged:  # permissions may have changed during a long export: refuse before any rename
                problem = _writable_problem(s.real)
                if problem:
                    raise OutputError(f"cannot write '{s.name}': {problem}")
            done: list[str] = []
            for s in self._staged:
                try:
                    os.replace(s.tmp, s.real)
                except OSError as exc:
                    already = f"; already replaced: {', '.join(done)}" if done else ""
                    raise OutputError(f"cannot write '{s.name}': {exc.strerror or clip(exc)}{already}") from None
                done.append(s.name)
                if self.cancel is not None:
                    self.cancel.wrote(s.name)
            for folder in {s.real.parent for s in self._staged}:
                with contextlib.suppress(OSError):
                    _fsync(folder, directory=True)  # the renames themselves survive a power cut
            return done
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove every staged temporary file; the targets stay as they were."""
        for s in self._staged:
            _remove(s.tmp)
        self._staged = []


# --- one output ----------------------------------------------------------------------------------------
@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, cancel: CancelFlag | None = None) -> Iterator[str]:
    """Yield a temporary path to write; on a clean exit it is verified and replaces ``path`` (unless
    ``cancel`` is set: Cancelled). Any exception removes the temporary file and propagates."""
    with Transaction(cancel) as tx:
        with tx.path(path) as tmp:
            yield tmp


def atomic_write_bytes(path: str | os.PathLike, data: bytes, cancel: CancelFlag | None = None) -> None:
    with Transaction(cancel) as tx:
        tx.write_bytes(path, data)


def atomic_write_text(path: str | os.PathLike, text: str, cancel: CancelFlag | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), cancel)
