"""Detectors that name what a run is doing, from the recent records of its history.

Each detector reads the most recent window of records (dicts with step, jsd, d_dev, coverage, spread,
sat_ratio, d_real, d_fake, …): the last 30 % of them, at least 6 and at most 40 (2000 steps at the default
record_every of 50), so a phenomenon that ended earlier is not reported now and a knob turned live shows in
the badge within a few records. Every threshold is scale-free (ratios, probabilities, JSD in nats), so the
same numbers hold for any target, net size or learning rate. The tests and the docs quote these constants.

One headline per state, in the order a person reads the plot: a broken run first, then what G cannot do
(no gradient, a missing mode), then what D does (fooled: flat at ½ though p_g is wrong), then what the pair
does (circling), then how close to the end.
"""

from __future__ import annotations

import math

import numpy as np

EQUILIBRIUM_JSD = 0.02  # JSD(p_data ‖ p_g) in nats …
EQUILIBRIUM_D_DEV = 0.05  # … and mean |D − ½| under (p_data + p_g)/2
COLLAPSE_PERSISTENCE = 0.8  # a mode missing (or p_g squeezed) in this share of the window's records …
COLLAPSE_SPREAD = 0.25  # … squeezed: std(p_g) / std(p_data) below this (one-mode targets) …
COLLAPSE_JSD = 0.1  # … while p_g is still this wrong
OSCILLATION_SWING = 0.03  # std of the detrended JSD over the window …
OSCILLATION_JSD = 0.05  # … around a mean JSD at least this high, …
OSCILLATION_CROSSINGS = 4  # … crossing its trend this often
VANISHING_RATIO = 0.05  # saturating loss: |∇ log(1 − D)| below 5 % of |∇ −log D| at the fakes …
VANISHING_JSD = 0.2  # … while p_g is still far from p_data
WEAK_D_DEV = 0.02  # D stays this close to ½ …
WEAK_JSD = 0.1  # … although p_g is still this far from p_data
INVERTED_MARGIN = 0.1  # D(real) < ½ − margin and D(G(z)) > ½ + margin: D has the game backwards
RISING_JSD = 0.15  # JSD rose by this much across a long window and sits above …
RISING_FLOOR = 0.3  # … this level
WINDOW_FRACTION, WINDOW_MIN, WINDOW_MAX = 0.3, 6, 40

LABELS = {
    "ready": "ready — press Space",
    "diverged": "diverged (NaN/inf)",
    "broken_game": "broken game",
    "vanishing_gradients": "vanishing gradients",
    "mode_collapse": "mode collapse",
    "oscillation": "oscillating",
    "weak_discriminator": "D fooled, p_g wrong",
    "equilibrium": "at Nash equilibrium",
    "converging": "converging",
    "training": "training",
}
PRIORITY = ("diverged", "broken_game", "vanishing_gradients", "mode_collapse", "weak_discriminator",
            "oscillation", "equilibrium")


def window(history: list[dict]) -> list[dict]:
    n = int(math.ceil(len(history) * WINDOW_FRACTION))
    return history[-min(max(n, WINDOW_MIN), WINDOW_MAX):]


def _col(rows: list[dict], key: str) -> np.ndarray:
    return np.array([r.get(key, math.nan) if isinstance(r.get(key, math.nan), (int, float)) else math.nan
                     for r in rows], dtype=np.float64)


def _median(values: np.ndarray) -> float:
    """Median of the finite values; NaN (without a warning) when there are none."""
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else math.nan


def is_diverged(rows: list[dict]) -> bool:
    """A non-finite JSD in the last record (a diverged run records jsd = NaN)."""
    jsd = rows[-1].get("jsd", 0.0)
    return isinstance(jsd, float) and not math.isfinite(jsd)


def is_equilibrium(rows: list[dict]) -> bool:
    tail = rows[-max(3, len(rows) // 3):]
    return (_median(_col(tail, "jsd")) < EQUILIBRIUM_JSD
            and _median(_col(tail, "d_dev")) < EQUILIBRIUM_D_DEV)


def is_broken_game(rows: list[dict], long: list[dict] | None = None) -> bool:
    """D has the game backwards (it calls fakes real and reals fake), or JSD has climbed over a long window
    (three detector windows) and stays high."""
    d_real, d_fake = _median(_col(rows, "d_real")), _median(_col(rows, "d_fake"))
    inverted = d_real < 0.5 - INVERTED_MARGIN and d_fake > 0.5 + INVERTED_MARGIN
    jsd = _col(long if long is not None else rows, "jsd")
    jsd = jsd[np.isfinite(jsd)]
    rising = False
    if jsd.size >= WINDOW_MIN:
        third = max(2, jsd.size // 3)
        start, end = float(np.median(jsd[:third])), float(np.median(jsd[-third:]))
        rising = end - start > RISING_JSD and end > RISING_FLOOR and float(np.min(jsd[-third:])) > start
    return inverted or rising


def is_mode_collapse(rows: list[dict]) -> bool:
    """A mode of p_data stays uncovered (several modes), or p_g stays squeezed while wrong (one mode)."""
    n_modes = _median(_col(rows, "n_modes"))
    jsd = _col(rows, "jsd")
    if n_modes > 1:
        coverage = _col(rows, "coverage")
        ok = np.isfinite(coverage)
        return ok.any() and float(np.mean(coverage[ok] < 1.0)) >= COLLAPSE_PERSISTENCE and _median(jsd) > COLLAPSE_JSD
    squeezed = (_col(rows, "spread") < COLLAPSE_SPREAD) & (jsd > COLLAPSE_JSD)
    return float(np.mean(squeezed)) >= COLLAPSE_PERSISTENCE


def is_oscillation(rows: list[dict]) -> bool:
    jsd = _col(rows, "jsd")
    if len(jsd) < 8 or not np.all(np.isfinite(jsd)):
        return False
    t = np.arange(len(jsd))
    resid = jsd - np.polyval(np.polyfit(t, jsd, 1), t)
    crossings = int(np.sum(np.diff(np.sign(resid)) != 0))
    return (resid.std() > OSCILLATION_SWING and jsd.mean() > OSCILLATION_JSD
            and crossings >= OSCILLATION_CROSSINGS)


def is_vanishing(rows: list[dict]) -> bool:
    """The saturating loss while D confidently rejects G (the paper's §3): log(1 − D(G(z))) is flat there,
    so G's gradient is a small fraction of what −log D(G(z)) would give, and p_g stays far off."""
    saturating = [r.get("g_loss") == "saturating" for r in rows]
    if sum(saturating) < 0.5 * len(rows):
        return False
    return (_median(_col(rows, "sat_ratio")) < VANISHING_RATIO
            and _median(_col(rows, "jsd")) > VANISHING_JSD)


def is_weak_discriminator(rows: list[dict]) -> bool:
    """D says ½ everywhere while p_g is still wrong: D cannot (or does not yet) see the difference."""
    return _median(_col(rows, "d_dev")) < WEAK_D_DEV and _median(_col(rows, "jsd")) > WEAK_JSD


DETECTORS = {"broken_game": is_broken_game, "vanishing_gradients": is_vanishing,
             "mode_collapse": is_mode_collapse, "oscillation": is_oscillation,
             "weak_discriminator": is_weak_discriminator}


def diagnose(history: list[dict]) -> list[str]:
    """Names of the phenomena the recent history shows, most important first ([] while too short)."""
    history = [r for r in history if r.get("step", 0) > 0]
    if not history:
        return []
    if is_diverged(history):
        return ["diverged"]
    rows = window(history)
    found = [name for name, test in DETECTORS.items() if test(rows)]
    if "broken_game" not in found and is_broken_game(rows, history[-3 * len(rows):]):
        found.append("broken_game")
    if not found and is_equilibrium(rows):
        found.append("equilibrium")
    return sorted(found, key=PRIORITY.index)


def headline(found: list[str], history: list[dict]) -> str:
    """The one state the status badge shows."""
    history = [r for r in history if r.get("step", 0) > 0]
    if not history:
        return "ready"
    if found:
        return found[0]
    rows = window(history)
    jsd = _col(rows, "jsd")
    third = max(1, len(rows) // 3)
    if len(rows) >= 2 and _median(jsd[-third:]) < _median(jsd[:third]):
        return "converging"
    return "training"
