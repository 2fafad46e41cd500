"""The timeline under the figure: scrub back to any recorded step of the current line of the run, and
restart training from there (its weights, optimizer state and random stream)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from ganviz.core.snapshot import Snapshot
from ganviz.engine.recording import Recording


class TimelineBar(QWidget):
    frame_chosen = Signal(object)  # the recorded Snapshot the user scrubbed to
    restart_requested = Signal(object)  # the Snapshot whose state training should continue from
    back_to_live = Signal()

    def __init__(self):
        super().__init__()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("timeline: drag to look at any recorded step (pauses training); "
                               "Play or “Live” returns to the run")
        self.slider.setRange(0, 0)
        self.slider.sliderMoved.connect(self._on_scrub)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.label = QLabel("live")
        self.label.setMinimumWidth(160)
        self.restart = QPushButton("Restart from here")
        self.restart.setToolTip("continue training from this step: its weights, optimizer state and random "
                                "stream, with the knobs as they are now; the later steps leave the timeline")
        self.live = QPushButton("Live")
        self.live.setToolTip("back to the running training")
        for b in (self.restart, self.live):
            b.setVisible(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.restart.clicked.connect(self._on_restart)
        self.live.clicked.connect(self.go_live)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.addWidget(QLabel("timeline"))
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.label)
        lay.addWidget(self.restart)
        lay.addWidget(self.live)
        self.frames: list[Snapshot] = []
        self.chosen: Snapshot | None = None

    @property
    def scrubbing(self) -> bool:
        return self.chosen is not None

    def refresh(self, recording: Recording) -> None:
        """The frames on the current line of the run (called as frames arrive, at most a few times a second)."""
        self.frames = recording.timeline()
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(self.frames) - 1))
        if self.chosen is None:
            self.slider.setValue(len(self.frames) - 1)
        self.slider.blockSignals(False)

    def _on_scrub(self, index: int) -> None:
        if not self.frames:
            return
        self.chosen = self.frames[min(index, len(self.frames) - 1)]
        self.label.setText(f"viewing step {self.chosen.step}")
        self.restart.setVisible(True)
        self.live.setVisible(True)
        self.frame_chosen.emit(self.chosen)

    def show_step(self, index: int) -> None:
        """Scrub programmatically (tests, keys)."""
        self.slider.setValue(index)
        self._on_scrub(index)

    def go_live(self) -> None:
        if self.chosen is None:
            return
        self.chosen = None
        self.label.setText("live")
        self.restart.setVisible(False)
        self.live.setVisible(False)
        self.back_to_live.emit()

    def _on_restart(self) -> None:
        chosen = self.chosen
        if chosen is None:
            return
        self.go_live()
        self.restart_requested.emit(chosen)
