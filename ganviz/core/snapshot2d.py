"""Snapshot2D: everything one frame of the 2-D figure shows (a run whose target lies in the plane), as plain
numpy arrays and floats — no torch, like core/snapshot.py's Snapshot, so the window's process reads it
without loading torch. core/measure2d.py takes it from a trainer; draw/figures/figure_2d.py draws it.

The plane is a regular grid of cells over ``extent``; arrays on the grid are (ny, nx), row j at
y = y0 + (j + ½)·dy (image order: row 0 is the bottom). ``record()`` is the row the badge judges: the same
keys as in 1-D where they mean the same thing (jsd, d_dev, coverage, mode_low, stray, n_modes, …) so one
state model (core/diagnose.py) judges both, plus the plane's own (covered, quality, sw1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ganviz import losses


def _empty(*shape: int) -> np.ndarray:
    return np.zeros(shape or (0,))


@dataclass
class Snapshot2D:
    kind = "2d"  # which registered figure draws it (draw/figures)

    step: int
    extent: tuple  # (x0, x1, y0, y1): the grid's outer edges
    p_data: np.ndarray  # (ny, nx) p_data's density, cell averages (exact: the pdf integrated per cell)
    p_g: np.ndarray  # (ny, nx) p_g's density, estimated (``pg_method`` says how)
    d: np.ndarray  # (ny, nx) D(x) at the cell centres (for a critic: the ratio it implies, as in 1-D)
    real: np.ndarray  # (n, 2) samples of p_data (a fixed side stream: the same dots every frame)
    fake: np.ndarray  # (n, 2) G(z) for a fixed side sample of z
    fake_logit: np.ndarray  # (n,) D's raw output at the fakes
    fake_dlogit: np.ndarray  # (n, 2) ∂logit/∂x at the fakes
    z_mesh: np.ndarray  # (L, P, 2) a regular mesh of the z square: L lines (rows then columns) of P points
    g_mesh: np.ndarray  # (L, P, 2) the same lines through G: the deformed mesh drawn over the plane
    modes: np.ndarray  # (K, 2) the modes' centres (a curve's mode: the point of the curve nearest its middle)
    outlines: list  # K arrays (P, 2): each mode's outline (a circle of radius 3σ, or the curve it follows)
    occupancy: np.ndarray  # (K,) the share of G's samples within 3σ of each mode (its "tube" for a curve)
    jsd: float  # JSD on the grid's cells (p_g's cell masses estimated), nats
    jsd_err: float  # |JSD of one half of the z grid − JSD of the other half|: the estimate's own error
    sw1: float  # sliced W1 between p_data and p_g samples (64 directions)
    sw1_floor: float  # the same between two independent p_data samples: what sampling alone gives
    d_dev: float  # mean |D − ½| under ½(p_data + p_g) (NaN for a Wasserstein critic)
    coverage: float  # modes covered / K (a mode is covered when it holds ≥ COVER_SHARE of its fair share)
    quality: float  # share of G's samples within 3σ of some mode (high-quality samples)
    pg_method: str  # e.g. "G on a 96 × 96 grid of z, counted per cell": the legend's tooltip says it
    z_range: tuple = (-1.0, 1.0)  # the z square's side
    g_loss: str = "non_saturating"
    g_updates: int = 0
    player: str = ""
    sat_ratio: float = math.nan
    data_quality: float = math.nan  # the share of p_data's own samples within 3σ of a mode (the rule's floor)
    metrics: dict = field(default_factory=dict)

    @property
    def n_modes(self) -> int:
        return int(self.occupancy.size)

    @property
    def covered_mask(self) -> int:
        """Bit k set when mode k is covered: one integer per record, the occupancy strip's column."""
        return int(sum(1 << k for k, ok in enumerate(self.covered()) if ok))

    def covered(self) -> np.ndarray:
        from ganviz.core.plane import COVER_SHARE
        fair = 1.0 / max(self.n_modes, 1)
        return self.occupancy >= COVER_SHARE * fair

    @property
    def mode_low(self) -> float:
        """The emptiest mode's occupancy relative to its fair share (1 = as much as p_data gives it): the
        1-D record's key with the same meaning, so the collapse detector reads it unchanged."""
        if not self.occupancy.size:
            return math.nan
        return float(self.occupancy.min() * self.n_modes)

    @property
    def stray(self) -> float:
        """G's share of samples far from every mode minus p_data's own (p_g smeared between modes)."""
        floor = self.data_quality if math.isfinite(self.data_quality) else 1.0
        return float(floor - self.quality)

    @property
    def fake_d(self) -> np.ndarray:
        return special.expit(self.fake_logit)

    def record(self) -> dict:
        row = {"step": self.step, "jsd": self.jsd, "jsd_err": self.jsd_err, "sw1": self.sw1, "d_dev": self.d_dev,
               "coverage": self.coverage, "covered": self.covered_mask, "quality": self.quality,
               "mode_low": self.mode_low, "stray": self.stray, "n_modes": self.n_modes, "spread": math.nan,
               "sat_ratio": self.sat_ratio, "g_loss": self.g_loss, "g_updates": self.g_updates, "dim": 2}
        row.update(self.metrics)
        return row

    def push(self, g_loss: str | None = None) -> np.ndarray:
        """(n, 2): −∇ₓℓ_G at each fake, where G's next update pushes it (through D), for the chosen G loss."""
        slope = losses.slope(losses.get(g_loss or self.g_loss).g_fake, self.fake_logit)
        return -slope[:, None] * self.fake_dlogit

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """The cells' centre coordinates along x (nx,) and y (ny,)."""
        x0, x1, y0, y1 = self.extent
        ny, nx = self.p_data.shape
        return (x0 + (np.arange(nx) + 0.5) * (x1 - x0) / nx, y0 + (np.arange(ny) + 0.5) * (y1 - y0) / ny)

    def masses(self) -> tuple[np.ndarray, np.ndarray]:
        """Each cell's probability under p_data and under p_g (estimated)."""
        x0, x1, y0, y1 = self.extent
        ny, nx = self.p_data.shape
        area = (x1 - x0) * (y1 - y0) / (nx * ny)
        return self.p_data * area, self.p_g * area

    def nbytes(self) -> int:
        arrays = [self.p_data, self.p_g, self.d, self.real, self.fake, self.fake_logit, self.fake_dlogit,
                  self.z_mesh, self.g_mesh, self.modes, self.occupancy] + list(self.outlines)
        return sum(a.nbytes for a in arrays) + 1024

    def diverged(self) -> bool:
        return self.p_g.size == 0 or not math.isfinite(self.jsd)
