"""File menu actions: the current frame as PNG (at a chosen size) / SVG / PDF, the paper's four panels from this
run, the metrics as JSON / CSV, the config (with its seed) as JSON that `ganviz run --config` replays, and
opening a config. Every write is atomic and verified (io/atomic.py); pictures are rendered by the export job
in a background process; every failure is a message, never a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog

from ganviz.config import ConfigError, TrainConfig, four_panels_refusal
from ganviz.engine.messages import ExportCancelled, ExportDone, ExportFailed
from ganviz.engine.process import EXPORT_JOB
from ganviz.export.request import PanelsRequest
from ganviz.io.atomic import OutputError, atomic_write_text, check_output
from ganviz.io.limits import InputError
from ganviz.io.metrics import metrics_text
from ganviz.ui.bridge import ProcessBridge

FIGURE_WIDTHS = ["1920", "1280", "2560", "3840"]


def _ask_save(window, path: str | None, title: str, default: str, filters: str) -> str | None:
    """``path`` as given (tests, scripts), else the user's choice in a save dialog (None if cancelled)."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, title, default, filters)
    return path or None


def _done(window, message: str) -> None:
    window.statusBar().showMessage(message, 8000)


class BackgroundWrite:
    """One file written by the export job in its own process (engine/process.py): the window never waits on
    rendering; the status bar says when it is written, or why not."""

    def __init__(self, window, request: PanelsRequest, done_text: str):
        self.window, self.request, self.done_text = window, request, done_text
        self.bridge = ProcessBridge(window)
        self.bridge.message_received.connect(self._on_message)
        self.bridge.failed.connect(lambda message: self._finish(f"⚠ cannot write {request.out}: {message}"))
        window.statusBar().showMessage(f"Writing {request.out}…")
        self.bridge.start(EXPORT_JOB, request)

    def _on_message(self, message) -> None:
        if isinstance(message, ExportDone):
            self._finish(self.done_text)
        elif isinstance(message, ExportFailed):
            self._finish(f"⚠ {message.message}")
        elif isinstance(message, ExportCancelled):
            self._finish("Cancelled; no file was written.")

    def _finish(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15000)
        bridge, self.bridge = self.bridge, None
        if bridge is not None:
            bridge.stop()
        if self in self.window.writes:
            self.window.writes.remove(self)
        self.window.file_written.emit(text)


def _write(window, request: PanelsRequest, done_text: str) -> None:
    window.writes.append(BackgroundWrite(window, request, done_text))


def save_figure(window, path: str | None = None, width: int | None = None) -> None:
    """The current frame as PNG (default 1920 px wide, 16:9), SVG or PDF, rendered offscreen at that size in a
    background process."""
    snap = window.figure.last
    if snap is None:
        window.show_error("nothing to save yet: the figure is empty")
        return
    path = _ask_save(window, path, "Save figure", "ganviz-figure.png",
                     "PNG image (*.png);;SVG vector (*.svg);;PDF (*.pdf)")
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
        check_output(path, (".png", ".svg", ".pdf"))
    except (InputError, OutputError) as exc:
        window.show_error(str(exc))
        return
    policy = window.figure.panel.x_policy
    shown = (policy.lo, policy.hi) if snap.kind == "1d" and policy.lo is not None else policy.fixed  # as on screen
    _write(window, PanelsRequest(path, [snap], (width, round(width * 9 / 16)), shown, window.style.dark,
                                 letters=("",)), f"Saved {path}")


def export_figure1(window, path: str | None = None) -> None:
    """The paper's four panels (a)–(d), told from this run's own states by the training process (engine/story.py),
    then written by the export job: the window stays responsive throughout."""
    refusal = four_panels_refusal(window.session.config)
    if refusal:
        window.show_error(refusal)
        return
    if window.session.step == 0:
        window.show_error("train a little first: the four panels start from a state of the run")
        return
    path = _ask_save(window, path, "Export Figure 1 panels", "ganviz-figure1.png",
                     "PNG image (*.png);;SVG vector (*.svg);;PDF (*.pdf)")
    if path is None:
        return
    try:
        check_output(path, (".png", ".svg", ".pdf"))
    except (InputError, OutputError) as exc:
        window.show_error(str(exc))
        return
    window.statusBar().showMessage("Telling the story: D trained alone to D*, then G's updates…")

    def told(story) -> None:
        window.session.story_told.disconnect(told)
        notes = [n.replace("\n", ": ") for n in story.notes]
        _write(window, PanelsRequest(path, story.snapshots, (2400, 720), window.figure.panel.x_policy.fixed,
                                     window.style.dark, notes=tuple(story.notes)),
               f"Saved {path}: (a) {notes[0]}; (b) {notes[1]}; (c) {notes[2]}; (d) {notes[3]}")

    window.session.story_told.connect(told)
    window.session.tell_story()


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
    window.open_preset_or_config(cfg, f"Opened {path}")
