"""The sweep's grid without training it: axes ("lr_d=1e-4:1e-1:log:16", "g_loss=saturating,non_saturating"),
the configs of the cells and a cell's exact config. No torch: the sweep lab reads it in the window's process;
engine/sweep.py trains the grid in a background one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ganviz.config import ConfigError, TrainConfig, sweep_keys
from ganviz.io.limits import clip

MAX_CELLS_PER_AXIS = 32


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
    if key not in sweep_keys():
        raise ConfigError(f"axis key '{clip(key)}' cannot be swept; choose a knob such as lr_d, lr_g, d_steps, "
                          "g_loss, seed, r1_gamma")
    kind = type(getattr(TrainConfig(), key))
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


def pending_grid(base: TrainConfig, x: Axis, y: Axis, steps: int) -> dict:
    """The grid before any cell has trained (every outcome "pending"), in the shape of ``Sweep.result``: the
    sweep lab draws it at once, while the sweep's process starts."""
    cells = [{x.key: xv, y.key: yv, "row": j, "col": i, "outcome": "pending", "diagnosis": [], "jsd": None,
              "d_dev": None, "coverage": None} for j, yv in enumerate(y.values) for i, xv in enumerate(x.values)]
    return {"config": base.to_dict(), "steps": 0, "total_steps": steps,
            "axes": {"x": {"key": x.key, "values": x.values, "log": x.log},
                     "y": {"key": y.key, "values": y.values, "log": y.log}}, "cells": cells}
