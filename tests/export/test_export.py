import os
import subprocess
import sys

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from ganviz.config import TrainConfig
from ganviz.core.runner import run_headless
from ganviz.export.run import export_run
from ganviz.export.video import ExportCancelled, ExportError

FAST = TrainConfig(batch_size=64, g_width=16, d_width=16)


def test_a_60_frame_mp4_decodes_to_60_frames_of_the_requested_size(qapp, tmp_path):
    out = tmp_path / "run.mp4"
    n = export_run(FAST, out, steps=120, every=2, fps=30, size=(640, 360))
    frames = iio.imread(out)
    assert n == 60 and frames.shape == (60, 360, 640, 3)
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 0.5  # training moved the curves
    assert oct(out.stat().st_mode & 0o777) != "0o600"


def test_a_gif_loops(qapp, tmp_path):
    out = tmp_path / "run.gif"
    export_run(FAST, out, steps=40, every=4, fps=20, size=(320, 180))
    with Image.open(out) as im:
        assert im.info.get("loop") == 0 and im.n_frames == 10 and im.size == (320, 180)


def test_cancelling_an_export_leaves_no_file(qapp, tmp_path):
    out = tmp_path / "run.mp4"
    with pytest.raises(ExportCancelled):
        export_run(FAST, out, steps=100, every=2, size=(320, 180), progress=lambda d, t: d < 5)
    assert list(tmp_path.iterdir()) == []


def test_unknown_extension_is_refused(qapp, tmp_path):
    with pytest.raises(ExportError, match="unknown extension '.avi'"):
        export_run(FAST, tmp_path / "run.avi", steps=10, every=1)


def test_exported_config_reproduces_the_same_metrics(tmp_path):
    cfg = FAST.replace(seed=11, steps=150)
    path = tmp_path / "config.json"
    path.write_text(cfg.to_json())
    a = run_headless(cfg)
    b = run_headless(TrainConfig.from_json_file(path))
    assert a.history == b.history


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_cli_export_into_a_read_only_folder_exits_2(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    r = subprocess.run([sys.executable, "-m", "ganviz", "export", "--steps", "10", "--out", str(ro / "x.mp4")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "no permission" in r.stderr and "Traceback" not in r.stderr


def test_cli_export_into_a_missing_folder_or_bad_size_exits_2(tmp_path):
    for args, needle in ((["--out", str(tmp_path / "nope" / "x.mp4")], "does not exist"),
                         (["--out", str(tmp_path / "x.mp4"), "--size", "big"], "--size must look like"),
                         (["--out", str(tmp_path / "x.webm")], "unknown extension")):
        r = subprocess.run([sys.executable, "-m", "ganviz", "export", "--steps", "10", *args],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_cli_export_writes_a_gif(tmp_path):
    out = tmp_path / "c.gif"
    r = subprocess.run([sys.executable, "-m", "ganviz", "export", "--preset", "nash", "--steps", "30", "--every",
                        "10", "--size", "320x180", "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "3 frames" in r.stdout and out.exists()


def test_export_into_a_read_only_folder_exits_2_with_a_clear_message(tmp_path, monkeypatch, capsys):
    """As a normal user sees it (root may write anywhere, so the permission check is simulated)."""
    from ganviz import cli
    from ganviz.export import video
    real_access = os.access
    monkeypatch.setattr(video.os, "access", lambda p, mode: False if str(p) == str(tmp_path) else
                        real_access(p, mode))
    code = cli.main(["export", "--steps", "10", "--out", str(tmp_path / "x.mp4")])
    err = capsys.readouterr().err
    assert code == 2 and "no permission to write" in err and len(err.strip().splitlines()) == 1
