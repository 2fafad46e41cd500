"""Files that never lie, against a hostile user (issue 19): a full disk, a signal at the last moment, a
write-protected or linked target, a diverged run, absurd names and values. Every failure: a non-zero exit,
one short stderr line without a traceback, the target byte-identical, no temporary file ('.' names).

In-process through ganviz.cli.main (the same main() the command runs); only the window's scripted
screenshot runs as its own process. A full disk is RLIMIT_FSIZE lowered around the call (SIGXFSZ ignored, so
writes fail with EFBIG as on a full disk) or an injected ENOSPC."""

import contextlib
import errno
import json
import os
import resource
import signal
import subprocess
import tracemalloc
import warnings

import pytest

from ganviz.cli import main
from ganviz.io import limits
from tests.cli.helpers import ganviz, one_line

OLD = b"the old file, which must survive\n"
FAST = ["--set", "batch_size=64", "--set", "g_width=16", "--set", "d_width=16", "--set", "record_every=10"]
DIVERGE = ["--set", "optimizer=sgd", "--set", "lr_d=10", "--set", "lr_g=10", "--set", "momentum=0.99"]


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def olds(folder, *names):
    """Targets that already hold a good old file."""
    paths = [folder / n for n in names]
    for p in paths:
        p.write_bytes(OLD)
    return paths


def failed(capsys, code: int, expected: int) -> str:
    """The one stderr line of a failed command (asserting its exit code)."""
    err = capsys.readouterr().err
    assert code == expected, (code, err)
    line = one_line(err)
    assert len(line) <= 1000, len(line)  # bounded (a 128 KB name once made a 131 KB line)
    return line


def untouched(folder, *paths):
    assert all(p.read_bytes() == OLD for p in paths)
    assert leftovers(folder) == []


@contextlib.contextmanager
def small_disk(limit: int):
    """Files may not grow past ``limit`` bytes while the block runs (this process only)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if hard != resource.RLIM_INFINITY and hard < limit:
        pytest.skip("the hard file-size limit is too low to test with")
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


# --- 1. a full disk ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,limit", [("fig.pdf", 48 << 10), ("fig.png", 8 << 10)])
def test_a_full_disk_fails_the_figure_and_keeps_the_old_file(tmp_path, capsys, name, limit):
    """QPdfWriter reports nothing on a full disk: the PDF is truncated (no %%EOF) and used to replace the
    good one with exit 0."""
    (out,) = olds(tmp_path, name)
    with small_disk(limit):
        code = main(["figure", "--steps", "20", "--size", "640x240", "--out", str(out)] + FAST)
    assert "cannot write" in failed(capsys, code, 1)
    untouched(tmp_path, out)


# --- 2. a signal while ffmpeg finishes -------------------------------------------------------------------
@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_ffmpeg_finishes_writes_nothing(tmp_path, capsys, monkeypatch, sig, code):
    (out,) = olds(tmp_path, "run.mp4")
    real_wait = subprocess.Popen.wait

    def wait_and_get_a_signal(self, timeout=None):  # the user presses Ctrl+C while ganviz waits for ffmpeg
        signal.raise_signal(sig)
        return real_wait(self, timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", wait_and_get_a_signal)
    got = main(["export", "--steps", "20", "--every", "10", "--size", "160x96", "--fps", "10", "--out", str(out)]
               + FAST)
    assert "nothing written" in failed(capsys, got, code)
    untouched(tmp_path, out)


def test_a_signal_after_the_files_were_written_does_not_claim_nothing_was_written(tmp_path, capsys, monkeypatch):
    import ganviz.cli.run as run_cli
    real = run_cli.cmd_run

    def run_then_signal(args):
        code = real(args)
        signal.raise_signal(signal.SIGINT)  # after the replace, before main returns
        return code

    monkeypatch.setattr(run_cli, "cmd_run", run_then_signal)  # add_parser reads it when main builds the parser
    out = tmp_path / "m.json"
    code = main(["run", "--steps", "10", "--metrics", str(out)] + FAST)
    line = failed(capsys, code, 130)
    assert "after writing" in line and "m.json" in line and "nothing written" not in line
    assert json.loads(out.read_text())["config"]["steps"] == 10


# --- 3. a write-protected target ------------------------------------------------------------------------
@pytest.mark.parametrize("args,name", [
    (["run", "--steps", "10", "--metrics"], "m.json"),
    (["run", "--steps", "10", "--frame"], "f.csv"),
    (["export", "--out"], "run.mp4"),
    (["figure", "--out"], "fig.pdf"),
    (["sweep", "--x", "seed=0,1", "--y", "lr_d=1e-3,1e-2", "--out"], "grid.png"),
    (["gui", "--screenshot"], "s.png"),
    (["bench", "--json"], "b.json"),
], ids=lambda v: v if isinstance(v, str) else v[0])
def test_a_write_protected_target_is_refused_before_any_work(tmp_path, capsys, args, name):
    (out,) = olds(tmp_path, name)
    out.chmod(0o444)  # root writes anyway: the mode bits are checked too
    code = main(args + [str(out)])
    assert "write-protected" in failed(capsys, code, 2)
    assert capsys.readouterr().out == ""  # nothing ran
    untouched(tmp_path, out)
    assert out.stat().st_mode & 0o777 == 0o444


# --- 4. a diverged run, a full disk with two outputs ---------------------------------------------------
def test_a_diverged_run_replaces_neither_output(tmp_path, capsys):
    metrics, frame = olds(tmp_path, "m.json", "f.csv")
    code = main(["run", "--steps", "3000", "--metrics", str(metrics), "--frame", str(frame)] + DIVERGE)
    line = failed(capsys, code, 3)
    assert "diverged" in line and "nothing written" in line
    untouched(tmp_path, metrics, frame)


def test_a_full_disk_on_the_second_output_replaces_neither(tmp_path, capsys, monkeypatch):
    metrics, frame = olds(tmp_path, "m.json", "f.csv")
    real_write = os.write

    def full_for_the_frame(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".csv"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_for_the_frame)
    code = main(["run", "--steps", "10", "--metrics", str(metrics), "--frame", str(frame)] + FAST)
    assert "No space left" in failed(capsys, code, 1)
    untouched(tmp_path, metrics, frame)


def test_both_outputs_of_a_good_run_are_written(tmp_path, capsys):
    metrics, frame = tmp_path / "m.json", tmp_path / "f.csv"
    assert main(["run", "--steps", "10", "--metrics", str(metrics), "--frame", str(frame)] + FAST) == 0
    assert json.loads(metrics.read_text())["config"]["steps"] == 10
    assert frame.read_text().startswith("x,x_lo,x_hi,p_data,p_g,") and frame.read_text().count("\n") > 10
    assert leftovers(tmp_path) == []


# --- 5. a refusal from the training process ends --screenshot -------------------------------------------
def test_a_screenshot_on_a_missing_device_ends_with_the_refusal(tmp_path):
    import torch
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: nothing is refused")
    (out,) = olds(tmp_path, "s.png")
    r = ganviz("gui", "--device", "cuda", "--steps", "10", "--screenshot", str(out), timeout=90)
    assert r.returncode == 2, r.stderr
    assert "CUDA" in one_line(r.stderr)
    untouched(tmp_path, out)


def test_a_refused_new_run_is_reported_under_its_own_epoch():
    from ganviz.config import TrainConfig
    from ganviz.engine.live import LiveLoop
    from ganviz.engine.messages import NewRun, Notice
    loop = LiveLoop(TrainConfig(batch_size=64, g_width=16, d_width=16))
    loop.take()
    loop.handle(NewRun(7, TrainConfig(data_path="/no/such.csv", target="empirical")))
    notices = [m for m in loop.take() if isinstance(m, Notice)]
    assert [(n.epoch, n.level) for n in notices] == [(7, "error")]


# --- 6. a signal during the search for ffmpeg -----------------------------------------------------------
@pytest.mark.parametrize("found", [True, False])
def test_a_signal_while_looking_for_ffmpeg_is_a_clean_interrupt(tmp_path, capsys, monkeypatch, found):
    import imageio_ffmpeg
    (out,) = olds(tmp_path, "run.mp4")
    held = []

    def get_ffmpeg_exe():  # Ctrl+C in the terminal during `ffmpeg -version`
        held.append({signal.SIGINT, signal.SIGTERM} <= signal.pthread_sigmask(signal.SIG_BLOCK, []))
        os.kill(os.getpid(), signal.SIGINT)
        if found:
            return "ffmpeg"
        raise RuntimeError("No ffmpeg exe could be found. Install ffmpeg on your system, or set ...")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", get_ffmpeg_exe)
    code = main(["export", "--steps", "20", "--every", "10", "--size", "160x96", "--fps", "10", "--out", str(out)]
                + FAST)
    line = failed(capsys, code, 130)
    assert line == "ganviz: interrupted; nothing written"
    assert held == [True]  # the version check's child inherits the mask: the terminal's Ctrl+C cannot kill it
    untouched(tmp_path, out)


# --- 7. absurd names and values: exit 2, one short line -------------------------------------------------
LONG = "x" * (128 << 10)
EMPIRICAL = ["--set", "target=empirical"]
ABSURD = [
    (["run"] + EMPIRICAL + ["--set", f"data_path={LONG}.csv"], "too long"),
    (["run"] + EMPIRICAL + ["--set", "data_path=a\0b.csv"], "NUL byte"),
    (["run"] + EMPIRICAL + ["--set", f"data_column={LONG}"], "has no column"),
    (["run", "--config", f"{LONG}.json"], "too long"),
    (["run", "--config", "a\0b.json"], "NUL byte"),
    (["run", "--metrics", f"T/{LONG}.json"], "too long"),
    (["run", "--metrics", "T/a\0b.json"], "NUL byte"),
    (["run", "--metrics", "T/two\nlines.json"], None),  # accepted: a newline is a legal file name character
    (["run", "--preset", LONG], "unknown preset"),
    (["export", "--out", "T/e.mp4", "--size", LONG], "--size"),
    (["figure", "--out", "T/f.png", "--at", LONG], "--at"),
]


@pytest.mark.parametrize("args,needle", ABSURD, ids=[f"{a[1]} {a[-1][:20]!r}" for a, _ in ABSURD])
def test_absurd_names_are_one_short_line(tmp_path, capsys, args, needle):
    args = [a.replace("T/", f"{tmp_path}/") for a in args]
    if needle is None:
        assert main(args + ["--steps", "5"] + FAST) == 0
        return
    code = main(args)
    line = failed(capsys, code, 2)
    assert needle in line and "internal error" not in line
    assert list(tmp_path.iterdir()) == []


# --- 8. a sweep axis of booleans -----------------------------------------------------------------------
def test_a_boolean_axis_refuses_words_it_does_not_know(tmp_path, capsys):
    out = tmp_path / "grid.json"
    code = main(["sweep", "--x", "minibatch_std=abc,maybe", "--y", "seed=0,1", "--out", str(out)])
    line = failed(capsys, code, 2)
    assert "minibatch_std takes true or false, got 'abc'" in line
    assert list(tmp_path.iterdir()) == []


# --- 9. caps before parsing, no numpy warning, the schedule, --at ---------------------------------------
def test_a_csv_of_21000_columns_is_refused_within_a_few_megabytes(tmp_path, capsys):
    """21 000 columns (126 KB lines), 6 MB: it used to grow to gigabytes before it was refused."""
    path = tmp_path / "wide.csv"
    line = ",".join(f"c{i}" for i in range(21_000)) + "\n"
    path.write_text(line * max(1, (6 << 20) // len(line)))
    tracemalloc.start()
    try:
        code = main(["run"] + EMPIRICAL + ["--set", f"data_path={path}", "--set", "data_column=c1"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "longer than 65,536 bytes" in failed(capsys, code, 2)
    assert peak < 8 << 20, peak


@pytest.mark.parametrize("text,needle", [
    (",".join(f"c{i}" for i in range(1001)) + "\n1\n", "1,001 columns"),
    ("v\n" + "1" * 70_000 + "\n", "line 2 is longer than 65,536 bytes"),
])
def test_csv_caps_on_columns_and_line_length(tmp_path, capsys, text, needle):
    path = tmp_path / "d.csv"
    path.write_text(text)
    code = main(["run"] + EMPIRICAL + ["--set", f"data_path={path}", "--set", "data_column=c0"])
    assert needle in failed(capsys, code, 2)


def test_csv_cells_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CSV_CELLS", 100)
    path = tmp_path / "d.csv"
    path.write_text("a,b\n" + "1,2\n" * 60)
    with pytest.raises(limits.InputError, match="more than 100 cells"):
        limits.read_csv_rows(path)


def test_huge_values_are_refused_without_a_numpy_warning(tmp_path, capsys):
    path = tmp_path / "huge.csv"
    path.write_text("v\n1e308\n-1e308\n1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would become an internal error here
        code = main(["run"] + EMPIRICAL + ["--set", f"data_path={path}", "--set", "data_column=v"])
    assert "beyond ±1e6" in failed(capsys, code, 2)


@pytest.mark.parametrize("schedule,needle", [
    (5, "'schedule' must be an object"),
    ({"100": 3}, "schedule entry '100'"),
    ({"ten": {"lr_d": 0.1}}, "schedule entry 'ten'"),
    ({"100": {"lr_d": -1}}, "lr_d"),
])
def test_a_bad_schedule_beside_a_config_is_refused(tmp_path, capsys, schedule, needle):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"config": {"seed": 1}, "schedule": schedule}))
    code = main(["run", "--config", str(path), "--steps", "5"])
    assert needle in failed(capsys, code, 2)


@pytest.mark.parametrize("at,needle", [
    ("0,10,20,100000", "beyond the run's 50 steps"),
    ("4,3,2,1", "must increase"),
    ("0,10,10,20", "must increase"),
    ("0,-1,2,3", "four step numbers"),
])
def test_figure_steps_must_increase_within_the_run(tmp_path, capsys, at, needle):
    out = tmp_path / "f.png"
    code = main(["figure", "--steps", "50", "--at", at, "--out", str(out)])
    assert needle in failed(capsys, code, 2)
    assert list(tmp_path.iterdir()) == []


# --- 10. symbolic links ------------------------------------------------------------------------------
def test_a_linked_target_is_followed_and_replaced_in_its_own_folder(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (real,) = olds(elsewhere, "m.json")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["run", "--steps", "10", "--metrics", str(link)] + FAST) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["config"]["steps"] == 10
    assert leftovers(tmp_path) == [] and leftovers(elsewhere) == []
