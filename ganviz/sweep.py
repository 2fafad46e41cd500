"""Sweeps: a grid of GANs trained at once (core/ensemble.py), each cell diagnosed like a single run.

Axis specs:  ``lr_d=1e-4:1e-1:log:16``  (lo:hi[:log|lin]:N)  or a list  ``g_loss=saturating,non_saturating``.
Every cell uses its own seed stream exactly as a single run with its config would (exact_rng), so a cell's
config re-run with `ganviz run --config` follows the same trajectory.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.diagnose import diagnose, headline
from ganviz.core.ensemble import PER_MEMBER, Ensemble
from ganviz.core.snapshot import take_snapshot

MAX_CELLS_PER_AXIS = 32
OUTCOME_COLORS = {
    "equilibrium": (44, 160, 44), "converging": (31, 119, 180), "training": (170, 170, 170),
    "mode_collapse": (214, 39, 40), "oscillation": (255, 127, 14), "vanishing_gradients": (148, 103, 189),
    "weak_discriminator": (188, 189, 34), "diverged": (20, 20, 20),
}


@dataclass
class Axis:
    key: str
    values: list
    log: bool = False

    def label(self, v) -> str:
        return f"{v:.3g}" if isinstance(v, float) else str(v)


def parse_axis(spec: str) -> Axis:
    """'key=lo:hi[:log|lin]:N' or 'key=a,b,c'; every problem is a ConfigError naming the spec."""
    if "=" not in spec:
        raise ConfigError(f"axis '{spec}' must look like lr_d=1e-4:1e-1:log:16 or g_loss=saturating,non_saturating")
    key, body = (part.strip() for part in spec.split("=", 1))
    if key not in PER_MEMBER:
        raise ConfigError(f"axis key '{key}' cannot be swept; choose one of: {', '.join(PER_MEMBER)}")
    kind = type(getattr(TrainConfig(), key))
    if "," in body or kind is str:
        values = [v.strip() for v in body.split(",") if v.strip()]
        values = [_coerce(key, v, kind) for v in values]
        log = False
    else:
        parts = body.split(":")
        if len(parts) not in (3, 4):
            raise ConfigError(f"axis '{spec}': expected lo:hi[:log|lin]:N")
        scale = parts[2] if len(parts) == 4 else "lin"
        if scale not in ("log", "lin"):
            raise ConfigError(f"axis '{spec}': scale must be 'log' or 'lin', got '{scale}'")
        lo, hi = (_number(spec, p) for p in parts[:2])
        n = _number(spec, parts[-1])
        if n != int(n) or not 1 <= n <= MAX_CELLS_PER_AXIS:
            raise ConfigError(f"axis '{spec}': N must be a whole number from 1 to {MAX_CELLS_PER_AXIS}, got {parts[-1]}")
        if hi <= lo:
            raise ConfigError(f"axis '{spec}': the range is reversed or empty ({lo:g} ≥ {hi:g}); write lo:hi with lo < hi")
        log = scale == "log"
        if log and lo <= 0:
            raise ConfigError(f"axis '{spec}': a log axis needs lo > 0")
        grid = np.geomspace(lo, hi, int(n)) if log else np.linspace(lo, hi, int(n))
        values = [_coerce(key, float(v), kind) for v in grid]
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


def _coerce(key: str, value, kind):
    if kind is int:
        return int(round(float(value)))
    if kind is float:
        return float(value)
    return value


def sweep_configs(base: TrainConfig, x: Axis, y: Axis) -> list[TrainConfig]:
    """Row-major: cell (row j, column i) has y.values[j], x.values[i]."""
    if x.key == y.key:
        raise ConfigError(f"the two axes must differ (both are '{x.key}')")
    return [base.replace(**{x.key: xv, y.key: yv}) for yv in y.values for xv in x.values]


def iter_sweep(base: TrainConfig, x: Axis, y: Axis, steps: int | None = None, should_stop=None):
    """Train the grid; after every record yield the result so far (the sweep window draws it live)."""
    steps = steps or base.steps
    configs = sweep_configs(base, x, y)
    ens = Ensemble(configs, exact_rng=True)
    every = max(1, min(base.record_every, steps // 10 or 1))
    histories: list[list[dict]] = [[] for _ in configs]
    n_modes = len(ens.target.modes())
    while ens.iteration < steps:
        if should_stop is not None and should_stop():
            return
        ens.train(min(every, steps - ens.iteration))
        for i, hist in enumerate(histories):
            view = ens.member(i)
            hist.append(take_snapshot(view, metrics=view.metrics()).record())
        yield _result(base, x, y, configs, histories, n_modes, ens.iteration, steps)


def _result(base, x, y, configs, histories, n_modes, done, steps) -> dict:
    cells = []
    for i, (cfg, hist) in enumerate(zip(configs, histories)):
        found = diagnose(hist, n_modes)
        last = hist[-1]
        cells.append({x.key: getattr(cfg, x.key), y.key: getattr(cfg, y.key), "row": i // len(x.values),
                      "col": i % len(x.values), "outcome": headline(found, hist), "diagnosis": found,
                      "jsd": _finite(last.get("jsd")), "d_dev": _finite(last.get("d_dev")),
                      "coverage": _finite(last.get("coverage"))})
    return {"config": base.to_dict(), "steps": done, "total_steps": steps,
            "axes": {"x": {"key": x.key, "values": x.values, "log": x.log},
                     "y": {"key": y.key, "values": y.values, "log": y.log}},
            "cells": cells}


def run_sweep(base: TrainConfig, x: Axis, y: Axis, steps: int | None = None, progress=None) -> dict:
    result = None
    for result in iter_sweep(base, x, y, steps):
        if progress:
            progress(result["steps"], result["total_steps"])
    return result


def cell_config(result: dict, row: int, col: int) -> TrainConfig:
    """The exact config of one cell: re-run it singly with `ganviz run --config` or in the main window."""
    ax, ay = result["axes"]["x"], result["axes"]["y"]
    return TrainConfig.from_dict(result["config"]).replace(**{ax["key"]: ax["values"][col],
                                                               ay["key"]: ay["values"][row]})


def _finite(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def render_png(result: dict, path: str, cell_px: int = 36) -> None:
    """A heatmap of outcomes with axis labels and a legend (Pillow, no display needed)."""
    from PIL import Image, ImageDraw, ImageFont

    ax, ay = result["axes"]["x"], result["axes"]["y"]
    nx, ny = len(ax["values"]), len(ay["values"])
    cell = max(12, min(cell_px, 720 // max(nx, ny)))
    font = ImageFont.load_default(size=16)
    small = ImageFont.load_default(size=12)
    left, top, legend_w = 110, 50, 240
    w, h = left + nx * cell + 20 + legend_w, top + ny * cell + 90
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    draw.text((left, 12), f"ganviz sweep: outcome after {result['steps']} steps", fill="black", font=font)
    for c in result["cells"]:
        x0, y0 = left + c["col"] * cell, top + (ny - 1 - c["row"]) * cell
        draw.rectangle([x0, y0, x0 + cell - 2, y0 + cell - 2], fill=OUTCOME_COLORS.get(c["outcome"], (200, 200, 200)))
    fmt = lambda v: f"{v:.2g}" if isinstance(v, float) else str(v)  # noqa: E731
    step_x = max(1, nx // 6)
    for i in range(0, nx, step_x):
        draw.text((left + i * cell, top + ny * cell + 6), fmt(ax["values"][i]), fill="black", font=small)
    step_y = max(1, ny // 8)
    for j in range(0, ny, step_y):
        draw.text((8, top + (ny - 1 - j) * cell + cell // 3), fmt(ay["values"][j]), fill="black", font=small)
    draw.text((left + nx * cell // 2 - 30, top + ny * cell + 30), f"x: {ax['key']}" + (" (log)" if ax["log"] else ""),
              fill="black", font=font)
    draw.text((8, top - 24), f"y: {ay['key']}" + (" (log)" if ay["log"] else ""), fill="black", font=font)
    lx = left + nx * cell + 20
    for k, (name, color) in enumerate(OUTCOME_COLORS.items()):
        y0 = top + k * 26
        draw.rectangle([lx, y0, lx + 18, y0 + 18], fill=color)
        draw.text((lx + 26, y0), name.replace("_", " "), fill="black", font=font)
    img.save(path)


def run_sweep_cli(args, build_config) -> int:
    from ganviz.cli import TerminalProgress, UsageError, atomic_write_text, check_output_path

    cfg, _ = build_config(args)
    x, y = parse_axis(args.x), parse_axis(args.y)
    out = check_output_path(args.out, (".json", ".png"))
    sweep_configs(cfg, x, y)  # refuse bad combinations before training
    import torch
    import os
    torch.set_num_threads(os.cpu_count() or 1)  # batched: compute-bound, use every core
    bar = TerminalProgress("sweep ")
    result = run_sweep(cfg, x, y, progress=lambda d, t: bar(d, t))
    bar.close()
    try:
        if out.suffix.lower() == ".png":
            render_png(result, str(out))
        else:
            atomic_write_text(out, json.dumps(result, indent=1))
    except OSError as exc:
        raise UsageError(f"cannot write '{out}': {exc.strerror or exc}") from None
    counts: dict[str, int] = {}
    for c in result["cells"]:
        counts[c["outcome"]] = counts.get(c["outcome"], 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    print(f"wrote {out}: {len(x.values)}×{len(y.values)} cells after {result['steps']} steps — {summary}")
    return 0

