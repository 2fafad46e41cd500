"""Snapshot: everything one frame of the 1-D figure shows, as plain numpy arrays and floats (no torch).

Cheap to copy across processes and to keep in a recording; computed only when a frame or a record is due,
never per step (core/measure.py takes it from a trainer). The window's process reads Snapshots without ever
importing torch. ``record()`` is the row of the metrics history that the badge (core/diagnose.py) judges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ganviz import losses


def _empty() -> np.ndarray:
    return np.zeros(0)


@dataclass
class Snapshot:
    kind = "1d"  # which registered figure draws it (draw/figures)

    step: int
    x: np.ndarray  # cell centres
    p_data: np.ndarray  # densities (cell averages)
    p_g: np.ndarray
    d: np.ndarray  # D(x) at the centres
    d_star: np.ndarray  # D*(x) = p_data / (p_data + p_g), NaN where it cannot be resolved
    z: np.ndarray  # N_MAPPING evenly spaced prior quantiles (first coordinate when noise_dim > 1)
    gz: np.ndarray  # G(z) for those z
    jsd: float
    c_g: float
    v: float
    d_dev: float
    coverage: float
    pg_method: str  # how p_g was computed (exact, or a KDE of n samples): the legend's tooltip says it
    spread: float  # std(p_g) / std(p_data)
    gap_g: float = 0.0  # p_g's mass in the valleys between p_data's modes
    mode_low: float = 1.0  # min over p_data's big modes (≥ 25 % of its mass) of p_g's mass there ÷ p_data's
    stray: float = 0.0  # p_g's mass where p_data is low (< 5 % of its peak) minus p_data's own mass there
    offset: float = 0.0  # (mean of p_g − mean of p_data) / std of p_data
    g_updates: int = 0  # G updates so far (warm-up is counted in them: 20 G steps per iteration warm up faster)
    pinned: float = math.nan  # WGAN with clipping: the share of the critic's weights at ±c
    distances: dict = field(default_factory=dict)  # KL both ways, χ², squared Hellinger, TV, W1 (core/theory.py)
    sat_ratio: float = math.nan  # |∇ saturating| / |∇ non-saturating| at the fakes: ≪ 1 when D rejects G
    n_modes: int = 1
    g_loss: str = "non_saturating"
    player: str = ""  # "D" or "G": which player moved last
    metrics: dict = field(default_factory=dict)  # loss_d, loss_g, d_real, d_fake, grad_norm_d, grad_norm_g
    z_range: tuple = (-1.0, 1.0)
    real_x: np.ndarray = field(default_factory=_empty)  # samples of p_data (dots)
    fake_x: np.ndarray = field(default_factory=_empty)  # samples of p_g (dots)
    fake_logit: np.ndarray = field(default_factory=_empty)  # D's logit at the fakes
    fake_dlogit: np.ndarray = field(default_factory=_empty)  # ∂ logit / ∂x at the fakes
    extent: tuple = (0.0, 0.0)  # where p_data's and p_g's mass is (the driver keeps later frames covering it)
    edges: np.ndarray = field(default_factory=_empty)  # the cells' edges (len(x) + 1)
    tails: tuple = (0.0, 0.0, 0.0, 0.0)  # p_data's mass below / above the cells, then p_g's

    @property
    def fake_d(self) -> np.ndarray:
        """D(G(z)) at the fakes."""
        return special.expit(self.fake_logit)

    def record(self) -> dict:
        """One row of the metrics history (what `ganviz run --metrics` writes and the badge judges)."""
        row = {"step": self.step, "jsd": self.jsd, "c_g": self.c_g, "v": self.v, "d_dev": self.d_dev,
               "coverage": self.coverage, "spread": self.spread, "gap_g": self.gap_g, "mode_low": self.mode_low,
               "stray": self.stray, "offset": self.offset, "sat_ratio": self.sat_ratio, "n_modes": self.n_modes,
               "g_loss": self.g_loss, "g_updates": self.g_updates, "pinned": self.pinned}
        row.update(self.distances)
        row.update(self.metrics)
        return row

    def push(self, g_loss: str | None = None) -> np.ndarray:
        """−∂ℓ_G/∂x at each fake: where G's next update pushes it (through D), for the chosen G loss."""
        return losses.get(g_loss or self.g_loss).push(self.fake_logit, self.fake_dlogit)

    def masses(self) -> tuple[np.ndarray, np.ndarray]:
        """Each cell's probability under p_data and under p_g; the mass beyond the cells is added to the first
        and the last cell, so each column sums to 1 (a trapezoid over the densities would not: p_g can pile
        an integrable spike at the end of G's range)."""
        widths = np.diff(self.edges)
        p, q = self.p_data * widths, self.p_g * widths
        for mass, (below, above) in ((p, self.tails[:2]), (q, self.tails[2:])):
            if mass.size:
                mass[0] += below
                mass[-1] += above
        return p, q

    def nbytes(self) -> int:
        arrays = [self.x, self.edges, self.p_data, self.p_g, self.d, self.d_star, self.z, self.gz, self.real_x,
                  self.fake_x, self.fake_logit, self.fake_dlogit]
        return sum(a.nbytes for a in arrays) + 1024

    def diverged(self) -> bool:
        return self.x.size == 0
