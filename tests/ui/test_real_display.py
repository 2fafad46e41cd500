"""The app on a real X display (Xvfb), as `make run` starts it on a desktop: the xcb platform plugin loads,
the window opens, trains and is captured."""

import os
import shutil
import subprocess
import sys

import pytest
from PIL import Image


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (installed by .ci/run)")
def test_the_window_opens_on_an_x_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    shot = tmp_path / "x.png"
    r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x900x24", sys.executable, "-m", "ganviz", "gui",
                        "--preset", "nash", "--steps", "200", "--screenshot", str(shot)],
                       capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    with Image.open(shot) as im:
        assert im.size[0] >= 800 and len(im.convert("L").getcolors(maxcolors=4096) or []) > 20  # drawn, not blank


def test_without_a_display_the_app_says_so_in_one_line():
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    r = subprocess.run([sys.executable, "-m", "ganviz"], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 2 and "no display" in r.stderr and len(r.stderr.strip().splitlines()) == 1
