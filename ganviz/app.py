"""Builds the QApplication and the MainWindow; nothing else."""

from __future__ import annotations

import os
import sys

from ganviz.config import TrainConfig


def main(config: TrainConfig | None = None, preset=None, steps: int | None = None,
         screenshot: str | None = None) -> int:
    import pyqtgraph as pg
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ganviz.ui.main_window import MainWindow

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        print("ganviz: no display to open a window on (DISPLAY is not set); run it on a desktop, under "
              "xvfb-run, or headless: ganviz run / ganviz gui --screenshot shot.png", file=sys.stderr)
        return 2
    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ganviz")
    app.setOrganizationName("ganviz")
    from PySide6.QtGui import QIcon

    from ganviz.paths import ICONS_DIR
    app.setWindowIcon(QIcon(str(ICONS_DIR / "ganviz.png")))
    settings = None if screenshot else QSettings()
    window = MainWindow(config, preset=preset, settings=settings)
    if preset is not None:
        window.figure.set_fixed_x(preset.view.get("x"))
    app.aboutToQuit.connect(window.stop_worker)
    window.show()
    if screenshot:
        target = steps if steps is not None else (config or TrainConfig()).steps

        saving = []

        def on_frame(snap) -> None:
            if snap.step >= target and not window.worker.playing and not saving:
                saving.append(True)  # (disconnecting inside the emission trips a PySide refcount bug)
                QTimer.singleShot(100, save)

        def save() -> None:
            ok = window.grab().save(screenshot)
            if not ok:
                print(f"ganviz: cannot write screenshot '{screenshot}'", file=sys.stderr)
            app.exit(0 if ok else 2)

        window.frame_shown.connect(on_frame)
        window.worker.play_until(target)
    code = app.exec()
    window.stop_worker()
    return code
