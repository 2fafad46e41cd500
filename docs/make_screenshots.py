"""The README's and the docs' pictures, made by the app itself (`make screenshots`): each is the real window,
offscreen, after training a preset to a given step — so a picture can never show something the code does not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
IMG = HERE / "img"

# name, preset, steps, options (panel: the tab beside the figure — metrics, distances, loss, dirac; slow: slow
# motion with one D step)
SHOTS = [
    ("figure1_slow_motion", "figure1", 400, {"panel": "metrics", "slow": True}),
    ("mode_collapse", "mode_collapse", 2000, {"panel": "metrics"}),
    ("vanishing_gradients_loss", "vanishing_gradients", 600, {"panel": "loss"}),  # before the switch at 800
    ("oscillation_dirac", "oscillation", 3500, {"panel": "dirac"}),
    ("rescue_collapse", "rescue_collapse_minibatch_std", 6000, {"panel": "metrics"}),
    ("disjoint_supports_wgan", "disjoint_supports_wgan", 900, {"panel": "distances"}),
    ("ring_hopping", "ring_hopping", 6000, {"panel": "metrics"}),
    ("ring_rescue_unrolled", "ring_rescue_unrolled", 3000, {"panel": "metrics"}),
    ("presenter_dark", "nash", 800, {"panel": "metrics", "presenter": True, "dark": True}),  # last: app-wide
]


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(condition, seconds: float = 120) -> None:
    end = time.time() + seconds
    while not condition() and time.time() < end:
        wait(50)


def window_shot(name: str, preset: str, steps: int, options: dict) -> None:
    from ganviz.presets import load_preset
    from ganviz.ui.main_window import MainWindow

    w = MainWindow(None, load_preset(preset))
    w.resize(1600, 960)
    w.show()
    until(lambda: w.session.status is not None)
    w.session.run_until(steps)
    until(lambda: w.session.step >= steps and not w.session.playing)
    if options.get("slow"):
        w.speed.setCurrentIndex(0)
        w.session.step_once("D")
        until(lambda: w.figure.last is not None and w.figure.last.player == "D")
    panel = w.panels[options.get("panel", "metrics")]
    w.tabs.setCurrentWidget(panel)
    panel.show_snapshot(w.figure.last)
    if options.get("presenter"):
        w.presenter_action.setChecked(True)
    if options.get("dark"):
        w.dark_action.setChecked(True)
    wait(1200)
    w.grab().save(str(IMG / f"{name}.png"))
    w.close()
    wait(300)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from ganviz.draw.style import quiet_qt_messages
    quiet_qt_messages()
    IMG.mkdir(exist_ok=True)
    app = QApplication.instance() or QApplication([])  # noqa: F841
    only = set(sys.argv[1:])
    for name, preset, steps, options in SHOTS:
        if not only or name in only:
            window_shot(name, preset, steps, options)
            print(f"wrote docs/img/{name}.png")
    run = [sys.executable, "-m", "ganviz"]
    cli = [("figure1_panels", run + ["figure", "--preset", "figure1", "--out", str(IMG / "figure1_panels.png")]),
           ("sweep", run + ["sweep", "--preset", "nash", "--x", "lr_d=1e-4:1e-1:log:12", "--y",
                            "lr_g=1e-4:1e-1:log:12", "--steps", "800", "--out", str(IMG / "sweep.png")]),
           # presenter mode at a projector's 1366 × 768, the paper's lesson played with PageDown to scene 5
           ("lesson_scene", run + ["lesson", "paper", "--screenshot", str(IMG / "lesson_scene.png"), "--scene", "5"])]
    for name, cmd in cli:
        if not only or name in only:
            subprocess.run(cmd, check=True)


if __name__ == "__main__":  # guarded: the window starts its training process with spawn
    main()
