"""The live loop: messages in (play, knobs, new run, restart, …), frames and records out. No Qt.

It runs in the training process (engine/process.py) and is tested directly, without a window. The messages
are the dataclasses of engine/messages.py. Every message out carries the ``epoch`` of the run it belongs to:
the window starts a run (a preset, Reset, "restart from here") with a new epoch and ignores anything older
still in flight, so an old run never reaches the screen.

Every move of the trainer goes through the Driver: playing (``advance``), slow motion and the single-step keys
(``update``), so the preset's script, the record marks and the divergence check apply however the run moves.

Throttled at both ends: a frame at most ``max_fps`` times a second, and a new one only after the window says
it has drawn the previous one (FrameTaken). Records are never dropped: they are sent as they are made.
Frames carry only what the screen shows; the trainer's state for "restart from here" stays in the loop
(``StateStore``) and is used when the window asks for it.
"""

from __future__ import annotations

import math
import time

from ganviz.config import ConfigError, TrainConfig, format_value, four_panels_refusal
from ganviz.core.trainer import Trainer
from ganviz.engine.drive import SLICE_SECONDS, Diverged, Driver, Recorded, Scheduled
from ganviz.engine.states import StateStore
from ganviz.engine.messages import (SLOW_MOTION, Failed, Frame, FrameTaken, NewRun, Notice, Pause, Play, Records, Reset,
                                    Restart, Restarted, RunUntil, SetKnobs, SetSpeed, Status, StepOnce, Stop,
                                    StoryTold, TellStory)
from ganviz.engine.story import pick_a, tell, trainer_at



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
        self.states = StateStore()
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
            case Reset(epoch=epoch):
                run = self.run
                try:
                    config = run.config.replace(**self.user_changes)
                    self._start(NewRun(epoch, config, run.schedule, run.extent), origin=run)
                except ConfigError as exc:
                    self._refused(epoch, exc)
            case Restart(epoch=epoch, step=step):
                self._restart(epoch, step)
            case SetSpeed(steps_per_second=speed):
                self.speed = max(0.0, float(speed))
                self._paced_t0, self._paced_n = time.perf_counter(), 0
            case RunUntil(step=step):
                self.until = int(step)
            case FrameTaken():
                self.waiting_for_taken = False
            case TellStory(epoch=epoch):
                self._tell(epoch)
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
        t = self.driver.trainer if self.driver is not None else None
        if t is not None and t.d_updates + t.g_updates == 0 and t.cfg == run.config:
            trainer = t  # the window's first run is the one this process was started with: no second build
        else:
            trainer = Trainer(run.config)  # may refuse (a bad CSV, no CUDA): then the old run goes on
        self.driver = Driver(trainer, dict(run.schedule), extent=run.extent)
        self.epoch = run.epoch
        if origin is None:  # a new run (not a Reset of this one): its own start and no knob turned yet
            self.run, self.user_changes = run, {}
        self.states = StateStore()
        self.records: list[dict] = []  # this run's records on its current line (the four panels choose from them)
        self._shown = None
        self.until = None
        self._set_playing(False, announce=False)
        self._emit_records(self.driver.record())
        self._frame(force=True)
        self._status()

    def _refused(self, epoch: int, exc: ConfigError) -> None:
        """A refused NewRun / Reset: the old run goes on, under the epoch the window moved to (the window drops
        anything older, so a refusal under the old epoch would never arrive: `gui --device cuda --screenshot`
        without CUDA once waited forever). Its frame and status follow, so the window shows the run it has."""
        self.epoch = epoch
        self._notice(str(exc), "error")
        self._emit_records(self.driver.record())
        self._frame(force=True)
        self._status()

    def _restart_refused(self, epoch: int, text: str) -> None:
        """A refused Restart: the run goes on as it was, under the epoch the window moved to (a notice under the
        old one would be dropped with every frame after it, and the window would fall silent)."""
        self.epoch = epoch
        self._notice(text, "error")
        self._frame(force=True)
        self._status()

    def _restart(self, epoch: int, step: int) -> None:
        kept = self.states.at_or_before(step)
        if kept is None:
            self._restart_refused(epoch, f"cannot restart from step {step}: no state was kept that early")
            return
        at, state = kept
        t = self.trainer
        fresh = Trainer(t.configs[0], target=t.target)
        try:
            fresh.load_state(state)
        except (ConfigError, KeyError, RuntimeError, ValueError) as exc:
            self._restart_refused(epoch, f"cannot restart from step {at}: {exc}")
            return
        self.driver = Driver(fresh, dict(self.driver.schedule), extent=self.driver.seen())
        self.states.cut_after(at)
        self.records = [r for r in self.records if r["step"] <= at]
        self.epoch = epoch
        self.out.append(Restarted(epoch, at))
        self._set_playing(False, announce=False)
        self._shown = None
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
            self.driver = Driver(t, self.driver.schedule, extent=self.driver.seen())
            self._emit_records(self.driver.record())
        self._frame(force=True)
        self._status()

    def _single(self, kind: str) -> None:
        self._events(self.driver.update(kind))
        self._count(0)
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
        before = t.iteration
        self._events(self.driver.update("next"))
        self._paced_n += 1
        self._count(t.iteration - before)
        self.waiting_for_taken = False  # every update is worth a frame in slow motion

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
        self.states.keep(e.step, self.trainer.state())
        rows = [s.record() for s in e.snapshots]
        self.records = [r for r in self.records if r["step"] < e.step] + rows
        self.out.append(Records(self.epoch, rows))

    def _tell(self, epoch: int) -> None:
        """The paper's four panels from this run: (a) a kept state near convergence, …, (d) now."""
        t = self.trainer
        refusal = four_panels_refusal(t.cfg)
        if refusal:
            self._notice(refusal, "error")
            return
        kept = self.states.at_or_before(pick_a(self.records))
        if kept is None or t.iteration == 0:
            self._notice("train a little first: the four panels start from a state of the run", "error")
            return
        try:
            story = tell(trainer_at(t.cfg, t.target, kept[1]), self.driver.snapshot(), self.driver.seen())
        except Exception as exc:  # the run goes on whatever the panels met
            self._notice(f"the four panels could not be told: {type(exc).__name__}: {exc}", "error")
            return
        self.out.append(StoryTold(epoch, story.snapshots, story.notes))

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
        if t.phase == 0:
            self.states.keep(t.iteration, t.state())  # every frame shown can be restarted from
        self.out.append(Frame(self.epoch, snap))
        self.waiting_for_taken = True
        self._last_frame = now

    def _status(self) -> None:
        t = self.trainer
        self._last_status = time.perf_counter()
        self.out.append(Status(self.epoch, self.playing, t.iteration, t.cfg, self._rate if self.playing else 0.0,
                               str(t.device), t.d_updates + t.g_updates))

    def _notice(self, text: str, level: str = "info") -> None:
        self.out.append(Notice(self.epoch, text, level))

    def idle_seconds(self) -> float:
        """How long the process may wait for messages before the next slice is due."""
        if not self.playing:
            return 0.05
        if 0 < self.speed:
            per = (max(self.trainer.k) + max(self.trainer.g_k)) if self.speed <= SLOW_MOTION else 1
            next_due = self._paced_t0 + (self._paced_n + 1) / (self.speed * per)
            return max(0.0, min(0.05, next_due - time.perf_counter()))
        return 0.0


def live_job(request: dict) -> LiveLoop:
    """The live loop as a job of engine/process.py (built in the training process)."""
    import torch

    torch.set_num_threads(request.get("threads", 1))  # tiny nets: one thread is fastest, a core is left free
    return LiveLoop(request["config"], request.get("max_fps", 60.0))
