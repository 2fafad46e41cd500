"""LiveSession: one live training run as the window sees it — its process bridge and its Recording.

The main window has one; side by side has two. The session is the only place that holds the run's state on
the window's side, and it holds only what the training process reported: the config and play state come
from the latest Status, the records and frames go into the one Recording of the current run. Starting a
run (a preset, Reset, "restart from here") bumps the epoch, so nothing of the old run can reach the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot
from ganviz.engine import messages as msg
from ganviz.engine.process import LIVE_JOB, Started, live_request
from ganviz.engine.recording import Recording
from ganviz.ui.bridge import ProcessBridge


class LiveSession(QObject):
    frame_ready = Signal(object)  # Snapshot, already in the recording
    records_added = Signal()
    status_changed = Signal(object)  # messages.Status
    notice = Signal(str, str)  # text, level
    failed = Signal(str)
    run_started = Signal(object)  # the new Recording (the views reset to it)
    restarted = Signal(int)  # training went back to this step (the recording was cut there)
    story_told = Signal(object)  # messages.StoryTold: the paper's four panels from this run

    def __init__(self, config: TrainConfig, parent: QObject | None = None, max_fps: float = 60.0,
                 started: Started | None = None):
        super().__init__(parent)
        self.bridge = ProcessBridge(self)
        self.recording = Recording(config)
        self.status: msg.Status | None = None
        self.failure: str | None = None
        self.schedule: dict = {}
        self.extent = None
        b = self.bridge
        b.frame_ready.connect(self._on_frame)
        b.records_ready.connect(self._on_records)
        b.status_changed.connect(self._on_status)
        b.notice.connect(self._on_notice)
        b.failed.connect(self._on_failed)
        b.restarted.connect(self._on_restarted)
        b.message_received.connect(self._on_message)
        b.start(LIVE_JOB, live_request(config, max_fps), started)

    # --- what the run is now ----------------------------------------------------------------------
    @property
    def config(self) -> TrainConfig:
        """The config the trainer runs now (as it last reported), else the run's starting config."""
        return self.status.config if self.status is not None else self.recording.config

    @property
    def playing(self) -> bool:
        return self.status is not None and self.status.playing

    @property
    def step(self) -> int:
        return self.status.iteration if self.status is not None else 0

    # --- commands -------------------------------------------------------------------------------
    def new_run(self, config: TrainConfig, schedule: dict | None = None, extent=None) -> None:
        """New nets from ``config``'s seed (a preset, a loaded config, restore defaults)."""
        self.schedule, self.extent = dict(schedule or {}), extent
        epoch = self._begin(Recording(config))
        self.bridge.send(msg.NewRun(epoch, config, self.schedule, extent))

    def reset(self) -> None:
        """New nets from the seed with the knobs as they are now; the run's script plays again."""
        epoch = self._begin(Recording(self.config))
        self.bridge.send(msg.Reset(epoch))

    def restart_from(self, step: int) -> None:
        """Continue from a recorded frame: the weights, optimizer state and random stream the training process
        kept for it (or for the nearest earlier step it kept); ``restarted`` says which step."""
        epoch = self.bridge.new_epoch()
        self.failure = None
        self.bridge.send(msg.Restart(epoch, step))

    def _begin(self, recording: Recording) -> int:
        epoch = self.bridge.new_epoch()
        self.recording = recording
        self.status = None
        self.failure = None
        self.run_started.emit(recording)
        return epoch

    def set_knobs(self, **changes) -> None:
        self.bridge.set_knobs(**changes)

    def play(self) -> None:
        if self.failure is None:
            self.bridge.send(msg.Play())

    def pause(self) -> None:
        self.bridge.send(msg.Pause())

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def step_once(self, kind: str = "iteration") -> None:
        if self.failure is None:
            self.bridge.send(msg.StepOnce(kind))

    def set_speed(self, steps_per_second: float) -> None:
        self.bridge.send(msg.SetSpeed(steps_per_second))

    def run_until(self, step: int) -> None:
        self.bridge.send(msg.RunUntil(step))
        self.play()

    def tell_story(self) -> None:
        """Ask the training process for the paper's four panels from this run (answered by ``story_told``)."""
        self.bridge.send(msg.TellStory(self.bridge.epoch))

    def stop(self) -> None:
        self.bridge.stop()

    # --- from the process -----------------------------------------------------------------------
    def _on_frame(self, snap: Snapshot) -> None:
        self.recording.add_frame(snap)
        self.frame_ready.emit(snap)
        self.bridge.send(msg.FrameTaken())  # drawn: the loop may make the next one

    def _on_records(self, rows: list) -> None:
        self.recording.add_records(rows)
        self.records_added.emit()

    def _on_status(self, status: msg.Status) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _on_notice(self, text: str, level: str) -> None:
        if level in ("knob", "script"):
            self.recording.note(self.step, text, level)
        self.notice.emit(text, level)

    def _on_message(self, message) -> None:
        if isinstance(message, msg.StoryTold):
            self.story_told.emit(message)

    def _on_restarted(self, step: int) -> None:
        self.recording.restart(step)
        self.restarted.emit(step)

    def _on_failed(self, message: str) -> None:
        self.failure = message
        self.failed.emit(message)
