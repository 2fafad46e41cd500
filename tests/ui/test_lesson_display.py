"""Both lessons on a real X display (Xvfb) at a projector's 1366 × 768, played from the first scene to the last by
PageDown key events (what a clicker sends), in presenter mode; and the speaker notes on the second of two
screens."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from PIL import Image

TWO_SCREENS = {"screens": [
    {"name": "projector", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96,
     "dpr": 1},
    {"name": "laptop", "x": 1366, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96,
     "dpr": 1}]}

NOTES = """
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ganviz.config import TrainConfig
from ganviz.ui.main_window import MainWindow
w = MainWindow(TrainConfig(batch_size=64, g_width=16, d_width=16))
projector = next(s for s in app.screens() if s.name() == "projector")
w.setScreen(projector)
w.move(projector.geometry().topLeft())
w.show()
w.open_lesson("paper")
notes = w.guide.notes
app.processEvents()
print(notes.isVisible(), notes.screen().name(), w.notes_action.isChecked(), "Stops when" in notes.label.text(),
      w.presenting)
w.close()
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (installed by .ci/run)")
@pytest.mark.parametrize("name,last", [("paper", 11)])  # both lessons are walked offscreen in test_lessons_ui
def test_the_lesson_plays_to_its_last_scene_with_pagedown_on_an_x_display(tmp_path, name, last):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    shot = tmp_path / "last.png"
    r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, "-m", "ganviz", "lesson",
                        name, "--screenshot", str(shot), "--scene", str(last)],
                       capture_output=True, text=True, timeout=240, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.startswith(f"scene {last}/{last} ") and "Stopped at step" in r.stdout, r.stdout
    with Image.open(shot) as im:
        assert im.size == (1366, 768)  # the window fills the projector's screen
        assert len(im.convert("L").getcolors(maxcolors=4096) or []) > 20


def test_the_speaker_notes_go_to_the_second_screen(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(TWO_SCREENS))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    r = subprocess.run([sys.executable, "-c", NOTES], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["True", "laptop", "True", "True", "True"]
