"""Side by side: two runs that differ in one knob, from the same seed (so the same initial weights), each with
its own figure, played and paused together. E.g. saturating vs non-saturating G loss."""

from __future__ import annotations

import json

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ganviz.config import ConfigError, TrainConfig
from ganviz.engine.worker import TrainingWorker
from ganviz.ui import style as st
from ganviz.ui.figure_view import FigureView

KNOBS = ("g_loss", "lr_d", "lr_g", "d_steps", "g_steps", "optimizer", "batch_size", "noise", "d_width", "g_width")
DEFAULT_B = {"g_loss": "saturating"}


class LiveRun:
    """One worker (in its own process) drawing into one FigureView."""

    def __init__(self, figure: FigureView, caption: QLabel):
        self.figure, self.caption = figure, caption
        self.thread: QThread | None = None
        self.worker: TrainingWorker | None = None
        self.timer = QTimer()
        self.timer.setInterval(15)
        self.timer.timeout.connect(self._drain)
        self.step = -1
        self.message = ""

    def start(self, cfg: TrainConfig) -> None:
        self.stop()
        self.cfg = cfg
        self.thread, self.worker = QThread(), TrainingWorker(cfg)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self.thread.quit)
        self.thread.start()
        self.timer.start()

    def _drain(self) -> None:
        if self.worker is None:
            return
        for kind, value in self.worker.collect():
            if kind == "snapshot":
                self.figure.show_snapshot(value)
                self.step = value.step
            elif kind in ("diverged", "failed"):
                self.message = value
                self.caption.setText(f"⚠ {value}")

    def stop(self) -> None:
        self.timer.stop()
        if self.worker is not None:
            self.worker.stop()
            self.thread.quit()
            self.thread.wait(3000)
            self.worker.deleteLater()
            self.thread.deleteLater()
        self.worker = self.thread = None


class CompareWindow(QWidget):
    def __init__(self, base: TrainConfig, style: st.Style | None = None):
        super().__init__()
        self.setWindowTitle("ganviz — side by side")
        self.base = base
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("B differs from A in"))
        self.key = QComboBox()
        for k in KNOBS:
            self.key.addItem(k)
        self.value = QLineEdit()
        self.key.currentTextChanged.connect(self._suggest)
        row.addWidget(self.key)
        row.addWidget(QLabel("="))
        row.addWidget(self.value)
        self.start_btn = QPushButton("Start both")
        self.start_btn.clicked.connect(self.start)
        self.play_btn = QPushButton("▶ Play both")
        self.play_btn.setCheckable(True)
        self.play_btn.toggled.connect(self._on_play)
        row.addWidget(self.start_btn)
        row.addWidget(self.play_btn)
        self.status = QLabel("")
        row.addWidget(self.status, 1)
        lay.addLayout(row)
        grid = QGridLayout()
        self.figures = [FigureView(st.Style(scale=(style.scale if style else 1.0))) for _ in range(2)]
        self.captions = [QLabel(), QLabel()]
        for i, (fig, cap) in enumerate(zip(self.figures, self.captions)):
            grid.addWidget(cap, 0, i)
            grid.addWidget(fig, 1, i)
        lay.addLayout(grid, 1)
        self.runs = [LiveRun(f, c) for f, c in zip(self.figures, self.captions)]
        self.key.setCurrentText("g_loss")
        self._suggest("g_loss")
        self.resize(1600, 700)

    def _suggest(self, key: str) -> None:
        value = DEFAULT_B.get(key, getattr(self.base, key))
        if key == "g_loss" and self.base.g_loss == "saturating":
            value = "non_saturating"
        self.value.setText(value if isinstance(value, str) else json.dumps(value))

    def configs(self) -> tuple[TrainConfig, TrainConfig]:
        return self.base, self.base.with_assignments([f"{self.key.currentText()}={self.value.text()}"])

    def start(self) -> None:
        try:
            a, b = self.configs()
        except ConfigError as exc:
            self.status.setText(f"⚠ {exc}")
            return
        self.status.setText("same seed, same initial weights; only one knob differs")
        key = self.key.currentText()
        for run, cfg, label in zip(self.runs, (a, b), ("A", "B")):
            run.caption.setText(f"<b>{label}</b>: {key} = {getattr(cfg, key)}")
            run.start(cfg)
        if self.play_btn.isChecked():
            self._on_play(True)

    def _on_play(self, on: bool) -> None:
        self.play_btn.setText("❚❚ Pause both" if on else "▶ Play both")
        for run in self.runs:
            if run.worker is not None:
                run.worker.play() if on else run.worker.pause()

    def closeEvent(self, event) -> None:
        for run in self.runs:
            run.stop()
        super().closeEvent(event)
