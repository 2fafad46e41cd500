"""The timeline under the figure: scrub back to any recorded step, restart training from there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot
from ganviz.engine.history import History


class TimelineBar(QWidget):
    frame_chosen = Signal(object)  # the recorded Snapshot the user scrubbed to
    restart_requested = Signal(object)  # the Snapshot whose weights training should continue from

    def __init__(self, cfg: TrainConfig):
        super().__init__()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("timeline: drag to look at any recorded step (pauses training); Play resumes live")
        self.slider.setRange(0, 0)
        self.slider.sliderMoved.connect(self._on_scrub)
        self.label = QLabel("live")
        self.label.setMinimumWidth(150)
        self.restart = QPushButton("Restart from here")
        self.restart.setToolTip("continue training from the weights recorded at this step "
                                "(fresh optimizer state); Play instead resumes the live run")
        self.restart.setVisible(False)
        self.restart.clicked.connect(self._on_restart)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(" timeline "))
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.label)
        lay.addWidget(self.restart)
        self.reset(cfg)

    def reset(self, cfg: TrainConfig) -> None:
        self.history = History(cfg)
        self.scrubbing = False
        self.chosen: Snapshot | None = None

    def add(self, snap: Snapshot, playing: bool) -> bool:
        """Record a live frame; True when it should be shown (False while the user looks at the past)."""
        self.history.add(snap)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.history) - 1)
        if not self.scrubbing:
            self.slider.setValue(len(self.history) - 1)
        self.slider.blockSignals(False)
        if self.scrubbing and not playing:
            return False
        self.scrubbing = False
        self.restart.setVisible(False)
        self.label.setText("live")
        return True

    def _on_scrub(self, index: int) -> None:
        if not len(self.history):
            return
        self.scrubbing = True
        self.chosen = self.history[min(index, len(self.history) - 1)]
        self.label.setText(f"viewing step {self.chosen.step}")
        self.restart.setVisible(self.chosen.weights is not None)
        self.frame_chosen.emit(self.chosen)

    def _on_restart(self) -> None:
        if self.chosen is None or self.chosen.weights is None:
            return
        self.scrubbing = False
        self.restart.setVisible(False)
        self.restart_requested.emit(self.chosen)
