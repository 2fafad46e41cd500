"""Axis policy, without Qt: ranges that follow the data but never jitter.

x: from p_data's and p_g's mass (where either holds more than a tiny density), widened at once when the data
leave the range, narrowed only when they have used less than half of it for a while (hysteresis in time, so
an oscillating G does not make the axis breathe). y: p_data's peak in full and p_g up to 3× that peak; a
taller p_g spike is drawn clipped and marked. Export computes one range for all frames (``fit_all``).
"""

from __future__ import annotations

import math

import numpy as np

GROW_PAD = 0.08  # fraction of the span added on each side
SHRINK_USE = 0.5  # narrow only when the data use less than this share of the range …
SHRINK_FRAMES = 90  # … for this many frames in a row (1.5 s at 60 frames/s)
P_G_HEADROOM = 3.0  # p_g may rise to this multiple of p_data's peak before it is clipped


def mass_extent(x: np.ndarray, p_data: np.ndarray, p_g: np.ndarray) -> tuple[float, float] | None:
    """Where either density exceeds 1/1000 of p_data's peak."""
    if x.size == 0:
        return None
    peak = max(float(np.nanmax(p_data)), 1e-12)
    mass = (p_data > 1e-2 * peak) | (np.nan_to_num(p_g) > 1e-2 * peak)
    xs = x[mass] if mass.any() else x
    lo, hi = float(xs.min()), float(xs.max())
    if hi - lo < 1e-6:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


class XPolicy:
    def __init__(self):
        self.lo = self.hi = None
        self.fixed: tuple[float, float] | None = None
        self._narrow_frames = 0

    def reset(self, fixed: tuple[float, float] | None = None) -> None:
        self.lo = self.hi = None
        self.fixed = tuple(fixed) if fixed else None
        self._narrow_frames = 0

    def update(self, extent: tuple[float, float] | None, settle: bool = False) -> tuple[float, float] | None:
        """The new range, or None when it stays as it is. ``settle``: the run is paused (the frame stays on
        screen): narrow at once instead of after SHRINK_FRAMES frames."""
        if self.fixed:
            if (self.lo, self.hi) != self.fixed:
                self.lo, self.hi = self.fixed
                return self.fixed
            return None
        if extent is None or not all(math.isfinite(v) for v in extent):
            return None
        lo, hi = extent
        span = hi - lo
        want = (lo - GROW_PAD * span, hi + GROW_PAD * span)
        if self.lo is None or want[0] < self.lo or want[1] > self.hi:
            self.lo = min(want[0], self.lo) if self.lo is not None else want[0]
            self.hi = max(want[1], self.hi) if self.hi is not None else want[1]
            self._narrow_frames = 0
            return self.lo, self.hi
        if (want[1] - want[0]) < SHRINK_USE * (self.hi - self.lo):
            self._narrow_frames += 1
            if self._narrow_frames >= SHRINK_FRAMES or settle:
                self.lo, self.hi = want
                self._narrow_frames = 0
                return want
        else:
            self._narrow_frames = 0
        return None


def y_top(p_data: np.ndarray, p_g: np.ndarray) -> tuple[float, bool, float]:
    """(top of the density axis, whether p_g is clipped, p_g's peak)."""
    p_peak = float(np.nanmax(p_data)) if p_data.size else 1.0
    g_peak = float(np.nanmax(p_g)) if p_g.size and np.isfinite(p_g).any() else 0.0
    allowed = P_G_HEADROOM * p_peak
    top = max(p_peak, min(g_peak, allowed)) * 1.12
    return top, g_peak > allowed, g_peak


class YPolicy:
    """Grows at once (to 1.3× what is needed, so a slowly rising peak does not move it every frame); shrinks
    only after the top has stayed below half the range for SHRINK_FRAMES frames."""

    def __init__(self):
        self.top: float | None = None
        self._low_frames = 0

    def reset(self) -> None:
        self.top = None
        self._low_frames = 0

    def update(self, top: float, settle: bool = False) -> float | None:
        """The new top, or None; ``settle``: shrink at once (the run is paused, the frame stays on screen)."""
        if not math.isfinite(top) or top <= 0:
            return None
        if self.top is None or top > self.top:
            self.top = top * (1.3 if self.top is not None else 1.0)
            self._low_frames = 0
            return self.top
        if top < 0.5 * self.top:
            self._low_frames += 1
            if self._low_frames >= SHRINK_FRAMES or settle:
                self.top, self._low_frames = top, 0
                return top
        else:
            self._low_frames = 0
        return None


def fit_all(snapshots, fixed: tuple[float, float] | None = None) -> tuple[tuple[float, float], float]:
    """One x range and one density top for a whole export: every frame drawn on the same axes."""
    los, his, tops = [], [], []
    for s in snapshots:
        e = mass_extent(s.x, s.p_data, s.p_g)
        if e:
            los.append(e[0])
            his.append(e[1])
        tops.append(y_top(s.p_data, s.p_g)[0])
    if fixed:
        x = tuple(fixed)
    elif los:
        lo, hi = min(los), max(his)
        span = hi - lo
        x = (lo - GROW_PAD * span, hi + GROW_PAD * span)
    else:
        x = (-3.0, 3.0)
    return x, max(tops) if tops else 1.0
