"""The live loop: dataclass messages in (play, knobs, new run, restart, …), frames and records out. No Qt.

It runs in the training process (process.py) and is tested directly, without a window. Every message out
carries the ``epoch`` of the run it belongs to: the window starts a run (a preset, Reset, "restart from
here") with a new epoch and ignores anything older still in flight, so an old run never reaches the screen.

Throttled at both ends: a frame at most ``max_fps`` times a second, and a new one only after the window says
it has drawn the previous one (FrameTaken). Records are never dropped: they are sent as they are made.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ganviz.config import ConfigError, TrainConfig, format_value
from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer
from ganviz.engine.drive import SLICE_SECONDS, Diverged, Driver, Recorded, Scheduled

SLOW_MOTION = 10.0  # at or below this many iterations per second, training goes update by update


# --- messages in -------------------------------------------------------------------------------------
@dataclass
class Play:
    pass


@dataclass
class Pause:
    pass


@dataclass
class StepOnce:
    kind: str = "iteration"  # "iteration", "D" or "G"


@dataclass
class SetKnobs:
    changes: dict


@dataclass
class NewRun:
    """Start a run: new nets from ``config``'s seed, its script, its fixed x range."""

    epoch: int
    config: TrainConfig
    schedule: dict = field(default_factory=dict)
    extent: tuple | None = None


@dataclass
class Reset:
    """New nets from the seed with the knobs as they are now; the run's script plays again."""

    epoch: int


@dataclass
class Restart:
    """Continue from a recorded frame's state (weights, optimizer, random stream), with today's knobs."""

    epoch: int
    step: int
    state: dict


@dataclass
class SetSpeed:
    steps_per_second: float  # 0: as fast as possible


@dataclass
class RunUntil:
    step: int


@dataclass
class FrameTaken:
    pass


@dataclass
class Stop:
    pass


# --- messages out ------------------------------------------------------------------------------------
@dataclass
class Frame:
    epoch: int
    snapshot: Snapshot


@dataclass
class Records:
    epoch: int
    rows: list


@dataclass
class Status:
    epoch: int
    playing: bool
    iteration: int
    config: TrainConfig
    rate: float  # iterations per second while playing, 0 when paused
    device: str


@dataclass
class Notice:
    epoch: int
    text: str
    level: str = "info"  # "info", "script", "error"


@dataclass
class Failed:
    """Training stopped: it diverged (or the process hit an internal error)."""

    epoch: int
    message: str


class LiveLoop:
    def __init__(self, config: TrainConfig, max_fps: float = 60.0):
        self.max_fps = max_fps
        self.epoch = 0
        self.playing = False
        self.speed = 0.0
        self.until: int | None = None
        self.waiting_for_taken = False
        self._shown = None  # (iteration, updates) of the last frame: an unchanged state is not sent again
        self._last_frame = 0.0
        self._rate, self._rate_t, self._rate_n = 0.0, time.perf_counter(), 0
        self._paced_t0, self._paced_n = 0.0, 0
        self._last_status = 0.0
        self.out: list = []
        self.stopped = False
        self.driver: Driver | None = None
        try:
            self._start(NewRun(0, config))
        except ConfigError as exc:  # e.g. a saved config whose CSV is gone: say so, train the default
            self._start(NewRun(0, TrainConfig()))
            self._notice(f"{exc}; started with the default config instead", "error")

    # --- the protocol ---------------------------------------------------------------------------
    def handle(self, message) -> None:
        match message:
            case Play():
                self._set_playing(True)
            case Pause():
                self._set_playing(False)
                self._frame(force=True)
            case StepOnce(kind=kind):
                self._set_playing(False)
                self._single(kind)
            case SetKnobs(changes=changes):
                self._knobs(changes)
            case NewRun() as run:
                try:
                    self._start(run)
                except ConfigError as exc:
                    self._refused(run.epoch, exc)
                    self._status()
            case Reset(epoch=epoch):
                run = self.run
                try:
                    config = run.config.replace(**self.user_changes)
                    self._start(NewRun(epoch, config, run.schedule, run.extent), origin=run)
                except ConfigError as exc:
                    self._refused(epoch, exc)
            case Restart(epoch=epoch, step=step, state=state):
                self._restart(epoch, step, state)
            case SetSpeed(steps_per_second=speed):
                self.speed = max(0.0, float(speed))
                self._paced_t0, self._paced_n = time.perf_counter(), 0
            case RunUntil(step=step):
                self.until = int(step)
            case FrameTaken():
                self.waiting_for_taken = False
            case Stop():
                self.stopped = True
            case _:
                self._notice(f"unknown message {type(message).__name__}", "error")

    def take(self) -> list:
        out, self.out = self.out, []
        return out

    @property
    def trainer(self) -> Trainer:
        return self.driver.trainer

    # --- runs -----------------------------------------------------------------------------------
    def _start(self, run: NewRun, origin: NewRun | None = None) -> None:
        trainer = Trainer(run.config)  # may refuse (a bad CSV): then the old run goes on
        self.driver = Driver(trainer, dict(run.schedule), extent=run.extent, with_state=True)
        self.epoch = run.epoch
        if origin is None:  # a new run (not a Reset of this one): its own start and no knob turned yet
            self.run, self.user_changes = run, {}
        self._shown = None
        self.until = None
        self._set_playing(False, announce=False)
        self._emit_records(self.driver.record())
        self._frame(force=True)
        self._status()

    def _restart(self, epoch: int, step: int, state: dict) -> None:
        t = self.trainer
        fresh = Trainer(t.configs[0], target=t.target)
        try:
            fresh.load_state(state)
        except (ConfigError, KeyError, RuntimeError, ValueError) as exc:
            self._notice(f"cannot restart from step {step}: {exc}", "error")
            return
        self.driver = Driver(fresh, dict(self.driver.schedule), extent=self.driver.seen(), with_state=True)
        self.epoch = epoch
        self._set_playing(False, announce=False)
        self._frame(force=True)
        self._status()

    def _knobs(self, changes: dict) -> None:
        t = self.trainer
        before = t.cfg
        try:
            was_reset = t.set(**changes)
        except ConfigError as exc:
            self._notice(str(exc), "error")  # nothing changed: the window shows the old value again
            self._status()
            return
        applied = before.changed(t.cfg)
        self.user_changes.update(applied)
        if applied:
            text = ", ".join(f"{k} = {format_value(k, v)}" for k, v in applied.items())
            self._notice(("new networks: " if was_reset else "") + text, "knob")
        if was_reset:
            self.driver = Driver(t, self.driver.schedule, extent=self.driver.seen(), with_state=True)
            self._emit_records(self.driver.record())
        self._frame(force=True)
        self._status()

    def _single(self, kind: str) -> None:
        t = self.trainer
        if kind == "D":
            t.d_step(stats=True)
        elif kind == "G":
            t.g_step(stats=True)
        else:
            t.step(stats=True)
        self._after_training()
        self._frame(force=True)
        self._status()

    # --- playing --------------------------------------------------------------------------------
    def _set_playing(self, playing: bool, announce: bool = True) -> None:
        if playing != self.playing:
            self.playing = playing
            self._rate_t, self._rate_n = time.perf_counter(), 0
            self._paced_t0, self._paced_n = time.perf_counter(), 0
            if announce:
                self._status()

    def tick(self) -> None:
        """Train one slice when playing; make the frame and records that are due."""
        if not self.playing:
            return
        if 0 < self.speed <= SLOW_MOTION:
            self._slow_motion()
        else:
            self._fast()
        if self.until is not None and self.trainer.iteration >= self.until:
            self.until = None
            self._set_playing(False)
            self._frame(force=True)
        else:
            self._frame()
        now = time.perf_counter()
        if now - self._last_status > 0.5:
            self._status()

    def _fast(self) -> None:
        driver = self.driver
        limit = None
        if self.speed > 0:  # paced: only the iterations that are due by now
            due = int((time.perf_counter() - self._paced_t0) * self.speed) - self._paced_n
            if due <= 0:
                return
            limit = due
        before = self.trainer.iteration
        events = driver.advance(max_iterations=limit, seconds=SLICE_SECONDS, stop=self.until)
        self._count(self.trainer.iteration - before)
        self._paced_n += self.trainer.iteration - before
        self._events(events)

    def _slow_motion(self) -> None:
        """Update by update (one D step, then one G step, …), each shown as a frame with its player."""
        t = self.trainer
        per_iteration = max(t.k) + max(t.g_k)
        due = int((time.perf_counter() - self._paced_t0) * self.speed * per_iteration) - self._paced_n
        if due <= 0:
            return
        self._events(self.driver.apply_schedule())
        t.update(stats=True)
        self._paced_n += 1
        if t.phase == 0:
            self._count(1)
            self._after_training()
        self.waiting_for_taken = False  # every update is worth a frame in slow motion

    def _after_training(self) -> None:
        """Records due after single steps or slow motion (the driver makes them when it trains)."""
        t = self.trainer
        if t.iteration % self.driver.record_every == 0 and t.iteration > 0 and t.phase == 0:
            self._events([self.driver.record()])

    def _count(self, n: int) -> None:
        self._rate_n += n
        now = time.perf_counter()
        if now - self._rate_t >= 0.5:
            self._rate = self._rate_n / (now - self._rate_t)
            self._rate_t, self._rate_n = now, 0

    def _events(self, events: list) -> None:
        for e in events:
            if isinstance(e, Recorded):
                self._emit_records(e)
            elif isinstance(e, Scheduled):
                self._notice(f"the preset's script at {e.text}", "script")
                self._status()
            elif isinstance(e, Diverged):
                self._set_playing(False)
                self.out.append(Failed(self.epoch, e.message))
                self._status()

    def _emit_records(self, e: Recorded) -> None:
        self.out.append(Records(self.epoch, [s.record() for s in e.snapshots]))

    # --- out ------------------------------------------------------------------------------------
    def _frame(self, force: bool = False) -> None:
        now = time.perf_counter()
        t = self.trainer
        state = (t.iteration, t.d_updates, t.g_updates)
        if not force and (self.waiting_for_taken or now - self._last_frame < 1.0 / self.max_fps
                          or state == self._shown):
            return
        self._shown = state
        snap = self.driver.snapshot()
        if not math.isfinite(snap.jsd) and self.playing:
            self._set_playing(False)
            self.out.append(Failed(self.epoch, f"training diverged at step {snap.step}: G's output became "
                                               "NaN or infinite (a learning rate may be too high)"))
        snap.metrics["steps_per_second"] = self._rate if self.playing else 0.0
        self.out.append(Frame(self.epoch, snap))
        self.waiting_for_taken = True
        self._last_frame = now

    def _status(self) -> None:
        t = self.trainer
        self._last_status = time.perf_counter()
        self.out.append(Status(self.epoch, self.playing, t.iteration, t.cfg, self._rate if self.playing else 0.0,
                               str(t.device)))

    def _notice(self, text: str, level: str = "info") -> None:
        self.out.append(Notice(self.epoch, text, level))

    def _refused(self, epoch: int, exc: ConfigError) -> None:
        """A refused NewRun / Reset is reported under the epoch the window gave it: the window has already
        moved to that epoch and drops anything older, so a refusal under the old run's epoch never arrived
        (``gui --device cuda --screenshot`` without CUDA waited forever)."""
        self.out.append(Notice(epoch, str(exc), "error"))

    def idle_seconds(self) -> float:
        """How long the process may wait for messages before the next slice is due."""
        if not self.playing:
            return 0.05
        if 0 < self.speed:
            per = (max(self.trainer.k) + max(self.trainer.g_k)) if self.speed <= SLOW_MOTION else 1
            next_due = self._paced_t0 + (self._paced_n + 1) / (self.speed * per)
            return max(0.0, min(0.05, next_due - time.perf_counter()))
        return 0.0
