"""TrainingLoop: the live-training state machine, with no Qt and no threads of its own.

It takes commands (play, pause, single steps, reset, speed, run-until, knob changes) and, while playing,
trains in short slices and produces events: ("snapshot", Snapshot) at most ``max_fps`` a second and only
when the previous one was taken, ("state", playing), ("diverged", message), ("failed", message),
("reset", TrainConfig), ("trainer", dict of the trainer's live state, after every knob change).

The same loop runs inside the worker's QThread or in a separate process (see worker.py): in a process,
training and the GUI no longer share Python's GIL, so drawing costs training almost nothing.
"""

from __future__ import annotations

import time
from typing import Any

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.snapshot import take_snapshot
from ganviz.core.trainer import DivergedError, Trainer

CHUNK_SECONDS = 0.004  # train in slices this long between looks at the commands
Event = tuple[str, Any]


def trainer_state(t: Trainer) -> dict:
    """What the trainer will use on its next step (tests and the status line read this)."""
    return {"cfg": t.cfg, "iteration": t.iteration, "d_updates": t.d_updates, "g_updates": t.g_updates,
            "lr_d": t.opt_d.param_groups[0]["lr"], "lr_g": t.opt_g.param_groups[0]["lr"],
            "optimizer": type(t.opt_d).__name__, "device": str(t.device)}


class TrainingLoop:
    def __init__(self, cfg: TrainConfig, max_fps: float = 60.0):
        self.start_error: str | None = None
        try:
            self.trainer = Trainer(cfg)
        except ConfigError as exc:  # e.g. a saved config whose CSV is gone: say so, train the default
            self.start_error = f"{exc}; started with the default config instead"
            self.trainer = Trainer(TrainConfig())
        self.max_fps = max_fps
        self.playing = False
        self.cap = 0.0  # iterations per second; 0: as fast as possible
        self.run_until: int | None = None
        self.snapshot_pending = False  # a snapshot was produced and not taken yet
        self.schedule: dict[int, dict] = {}  # iteration -> knob changes still to come (a preset's script)
        self.script: dict[int, dict] = {}  # the whole script, replayed after a Reset
        self.measured_rate = 0.0
        self._pause_for_cap = 0.0  # how long to wait after a slice to keep to the speed cap
        self._last_emit = 0.0
        self._rate_t, self._rate_n = time.perf_counter(), 0

    # --- commands -------------------------------------------------------------------------------
    def apply(self, commands: list[Event], knobs: dict) -> list[Event]:
        events: list[Event] = []
        t = self.trainer
        if knobs:
            try:
                if t.set(**knobs):
                    events.append(("reset", t.cfg))
            except ConfigError as exc:
                events.append(("failed", str(exc)))
            events.append(("trainer", trainer_state(t)))
            self._snapshot(events, force=True)
        for name, arg in commands:
            if name == "play":
                self._set_playing(True, events)
            elif name == "pause":
                self._set_playing(False, events)
                self._snapshot(events, force=True)
            elif name == "speed":
                self.cap = float(arg)
            elif name == "until":
                self.run_until = int(arg)
            elif name == "schedule":
                self.script = {int(k): v for k, v in arg.items()}
                self._script_base = t.cfg
                self.schedule = {k: v for k, v in self.script.items() if k >= t.iteration}
            elif name == "taken":
                self.snapshot_pending = False
            elif name == "rewind":  # (cfg, weights, step): continue from a recorded point
                cfg, weights, step = arg
                try:
                    t = Trainer(cfg)
                    t.load_weights(weights, step)
                except (ConfigError, KeyError, RuntimeError) as exc:
                    events.append(("failed", f"cannot restart from step {step}: {exc}"))
                    continue
                self.trainer = t
                self._set_playing(False, events)
                events += [("reset", t.cfg), ("trainer", trainer_state(t))]
                self._snapshot(events, force=True)
            elif name == "reset":
                cfg = arg or t.cfg
                if arg is None and self.script:  # the script's changes are undone, then replayed
                    first = {}
                    for at in sorted(self.script):
                        for key in self.script[at]:
                            first.setdefault(key, getattr(self._script_base, key))
                    cfg = cfg.replace(**first)
                try:
                    self.trainer = t = Trainer(cfg)
                except ConfigError as exc:
                    events.append(("failed", str(exc)))
                    continue
                self.schedule = dict(self.script)
                events += [("reset", t.cfg), ("trainer", trainer_state(t))]
                self._snapshot(events, force=True)
            elif name in ("step", "step_d", "step_g"):
                self._set_playing(False, events)
                {"step": t.step, "step_d": t.d_step, "step_g": t.g_step}[name](stats=True)
                events.append(("trainer", trainer_state(t)))
                self._snapshot(events, force=True)
            elif name == "state":
                events.append(("trainer", trainer_state(t)))
                if self.start_error:
                    events.append(("failed", self.start_error))
                    self.start_error = None
        return events

    def _set_playing(self, playing: bool, events: list[Event]) -> None:
        if playing != self.playing:
            self.playing = playing
            events.append(("state", playing))

    # --- training -------------------------------------------------------------------------------
    def advance(self) -> list[Event]:
        """Train one slice (when playing) and produce a snapshot if one is due."""
        events: list[Event] = []
        if not self.playing:
            return events
        self._run_schedule(events)
        n = self._train_slice()
        now = time.perf_counter()
        self._rate_n += n
        if now - self._rate_t > 0.5:
            self.measured_rate = self._rate_n / (now - self._rate_t)
            self._rate_t, self._rate_n = now, 0
        if self.run_until is not None and self.trainer.iteration >= self.run_until:
            self.run_until = None
            self._set_playing(False, events)
            self._snapshot(events, force=True)
        elif now - self._last_emit >= 1.0 / self.max_fps:
            self._snapshot(events)
        return events

    def _run_schedule(self, events: list[Event]) -> None:
        t = self.trainer
        for at in sorted(k for k in self.schedule if k <= t.iteration):
            knobs = self.schedule.pop(at)
            t.set(**knobs)
            changes = ", ".join(f"{k} = {v}" for k, v in knobs.items())
            events += [("trainer", trainer_state(t)),
                       ("scheduled", f"Step {t.iteration}: {changes} (the preset's script)")]

    def _limit(self) -> int | None:
        """The next iteration the slice must stop at: run-until or the next scheduled change."""
        marks = [k for k in self.schedule if k > self.trainer.iteration]
        if self.run_until is not None:
            marks.append(self.run_until)
        return min(marks) if marks else None

    def idle_seconds(self) -> float:
        """How long the caller may wait for commands before the next slice is due."""
        if not self.playing:
            return 0.05
        return self._pause_for_cap

    def _train_slice(self) -> int:
        t = self.trainer
        started = time.perf_counter()
        self._pause_for_cap = 0.0
        limit = self._limit()
        if self.cap > 0:
            n = max(1, round(self.cap * 0.02))
            if limit is not None:
                n = max(1, min(n, limit - t.iteration))
            for i in range(n):
                t.step(stats=i == n - 1)
            self._pause_for_cap = max(0.0, n / self.cap - (time.perf_counter() - started))
            return n
        deadline = started + CHUNK_SECONDS
        n = 0
        while time.perf_counter() < deadline and (limit is None or t.iteration < limit - 1):
            t.step()
            n += 1
        t.step(stats=True)  # the slice's last step records the stats a snapshot shows
        return n + 1

    def _snapshot(self, events: list[Event], force: bool = False) -> None:
        if self.snapshot_pending and not force:
            return
        try:
            snap = take_snapshot(self.trainer)
        except DivergedError as exc:
            self._set_playing(False, events)
            events.append(("diverged", str(exc)))
            return
        snap.metrics["steps_per_second"] = self.measured_rate
        snap.weights = self.trainer.weights()  # so the timeline can restart from this frame
        events.append(("snapshot", snap))
        self.snapshot_pending = True
        self._last_emit = time.perf_counter()
