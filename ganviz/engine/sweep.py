"""Sweeps: a grid of GANs trained at once, each cell diagnosed like a single run (engine/grid.py: the axes).

Axis specs:  ``lr_d=1e-4:1e-1:log:16``  (lo:hi[:log|lin]:N)  or a list  ``g_loss=saturating,non_saturating``.
Any knob can be an axis. Cells that differ only in per-member knobs (learning rates, k, loss, seed,
stabiliser strengths, …) train as members of one batched Trainer; cells that differ in structure (an
architecture, the optimizer, unrolling) form groups, each its own batched Trainer. Every cell draws from its
own random stream exactly as a single run with its config would, so a cell opened as a run follows the same
trajectory.
"""

from __future__ import annotations

import math
import time

from ganviz.config import TrainConfig
from ganviz.core.trainer import Trainer, structure
from ganviz.engine.drive import Diverged, Driver, Recorded
from ganviz.engine.grid import Axis, sweep_configs
from ganviz.engine.messages import Stop, SweepGrid
from ganviz.engine.recording import Recording

CHUNK = 256  # members per batched Trainer: beyond this the activations outgrow the caches (measured: N = 1024
# in one batch ran at half the per-GAN rate of N = 256; in chunks of 256 at the same rate)
SWEEP_RECORDS = 25  # records per cell over the sweep (the detectors' windows need a few)
SLICE = 0.25  # seconds of training per group between two looks at the window's messages
REPORT_SECONDS = 0.5  # the grid so far goes to the window at most this often


def groups(configs: list[TrainConfig], chunk: int = CHUNK) -> list[list[int]]:
    """Indices of the cells that train as one batched Trainer: the same structure, at most ``chunk`` of them."""
    by: dict[tuple, list[int]] = {}
    for i, c in enumerate(configs):
        by.setdefault(structure(c), []).append(i)
    return [idx[k:k + chunk] for idx in by.values() for k in range(0, len(idx), chunk)]


class Sweep:
    """Trains the grid group by group in short slices; each cell's records go into its own Recording (the
    badge judges them as in a single run), and ``result()`` is the grid so far."""

    def __init__(self, base: TrainConfig, x: Axis, y: Axis, steps: int | None = None,
                 schedule: dict | None = None):
        self.base, self.x, self.y = base, x, y
        self.steps = steps or base.steps
        self.configs = sweep_configs(base, x, y)
        every = max(1, self.steps // SWEEP_RECORDS)
        self.drivers = []
        for idx in groups(self.configs):
            trainer = Trainer([self.configs[i] for i in idx])
            self.drivers.append((idx, Driver(trainer, dict(schedule or {}), record_every=every)))
        self.recordings = [Recording(c) for c in self.configs]
        self.done = 0

    @property
    def complete(self) -> bool:
        return self.done >= self.steps

    def advance(self, seconds: float = SLICE) -> bool:
        """Train every group for about ``seconds`` (never past its next record mark); False once complete."""
        if self.complete:
            return False
        for idx, driver in self.drivers:
            if driver.trainer.iteration >= self.steps:
                continue
            for e in driver.advance(seconds=seconds, stop=self.steps):
                if isinstance(e, Recorded):
                    for i, snap in zip(idx, e.snapshots):
                        row = snap.record()
                        if i in driver.diverged:
                            row["jsd"] = math.nan
                        self.recordings[i].add_records([row])
                elif isinstance(e, Diverged):
                    self.recordings[idx[e.member]].add_records([{"step": e.step, "jsd": math.nan}])
        self.done = min(d.trainer.iteration for _, d in self.drivers)
        return True

    def result(self) -> dict:
        cells = []
        nx = len(self.x.values)
        for i, (cfg, rec) in enumerate(zip(self.configs, self.recordings)):
            found, outcome = rec.diagnosis()
            last = rec.records[-1] if rec.records else {}
            cells.append({self.x.key: getattr(cfg, self.x.key), self.y.key: getattr(cfg, self.y.key),
                          "row": i // nx, "col": i % nx, "outcome": outcome, "diagnosis": found,
                          "jsd": _finite(last.get("jsd")), "d_dev": _finite(last.get("d_dev")),
                          "coverage": _finite(last.get("coverage"))})
        return {"config": self.base.to_dict(), "steps": self.done, "total_steps": self.steps,
                "axes": {"x": {"key": self.x.key, "values": self.x.values, "log": self.x.log},
                         "y": {"key": self.y.key, "values": self.y.values, "log": self.y.log}},
                "cells": cells}


def run_sweep(base: TrainConfig, x: Axis, y: Axis, steps: int | None = None, progress=None,
              cancel=None) -> dict:
    sweep = Sweep(base, x, y, steps)
    while sweep.advance():
        if cancel is not None:
            cancel.check()
        if progress:
            progress(sweep.done, sweep.steps)
    return sweep.result()


def _finite(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


class SweepJob:
    """The sweep as a background job (engine/process.py): trains in short slices and sends the grid so far
    (at once, then at most every REPORT_SECONDS), so the sweep lab fills in from its first second."""

    def __init__(self, request: dict):
        self.sweep = Sweep(request["config"], request["x"], request["y"], request.get("steps"))
        self.stopped = False
        self.out: list = [SweepGrid(self.sweep.result())]
        self._sent = time.perf_counter()

    def handle(self, message) -> None:
        if isinstance(message, Stop):
            self.stopped = True

    def tick(self) -> None:
        self.sweep.advance()
        done = self.sweep.complete
        if done or time.perf_counter() - self._sent >= REPORT_SECONDS:
            self.out.append(SweepGrid(self.sweep.result(), done))
            self._sent = time.perf_counter()
        self.stopped = done

    def take(self) -> list:
        out, self.out = self.out, []
        return out

    def idle_seconds(self) -> float:
        return 0.0


def sweep_job(request: dict) -> SweepJob:
    """Built in the sweep's process: batched GANs are compute-bound, so it takes the threads it is given."""
    import torch

    torch.set_num_threads(request.get("threads", 1))
    return SweepJob(request)
