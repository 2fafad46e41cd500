"""Builds the QApplication and the MainWindow (and the scripted screenshot mode); nothing else."""

from __future__ import annotations

import os
import sys

from ganviz.config import TrainConfig


def has_display() -> bool:
    return not sys.platform.startswith("linux") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def main(config: TrainConfig | None = None, preset=None, steps: int | None = None,
         screenshot: str | None = None, cancel=None, lesson=None, scene: int = 1) -> int:
    """Run the app; returns the exit code (screenshot mode: 0 saved, 2 bad input, 3 diverged). With a
    ``lesson`` it opens playing it from ``scene`` (with a screenshot: played to that scene's stop)."""
    if screenshot and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    if not has_display():
        print("ganviz: no display to open a window on (DISPLAY is not set); run it on a desktop, under "
              "xvfb-run, or headless: ganviz run / ganviz gui --screenshot shot.png", file=sys.stderr)
        return 2
    # the training process first: it loads torch (the longest wait of a start) while Qt loads and the window
    # is built here
    from ganviz.engine.process import LIVE_JOB, live_request, start
    from ganviz.presets import initial_run
    config, preset = initial_run(config, preset)
    started = start(LIVE_JOB, live_request(config))

    import pyqtgraph as pg
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ganviz.draw.style import Style, apply_app_theme, quiet_qt_messages
    from ganviz.io.resources import icon_path
    from ganviz.ui.main_window import MainWindow

    quiet_qt_messages()
    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ganviz")
    app.setOrganizationName("ganviz")
    app.setWindowIcon(QIcon(str(icon_path())))
    apply_app_theme(app, Style())
    settings = None if screenshot else QSettings()
    window = MainWindow(config, preset=preset, settings=settings, started=started)
    outcome = {"code": 0}
    if screenshot and os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        window.resize(1366, 768)  # the projector the docs show (an offscreen "screen" is 800 × 800)
    if lesson is not None and screenshot:
        from ganviz.ui.guides import script_walk
        script_walk(app, window, lesson, scene, screenshot, outcome, cancel)
    elif lesson is not None:
        window.open_lesson(lesson, scene)
    elif screenshot:
        _script_screenshot(app, window, screenshot, steps if steps is not None else window.session.config.steps,
                           outcome, cancel)
    if cancel is not None:  # Ctrl+C / SIGTERM in the terminal close the window (checked a few times a second)
        watch = QTimer(window)
        watch.timeout.connect(lambda: window.close() if cancel.is_set() else None)
        watch.start(200)
    if not screenshot and window.fills_screen:
        window.showMaximized()  # the window manager fits its title bar and frame on the screen too
    else:
        window.show()
    code = app.exec()
    window.session.stop()
    window.deleteLater()
    app.processEvents()
    if outcome.get("message"):
        print(f"ganviz: {outcome['message']}", file=sys.stderr)
    elif outcome.get("report"):
        print(outcome["report"])  # where a scripted lesson ended
    return outcome["code"] if screenshot else code


def _script_screenshot(app, window, path: str, target: int, outcome: dict, cancel=None) -> None:
    """Train to ``target``, save the window as PNG (verified, atomically; not if a signal came first), quit.
    Divergence (exit 3) or any refusal from the training process (a Notice of level "error": a device that
    is not there, an unreadable CSV; exit 2) quits with its message instead of waiting forever."""
    from PySide6.QtCore import QTimer

    from ganviz.io.atomic import OutputError, atomic_path
    from ganviz.io.signals import Cancelled

    state = {"saving": False, "started": False, "done": False}

    def finish(code: int, message: str | None = None) -> None:
        if state["done"]:
            return  # the first outcome stands (a refusal and its status may arrive together)
        state["done"] = True
        if message:
            print(f"ganviz: {message}", file=sys.stderr)
        outcome["code"] = code
        QTimer.singleShot(0, app.quit)

    def save() -> None:
        try:
            with atomic_path(path, cancel=cancel) as tmp:
                if not window.grab().save(tmp, "PNG"):
                    raise OutputError(f"cannot write screenshot '{path}'")
        except OutputError as exc:
            finish(1, str(exc))
            return
        except Cancelled:
            app.quit()  # the CLI says "interrupted; nothing written" and exits 130 / 143
            return
        finish(0)

    def on_frame(snap) -> None:
        if snap.step >= target and not window.session.playing and not state["saving"]:
            state["saving"] = True
            QTimer.singleShot(150, save)

    def on_status(status) -> None:
        if not state["started"]:
            state["started"] = True
            window.session.run_until(target)

    def on_notice(text: str, level: str) -> None:
        if level == "error" and not state["saving"]:
            finish(2, text)

    window.frame_shown.connect(on_frame)
    window.session.status_changed.connect(on_status)
    window.session.failed.connect(lambda message: finish(3, message))
    window.session.notice.connect(on_notice)
