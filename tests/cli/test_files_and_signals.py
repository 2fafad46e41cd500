"""Outputs appear whole or not at all: a full disk, Ctrl+C and SIGTERM leave the old file and no temp file."""

import os
import resource
import signal
import stat
import subprocess
import sys
import time

import pytest

from tests.cli.helpers import ROOT, ganviz, one_line

EXPORT = ["export", "--preset", "nash", "--steps", "3000", "--every", "10", "--size", "640x360"]


def start(args, **kwargs):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "ganviz", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_export_cancels_cleanly(tmp_path, sig, code):
    out = tmp_path / "run.mp4"
    out.write_bytes(b"the old video")
    proc = start(EXPORT + ["--out", str(out)])
    deadline = time.time() + 120
    while not leftovers(tmp_path) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)  # until the export's temporary file exists: mid-rendering
    assert leftovers(tmp_path), "the export never started writing"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == b"the old video"
    assert leftovers(tmp_path) == []


def test_a_full_disk_fails_the_export_and_keeps_the_old_file(tmp_path):
    out = tmp_path / "run.mp4"
    out.write_bytes(b"the old video")

    def small_disk():  # files may not grow past 64 KB: the encoder's writes fail as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    proc = start(["export", "--preset", "nash", "--steps", "400", "--out", str(out)], preexec_fn=small_disk)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "cannot write" in one_line(err)
    assert out.read_bytes() == b"the old video" and leftovers(tmp_path) == []


def test_written_files_have_normal_permissions_and_stderr_stays_clean(tmp_path):
    old = os.umask(0o022)
    try:
        r = ganviz("export", "--preset", "nash", "--steps", "60", "--out", str(tmp_path / "a.gif"), "--fps", "10",
                   "--size", "320x180")
        m = ganviz("run", "--steps", "50", "--metrics", str(tmp_path / "m.json"))
    finally:
        os.umask(old)
    assert r.returncode == 0 and m.returncode == 0, r.stderr + m.stderr
    assert r.stderr == "" and m.stderr == ""  # not even Qt's "propagateSizeHints" notice
    for name in ("a.gif", "m.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_a_diverging_export_ends_with_the_divergence_message(tmp_path):
    r = ganviz("export", "--set", "optimizer=sgd", "--set", "lr_d=10", "--set", "lr_g=10", "--set", "momentum=0.99",
               "--steps", "3000", "--out", str(tmp_path / "d.mp4"))
    assert r.returncode == 3 and "diverged" in one_line(r.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_diverging_screenshot_ends_with_the_divergence_message(tmp_path):
    r = ganviz("gui", "--set", "optimizer=sgd", "--set", "lr_d=10", "--set", "lr_g=10", "--set", "momentum=0.99",
               "--steps", "3000", "--screenshot", str(tmp_path / "s.png"), timeout=120)
    assert r.returncode == 3 and "diverged" in r.stderr
    assert not (tmp_path / "s.png").exists()
