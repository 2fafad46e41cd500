"""File ▸ Export animation…: replay the current config from its seed into an MP4 / GIF, with progress and
Cancel. Frames are rendered offscreen with the same figure code; the live run is not disturbed."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLineEdit, QMessageBox, QProgressDialog, QPushButton, QSpinBox, QWidget)

from ganviz.config import TrainConfig
from ganviz.export.run import default_every, export_run
from ganviz.export.video import ExportCancelled, ExportError

SIZES = [("1280 × 720 (slides)", (1280, 720)), ("1920 × 1080", (1920, 1080)), ("854 × 480", (854, 480)),
         ("640 × 360 (small GIF)", (640, 360))]


class ExportDialog(QDialog):
    def __init__(self, parent, cfg: TrainConfig, x_range=None, schedule=None):
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        self.cfg, self.x_range, self.schedule = cfg, x_range, schedule
        form = QFormLayout(self)
        self.path = QLineEdit("ganviz-run.mp4")
        browse = QPushButton("…")
        browse.clicked.connect(self._browse)
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.path, 1)
        lay.addWidget(browse)
        form.addRow("File (.mp4 or .gif)", row)
        self.steps = QSpinBox()
        self.steps.setRange(1, 1_000_000)
        self.steps.setValue(cfg.steps)
        form.addRow("Training steps", self.steps)
        self.fps = QSpinBox()
        self.fps.setRange(1, 120)
        self.fps.setValue(30)
        form.addRow("Frames per second", self.fps)
        self.every = QSpinBox()
        self.every.setRange(1, 100_000)
        self.every.setValue(default_every(cfg.steps, 30))
        self.every.setToolTip("training steps between two frames (fixed, independent of the screen)")
        form.addRow("Steps per frame", self.every)
        self.size = QComboBox()
        for text, value in SIZES:
            self.size.addItem(text, value)
        form.addRow("Size", self.size)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.run_export)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_message = ""

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", self.path.text(),
                                              "MP4 video (*.mp4);;GIF animation (*.gif)")
        if path:
            self.path.setText(path)

    def run_export(self) -> None:
        steps, every = self.steps.value(), self.every.value()
        total = max(1, steps // every)
        progress = QProgressDialog("Rendering frames…", "Cancel", 0, total, self)
        progress.setWindowTitle("Exporting")
        progress.setMinimumDuration(0)

        def tick(done: int, _total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        try:
            n = export_run(self.cfg, self.path.text(), steps, every, fps=self.fps.value(),
                           size=self.size.currentData(), x_range=self.x_range, schedule=self.schedule,
                           progress=tick)
        except ExportCancelled:
            self.result_message = "Export cancelled; no file was written."
        except ExportError as exc:
            self.result_message = str(exc)
            QMessageBox.warning(self, "Export failed", str(exc))
        else:
            self.result_message = f"Exported {n} frames to {self.path.text()}"
            self.accept()
        finally:
            progress.close()
        if self.parent() is not None and hasattr(self.parent(), "statusBar"):
            self.parent().statusBar().showMessage(self.result_message, 10000)
