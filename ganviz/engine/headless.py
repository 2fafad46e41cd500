"""A headless run: drive a trainer to the end, record it, summarise it (`ganviz run`, the preset table,
the tests and the bench). Knows nothing of terminals or Qt: progress goes to an optional callback and a
cancel flag is checked between slices."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer
from ganviz.engine.drive import Diverged, Driver, Recorded, Scheduled
from ganviz.engine.recording import Recording

Progress = Callable[[int, int, dict], None]


@dataclass
class HeadlessRun:
    config: TrainConfig  # at the end (a schedule may have changed knobs)
    recording: Recording
    last: Snapshot | None
    error: str | None  # set when training diverged
    seconds: float
    device: str

    @property
    def records(self) -> list[dict]:
        return self.recording.records

    def summary(self) -> dict:
        return self.recording.summary(seconds=self.seconds, device=self.device)

    def document(self) -> dict:
        return self.recording.document(self.config, self.summary())


def run_headless(cfg: TrainConfig, steps: int | None = None, schedule: dict | None = None,
                 progress: Progress | None = None, cancel=None, trainer: Trainer | None = None) -> HeadlessRun:
    """Train ``steps`` iterations (cfg.steps by default), recording every ``record_every``; a schedule maps an
    iteration to knob changes applied when it is reached (as a lecturer turning a knob live)."""
    steps = cfg.steps if steps is None else steps
    trainer = trainer or Trainer(cfg)
    driver = Driver(trainer, dict(schedule or {}))
    recording = Recording(cfg)
    recording.add_records([s.record() for s in driver.record().snapshots])  # step 0
    last, error = None, None
    started = time.perf_counter()
    for event in driver.run(steps):
        if isinstance(event, Recorded):
            last = event.snapshots[0]
            recording.add_records([last.record()])
            if progress:
                progress(event.step, steps, recording.records[-1])
        elif isinstance(event, Scheduled):
            recording.note(event.step, event.text, "script")
        elif isinstance(event, Diverged):
            error = event.message
        if cancel is not None:
            cancel.check()
    return HeadlessRun(trainer.cfg, recording, last, error, time.perf_counter() - started, str(trainer.device))
