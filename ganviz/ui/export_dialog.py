"""File ▸ Export animation…: the run you watched (from the recording) or a fresh run re-trained from the
config, to MP4 or GIF — rendered in a background process with a real progress bar and a Cancel that works at
once. The window stays responsive throughout; closing it cancels the export and leaves no file behind."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QRadioButton, QSpinBox,
                               QWidget)

from ganviz.engine.messages import ExportCancelled, ExportDone, ExportFailed, ExportProgress
from ganviz.engine.process import EXPORT_JOB
from ganviz.export.request import AnimationRequest, default_every
from ganviz.io.atomic import OutputError, check_output
from ganviz.io.limits import InputError
from ganviz.ui.bridge import ProcessBridge

SIZES = [("1280 × 720 (slides)", (1280, 720)), ("1920 × 1080", (1920, 1080)), ("854 × 480", (854, 480)),
         ("640 × 360 (small GIF)", (640, 360))]


class ExportDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Export animation")
        session = window.session
        cfg = session.config
        form = QFormLayout(self)
        self.watched = QRadioButton(f"the run I watched ({len(session.recording.watched())} frames, with every "
                                    "knob change and restart)")
        self.retrain = QRadioButton("re-train from the config (a fresh run from the seed)")
        group = QButtonGroup(self)
        group.addButton(self.watched)
        group.addButton(self.retrain)
        (self.watched if session.recording.watched() else self.retrain).setChecked(True)
        form.addRow("Source", self.watched)
        form.addRow("", self.retrain)
        self.path = QLineEdit("ganviz-run.mp4")
        browse = QPushButton("…")
        browse.clicked.connect(self._browse)
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.path, 1)
        lay.addWidget(browse)
        form.addRow("File (.mp4 or .gif)", row)
        self.fps = QSpinBox()
        self.fps.setRange(1, 120)
        self.fps.setValue(30)
        form.addRow("Frames per second", self.fps)
        self.stride = QSpinBox()
        self.stride.setRange(1, 1000)
        self.stride.setValue(max(1, len(session.recording.watched()) // 600 or 1))
        self.stride.setToolTip("use every n-th recorded frame (the run you watched)")
        form.addRow("Every n-th frame", self.stride)
        self.steps = QSpinBox()
        self.steps.setRange(1, 10_000_000)
        self.steps.setValue(cfg.steps)
        form.addRow("Training steps (re-train)", self.steps)
        self.every = QSpinBox()
        self.every.setRange(1, 100_000)
        self.every.setValue(default_every(cfg.steps, 30))
        self.every.setToolTip("training iterations between two frames (re-train)")
        form.addRow("Steps per frame (re-train)", self.every)
        self.size = QComboBox()
        for text, value in SIZES:
            self.size.addItem(text, value)
        form.addRow("Size", self.size)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.phase = QLabel("")
        form.addRow(self.phase, self.progress)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Export")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel)
        form.addRow(self.buttons)
        self.bridge: ProcessBridge | None = None
        self.result_message = ""

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", self.path.text(),
                                              "MP4 video (*.mp4);;GIF animation (*.gif)")
        if path:
            self.path.setText(path)

    def request(self) -> AnimationRequest:
        w = self.window_
        session = w.session
        common = dict(out=self.path.text(), fps=self.fps.value(), size=self.size.currentData(),
                      x_range=w.preset.x_range if w.preset else None, dark=w.style.dark)
        if self.watched.isChecked():
            return AnimationRequest(frames=session.recording.watched()[:: self.stride.value()], **common)
        return AnimationRequest(config=session.recording.config, schedule=session.schedule, steps=self.steps.value(),
                       every=self.every.value(), **common)

    def start(self) -> None:
        if self.bridge is not None:
            return
        try:
            check_output(self.path.text(), (".mp4", ".gif"))
            if not (self.path.text().lower().endswith(".mp4") or self.fps.value() <= 50):
                raise InputError(f"a GIF plays at most 50 frames per second; got fps {self.fps.value()}")
        except (InputError, OutputError) as exc:
            self._finish(str(exc), ok=False)
            return
        self.ok.setEnabled(False)
        self.phase.setText("starting the export process…")
        self.progress.setRange(0, 0)  # busy until the first frame is counted
        self.bridge = ProcessBridge(self)
        self.bridge.message_received.connect(self._on_message)
        self.bridge.failed.connect(lambda msg: self._finish(f"export failed: {msg}", ok=False))
        self.bridge.start(EXPORT_JOB, self.request())

    def _on_message(self, message) -> None:
        match message:
            case ExportProgress(phase=phase, done=done, total=total):
                self.phase.setText(phase)
                self.progress.setRange(0, max(1, total))
                self.progress.setValue(done)
            case ExportDone(frames=frames, path=path):
                self._finish(f"Exported {frames} frames to {path}", ok=True)
            case ExportCancelled():
                self._finish("Export cancelled; no file was written.", ok=False)
            case ExportFailed(message=text):
                self._finish(text, ok=False)

    def _finish(self, text: str, ok: bool) -> None:
        self.result_message = text
        self.phase.setText("done" if ok else "")
        self.ok.setEnabled(True)
        self._stop_bridge()
        self.window_.statusBar().showMessage(("" if ok else "⚠ ") + text, 15000)
        if ok:
            self.accept()

    def _stop_bridge(self) -> None:
        if self.bridge is not None:
            bridge, self.bridge = self.bridge, None
            bridge.stop()

    def cancel(self) -> None:
        """Cancel a running export (no file is left), or close the dialog."""
        if self.bridge is not None:
            self._stop_bridge()
            self._finish("Export cancelled; no file was written.", ok=False)
        self.reject()

    def closeEvent(self, event) -> None:
        self._stop_bridge()
        super().closeEvent(event)
