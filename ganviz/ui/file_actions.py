"""File menu actions: the current frame as PNG (at a chosen size) / SVG, the paper's four panels from this
run, the metrics as JSON / CSV, the config (with its seed) as JSON that `ganviz run --config` replays, and
opening a config. Every write is atomic; every failure is a message, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog

from ganviz.config import ConfigError, TrainConfig
from ganviz.io.atomic import OutputError, atomic_write_text, check_output
from ganviz.io.limits import InputError
from ganviz.io.metrics import metrics_text

FIGURE_WIDTHS = ["1920", "1280", "2560", "3840"]


def _ask_save(window, path: str | None, title: str, default: str, filters: str) -> str | None:
    """``path`` as given (tests, scripts), else the user's choice in a save dialog (None if cancelled)."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, title, default, filters)
    return path or None


def _done(window, message: str) -> None:
    window.statusBar().showMessage(message, 8000)


class _Busy:
    def __enter__(self):
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc):
        QApplication.restoreOverrideCursor()


def save_figure(window, path: str | None = None, width: int | None = None) -> None:
    """The current frame as PNG (default 1920 px wide, 16:9) or SVG, rendered offscreen at that size."""
    from ganviz.export.figure1 import write_panels
    snap = window.figure.last
    if snap is None:
        window.show_error("nothing to save yet: the figure is empty")
        return
    path = _ask_save(window, path, "Save figure", "ganviz-figure.png", "PNG image (*.png);;SVG vector (*.svg)")
    if path is None:
        return
    if width is None and path.lower().endswith(".png"):
        if window.isVisible() and not QApplication.platformName() == "offscreen":
            text, ok = QInputDialog.getItem(window, "Figure size", "Width in pixels (16:9):", FIGURE_WIDTHS, 0,
                                            False)
            if not ok:
                return
            width = int(text)
        else:
            width = 1920
    width = width or 1920
    try:
        check_output(path, (".png", ".svg"))
        with _Busy():
            write_panels([snap], path, (width, round(width * 9 / 16)), window.figure.panel.x_policy.fixed,
                         dark=window.style.dark, letters=("",))
    except (InputError, OutputError) as exc:
        window.show_error(str(exc))
        return
    _done(window, f"Saved {path}")


def export_figure1(window, path: str | None = None) -> None:
    """The paper's four panels (a)–(d), chosen from this run's timeline."""
    from ganviz.export.figure1 import choose_steps, write_panels
    rec = window.session.recording
    frames = rec.timeline()
    if len(frames) < 2 or len(rec.records) < 2:
        window.show_error("train a little first: the four panels are chosen from the run's timeline")
        return
    path = _ask_save(window, path, "Export Figure 1 panels", "ganviz-figure1.png",
                     "PNG image (*.png);;SVG vector (*.svg);;PDF (*.pdf)")
    if path is None:
        return
    steps = choose_steps(rec.records)
    snaps, used = [], set()
    for s in steps:  # the nearest recorded frame, each panel a different one
        free = [f for f in frames if f.step not in used] or frames
        best = min(free, key=lambda f: abs(f.step - s))
        used.add(best.step)
        snaps.append(best)
    snaps.sort(key=lambda f: f.step)
    try:
        check_output(path, (".png", ".svg", ".pdf"))
        with _Busy():
            write_panels(snaps, path, (2400, 720), window.figure.panel.x_policy.fixed, dark=window.style.dark)
    except (InputError, OutputError) as exc:
        window.show_error(str(exc))
        return
    _done(window, f"Saved {path}: panels (a)–(d) at steps {', '.join(str(s.step) for s in snaps)}")


def save_metrics(window, path: str | None = None) -> None:
    """The run's records (its current line) and its config, as JSON or CSV."""
    path = _ask_save(window, path, "Save metrics", "ganviz-metrics.json", "JSON (*.json);;CSV (*.csv)")
    if path is None:
        return
    rec = window.session.recording
    try:
        target = check_output(path, (".json", ".csv"))
        atomic_write_text(target, metrics_text(rec.document(window.session.config, rec.summary()), target.suffix))
    except (InputError, OutputError) as exc:
        window.show_error(str(exc))
        return
    _done(window, f"Saved {path}")


def save_config(window, path: str | None = None) -> None:
    """Config + seed as JSON: `ganviz run --config FILE` replays the run."""
    path = _ask_save(window, path, "Save config", "ganviz-config.json", "JSON (*.json)")
    if path is None:
        return
    try:
        atomic_write_text(check_output(path, (".json",)), window.session.config.to_json())
    except (InputError, OutputError) as exc:
        window.show_error(str(exc))
        return
    _done(window, f"Saved {path}")


def open_config(window, path: str | None = None) -> None:
    """A config (or an exported metrics file) starts a new run; a bad file is a message, the run goes on."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Open config", "", "JSON (*.json);;All files (*)")
    if not path:
        return
    try:
        cfg = TrainConfig.from_json_file(path)
        from ganviz.core.targets import make_target
        make_target(cfg)  # a CSV target must be readable before the run changes
    except ConfigError as exc:
        window.show_error(str(exc))
        return
    window.load_config(cfg, f"Opened {path}")
