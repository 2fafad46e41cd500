"""Sweeps: a grid of GANs trained at once, each cell diagnosed like a single run.

Axis specs:  ``lr_d=1e-4:1e-1:log:16``  (lo:hi[:log|lin]:N)  or a list  ``g_loss=saturating,non_saturating``.
Any knob can be an axis. Cells that differ only in per-member knobs (learning rates, k, loss, seed,
stabiliser strengths, …) train as members of one batched Trainer; cells that differ in structure (an
architecture, the optimizer, unrolling) form groups, each its own batched Trainer. Every cell draws from its
own random stream exactly as a single run with its config would, so a cell opened as a run follows the same
trajectory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.diagnose import diagnose, headline
from ganviz.core.trainer import Trainer, structure
from ganviz.engine.drive import Diverged, Driver, Recorded
from ganviz.io.limits import clip

MAX_CELLS_PER_AXIS = 32
CHUNK = 256  # members per batched Trainer: beyond this the activations outgrow the caches (measured: N = 1024
# in one batch ran at half the per-GAN rate of N = 256; in chunks of 256 at the same rate)
SWEEP_RECORDS = 25  # records per cell over the sweep (the detectors' windows need a few)
OUTCOMES = ("equilibrium", "converging", "training", "mode_collapse", "oscillation", "vanishing_gradients",
            "weak_discriminator", "broken_game", "diverged")


@dataclass
class Axis:
    key: str
    values: list
    log: bool = False


def parse_axis(spec: str) -> Axis:
    """'key=lo:hi[:log|lin]:N' or 'key=a,b,c'; every problem is a ConfigError naming the spec."""
    if "=" not in spec:
        raise ConfigError(f"axis '{spec}' must look like lr_d=1e-4:1e-1:log:16 or g_loss=saturating,non_saturating")
    key, body = (part.strip() for part in spec.split("=", 1))
    if key not in TrainConfig.keys() or key in ("steps", "device", "record_every", "grid_points"):
        raise ConfigError(f"axis key '{key}' cannot be swept; choose a knob such as lr_d, lr_g, d_steps, g_loss, "
                          "seed, r1_gamma")
    kind = type(getattr(TrainConfig(), key))
    if kind is list:
        raise ConfigError(f"axis key '{key}' is a list and cannot be swept")
    log = False
    if "," in body or kind in (str, bool) or ":" not in body:
        values = [_value(spec, key, v.strip(), kind) for v in body.split(",") if v.strip()]
    else:
        parts = body.split(":")
        if len(parts) not in (3, 4):
            raise ConfigError(f"axis '{spec}': expected lo:hi[:log|lin]:N")
        scale = parts[2] if len(parts) == 4 else "lin"
        if scale not in ("log", "lin"):
            raise ConfigError(f"axis '{spec}': scale must be 'log' or 'lin', got '{scale}'")
        lo, hi, n = (_number(spec, p) for p in (parts[0], parts[1], parts[-1]))
        if n != int(n) or not 1 <= n <= MAX_CELLS_PER_AXIS:
            raise ConfigError(f"axis '{spec}': N must be a whole number from 1 to {MAX_CELLS_PER_AXIS}, got {parts[-1]}")
        if hi <= lo:
            raise ConfigError(f"axis '{spec}': the range is reversed or empty ({lo:g} ≥ {hi:g}); write lo:hi with lo < hi")
        log = scale == "log"
        if log and lo <= 0:
            raise ConfigError(f"axis '{spec}': a log axis needs lo > 0")
        grid = np.geomspace(lo, hi, int(n)) if log else np.linspace(lo, hi, int(n))
        values = [int(round(v)) if kind is int else float(v) for v in grid]
        if kind is int:
            values = sorted(set(values))
    if not 1 <= len(values) <= MAX_CELLS_PER_AXIS:
        raise ConfigError(f"axis '{spec}': between 1 and {MAX_CELLS_PER_AXIS} values, got {len(values)}")
    for v in values:
        TrainConfig().replace(**{key: v})  # range check with the config's own message
    return Axis(key, values, log)


def _number(spec: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"axis '{spec}': '{text}' is not a number") from None
    if not math.isfinite(value):
        raise ConfigError(f"axis '{spec}': '{text}' is not a finite number")
    return value


def _value(spec: str, key: str, text: str, kind: type):
    if kind is str:
        return text
    if kind is bool:  # the words --set takes; anything else is refused, never read as False
        word = text.lower()
        if word not in ("1", "true", "on", "yes", "0", "false", "off", "no"):
            raise ConfigError(f"axis '{clip(spec)}': {key} takes true or false, got '{clip(text)}'")
        return word in ("1", "true", "on", "yes")
    number = _number(spec, text)
    if kind is int:
        if not number.is_integer():
            raise ConfigError(f"axis '{spec}': {key} takes whole numbers, got '{text}'")
        return int(number)
    return number


def sweep_configs(base: TrainConfig, x: Axis, y: Axis) -> list[TrainConfig]:
    """Row-major: cell (row j, column i) has y.values[j], x.values[i]."""
    if x.key == y.key:
        raise ConfigError(f"the two axes must differ (both are '{x.key}')")
    return [base.replace(**{x.key: xv, y.key: yv}) for yv in y.values for xv in x.values]


def groups(configs: list[TrainConfig], chunk: int = CHUNK) -> list[list[int]]:
    """Indices of the cells that train as one batched Trainer: the same structure, at most ``chunk`` of them."""
    by: dict[tuple, list[int]] = {}
    for i, c in enumerate(configs):
        by.setdefault(structure(c), []).append(i)
    return [idx[k:k + chunk] for idx in by.values() for k in range(0, len(idx), chunk)]


class Sweep:
    """Trains the grid group by group to each record mark; ``result()`` is the grid so far."""

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
        self.histories: list[list[dict]] = [[] for _ in self.configs]
        self.done = 0

    def advance(self) -> bool:
        """Train every group to the next record mark; False once the sweep is complete."""
        if self.done >= self.steps:
            return False
        for idx, driver in self.drivers:
            mark = driver.next_mark(self.steps)
            while driver.trainer.iteration < mark:
                for e in driver.advance(stop=self.steps):
                    if isinstance(e, Recorded):
                        for i, snap in zip(idx, e.snapshots):
                            row = snap.record()
                            if i in driver.diverged:
                                row["jsd"] = math.nan
                            self.histories[i].append(row)
                    elif isinstance(e, Diverged):
                        self.histories[idx[e.member]].append({"step": e.step, "jsd": math.nan})
        self.done = min(d.trainer.iteration for _, d in self.drivers)
        return True

    def result(self) -> dict:
        cells = []
        nx = len(self.x.values)
        for i, (cfg, hist) in enumerate(zip(self.configs, self.histories)):
            found = diagnose(hist)
            last = hist[-1] if hist else {}
            cells.append({self.x.key: getattr(cfg, self.x.key), self.y.key: getattr(cfg, self.y.key),
                          "row": i // nx, "col": i % nx, "outcome": headline(found, hist), "diagnosis": found,
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


def cell_config(result: dict, row: int, col: int) -> TrainConfig:
    """The exact config of one cell: re-run it singly with `ganviz run --config` or in the main window."""
    ax, ay = result["axes"]["x"], result["axes"]["y"]
    base = TrainConfig.from_dict(result["config"])
    return base.replace(**{ax["key"]: ax["values"][col], ay["key"]: ay["values"][row]})


def summary_line(result: dict) -> str:
    counts: dict[str, int] = {}
    for c in result["cells"]:
        counts[c["outcome"]] = counts.get(c["outcome"], 0) + 1
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))




def _finite(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


class SweepJob:
    """The sweep as a background job (engine/process.py): trains record by record, sends the grid so far."""

    def __init__(self, request: dict):
        self.sweep = Sweep(request["config"], request["x"], request["y"], request.get("steps"))
        self.stopped = False
        self.out: list = []

    def handle(self, message) -> None:
        if type(message).__name__ == "Stop":
            self.stopped = True

    def tick(self) -> None:
        if self.sweep.advance():
            self.out.append(("sweep", self.sweep.result()))
        else:
            self.out.append(("sweep_done", self.sweep.result()))
            self.stopped = True

    def take(self) -> list:
        out, self.out = self.out, []
        return out

    def idle_seconds(self) -> float:
        return 0.0


def sweep_job(request: dict) -> SweepJob:
    return SweepJob(request)
