"""Headless run: train for N iterations, record metrics every ``record_every`` steps, summarise.

Used by `ganviz run`, the preset tests and the benchmarks; knows nothing of terminals or Qt (progress goes
to an optional callback).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from ganviz.config import TrainConfig
from ganviz.core.diagnose import diagnose
from ganviz.core.snapshot import Snapshot, take_snapshot
from ganviz.core.trainer import DivergedError, Trainer

Progress = Callable[[int, int, Snapshot], None]


@dataclass
class RunResult:
    config: TrainConfig
    history: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    last: Snapshot | None = None
    error: str | None = None  # set when training diverged

    def to_dict(self) -> dict:
        return {"config": self.config.to_dict(), "history": self.history, "summary": self.summary}


def summarise(trainer: Trainer, history: list[dict], last: Snapshot | None, seconds: float) -> dict:
    n_modes = len(trainer.target.modes())
    return {
        "steps": trainer.iteration,
        "jsd": last.jsd if last else None,
        "c_g": last.c_g if last else None,
        "d_dev": last.d_dev if last else None,
        "mode_coverage": last.coverage if last else None,
        "mode_masses": [float(m) for m in last.mode_masses] if last else [],
        "steps_per_second": trainer.iteration / seconds if seconds > 0 else None,
        "seconds": seconds,
        "device": str(trainer.device),
        "pg_method": last.pg_method if last else None,
        "diagnosis": diagnose(history, n_modes),
    }


def run_headless(cfg: TrainConfig, steps: int | None = None, progress: Progress | None = None,
                 trainer: Trainer | None = None,
                 schedule: dict[int, dict] | None = None) -> RunResult:
    """Train ``steps`` iterations (cfg.steps by default). ``schedule`` maps an iteration to knob changes
    applied when it is reached (e.g. {2000: {"g_loss": "non_saturating"}}), as a user turning a knob live."""
    steps = cfg.steps if steps is None else steps
    trainer = trainer or Trainer(cfg)
    schedule = dict(schedule or {})
    result = RunResult(config=trainer.cfg)
    every = cfg.record_every
    start = time.perf_counter()
    last = None
    try:
        while trainer.iteration < steps:
            for at in sorted(k for k in schedule if k <= trainer.iteration):
                trainer.set(**schedule.pop(at))
            n = min(every - trainer.iteration % every, steps - trainer.iteration)
            nxt = [k for k in schedule if k > trainer.iteration]
            if nxt:
                n = min(n, min(nxt) - trainer.iteration)
            trainer.train(n)
            if trainer.iteration % every == 0 or trainer.iteration == steps:
                last = take_snapshot(trainer)
                result.history.append(last.record())
                if progress:
                    progress(trainer.iteration, steps, last)
    except DivergedError as exc:
        result.error = str(exc)
        result.history.append({"step": trainer.iteration, "jsd": float("nan"), "loss_d": float("nan"),
                               "loss_g": float("nan")})
    result.last = last
    result.summary = summarise(trainer, result.history, last, time.perf_counter() - start)
    result.config = trainer.cfg
    return result
