"""Detectors that name what a run is doing, from its recent metrics history.

Each detector reads the records (dicts with step, jsd, d_dev, coverage, spread, grad_norm_g, …) of the most
recent window of the run, so a phenomenon that ended earlier is not reported now. Thresholds are module
constants so the tests and the docs quote the same numbers.
"""

from __future__ import annotations

import math

import numpy as np

EQUILIBRIUM_JSD = 0.02  # JSD(p_data ‖ p_g) in nats
EQUILIBRIUM_D_DEV = 0.05  # mean |D − ½|
COLLAPSE_SPREAD = 0.2  # std(p_g) / std(p_data) below this, with p_g still wrong, is collapse on a 1-mode target
COLLAPSE_JSD = 0.1
OSCILLATION_SWING = 0.04  # std of detrended JSD over the window
OSCILLATION_JSD = 0.05
VANISHING_GRAD = 2e-3  # ‖∇θg‖ median below this …
VANISHING_JSD = 0.2  # … while JSD is still this large …
VANISHING_D_DEV = 0.1  # … and D confidently tells real from fake (mean |D − ½| this large)
WEAK_D_DEV = 0.02  # D stays this close to ½ …
WEAK_JSD = 0.1  # … although p_g is still this far from p_data
WINDOW_FRACTION = 0.3

LABELS = {
    "diverged": "diverged (NaN/inf)",
    "equilibrium": "at Nash equilibrium",
    "mode_collapse": "mode collapse",
    "oscillation": "oscillating",
    "vanishing_gradients": "vanishing gradients",
    "weak_discriminator": "D fooled, p_g wrong",
    "converging": "converging",
    "training": "training",
}
PRIORITY = ("diverged", "vanishing_gradients", "mode_collapse", "oscillation", "weak_discriminator",
            "equilibrium", "converging")


def _window(history: list[dict], fraction: float = WINDOW_FRACTION, minimum: int = 5) -> list[dict]:
    n = max(minimum, int(math.ceil(len(history) * fraction)))
    return history[-n:]


def _col(rows: list[dict], key: str) -> np.ndarray:
    return np.array([r.get(key, math.nan) for r in rows], dtype=np.float64)


def _median(values: np.ndarray) -> float:
    """Median of the finite values; NaN (without a warning) when there are none."""
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else math.nan


def is_diverged(rows: list[dict]) -> bool:
    """A non-finite JSD. (NaN losses alone mean "not measured yet", e.g. at step 0: a real divergence
    is caught where the losses are read and recorded with jsd = NaN.)"""
    jsd = rows[-1].get("jsd", 0.0)
    return isinstance(jsd, float) and not math.isfinite(jsd)


def is_equilibrium(rows: list[dict]) -> bool:
    tail = rows[-max(3, len(rows) // 10):]
    return (_median(_col(tail, "jsd")) < EQUILIBRIUM_JSD
            and _median(_col(tail, "d_dev")) < EQUILIBRIUM_D_DEV)


def is_mode_collapse(rows: list[dict], n_modes: int) -> bool:
    if n_modes > 1:
        coverage = _col(rows, "coverage")
        coverage = coverage[np.isfinite(coverage)]
        return coverage.size > 0 and float(np.mean(coverage < 1.0)) > 0.5
    spread, jsd = _col(rows, "spread"), _col(rows, "jsd")
    return _median(spread) < COLLAPSE_SPREAD and _median(jsd) > COLLAPSE_JSD


def is_oscillation(rows: list[dict]) -> bool:
    jsd = _col(rows, "jsd")
    if len(jsd) < 8 or not np.all(np.isfinite(jsd)):
        return False
    t = np.arange(len(jsd))
    resid = jsd - np.polyval(np.polyfit(t, jsd, 1), t)
    crossings = int(np.sum(np.diff(np.sign(resid)) != 0))
    return resid.std() > OSCILLATION_SWING and jsd.mean() > OSCILLATION_JSD and crossings >= 4


def is_vanishing(rows: list[dict]) -> bool:
    """G gets (almost) no gradient although it is far off and D confidently rejects it (the paper's §3)."""
    g = _col(rows, "grad_norm_g")
    return (_median(g) < VANISHING_GRAD and _median(_col(rows, "jsd")) > VANISHING_JSD
            and _median(_col(rows, "d_dev")) > VANISHING_D_DEV)


def is_weak_discriminator(rows: list[dict]) -> bool:
    """D says ½ everywhere while p_g is still wrong: D cannot (or does not yet) see the difference."""
    return _median(_col(rows, "d_dev")) < WEAK_D_DEV and _median(_col(rows, "jsd")) > WEAK_JSD


def diagnose(history: list[dict], n_modes: int = 1) -> list[str]:
    """Names of the phenomena the recent history shows, most important first ([] while too short)."""
    if not history:
        return []
    if is_diverged(history):
        return ["diverged"]
    rows = _window(history)
    found = []
    if is_vanishing(rows):
        found.append("vanishing_gradients")
    if is_mode_collapse(rows, n_modes):
        found.append("mode_collapse")
    if is_oscillation(rows):
        found.append("oscillation")
    if is_weak_discriminator(rows):
        found.append("weak_discriminator")
    if not found and is_equilibrium(history):
        found.append("equilibrium")
    return found


def headline(found: list[str], history: list[dict]) -> str:
    """The one state the status badge shows."""
    for key in PRIORITY:
        if key in found:
            return key
    if len(history) >= 2 and history[-1].get("jsd", math.nan) < history[0].get("jsd", math.nan):
        return "converging"
    return "training"
