"""The paper's theory, computed exactly in 1-D on cells that follow both distributions' mass.

- p_g: exact by change of variables when noise_dim = 1 (G is taken piecewise linear between fine z quantiles,
  so each z interval of prior mass m spreads m uniformly over [G(z_i), G(z_i+1)]: folds add up, collapse
  piles mass into one cell); otherwise a Gaussian KDE of samples of G.
- cells: edges cover p_data's support *and* G's range (two fine grids joined by one wide cell when they are far
  apart), plus two tail cells (−∞, e_0) and (e_n, ∞); cell probabilities come from the CDFs, so JSD, V, d_dev
  and coverage do not depend on where the plot happens to look.
- D*(x) = p_data / (p_data + p_g)                       (Proposition 1)
- JSD(p_data ‖ p_g), in nats; C(G) = −log 4 + 2·JSD        (Theorem 1)
- V(D, G) = E_p_data[log D(x)] + E_p_g[log(1 − D(x))]
- d_dev = E_{(p_data + p_g)/2} |D(x) − ½|: how far D is from the equilibrium value ½.
- spread = std(p_g) / std(p_data), both from the distributions themselves (not from the grid).
- coverage: the fraction of p_data's modes that p_g covers: at least half of p_data's mass in the mode's core,
  and a density there that stands out from the valleys beside it (a flat plateau across two modes covers
  neither).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy import special

from ganviz.core.targets import Mode

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)
CORE_FRACTION = 0.5  # p_g must put ≥ half of p_data's core mass into a mode's core …
CONTRAST = 1.5  # … with a density there ≥ 1.5 × its density in the neighbouring valleys


@dataclass
class PG:
    """p_g as a distribution: its CDF, mean and std, and how it was computed."""

    cdf: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    mean: float
    std: float
    lo: float  # the range holding (essentially) all of its mass
    hi: float
    method: str


def prior_quantile_edges(noise: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n + 1 z edges splitting the prior into n intervals, and each interval's probability mass."""
    if noise == "uniform":
        z = np.linspace(-1.0, 1.0, n + 1)
        return z, np.full(n, 1.0 / n)
    eps = 1e-4
    u = np.linspace(eps, 1.0 - eps, n + 1)
    mass = np.diff(u)
    return special.ndtri(u), mass / mass.sum()


def segment_cdf(a: np.ndarray, b: np.ndarray, mass: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """CDF of a sum of uniform pieces: mass[i] spread evenly over [a[i], b[i]] (a point mass where a ≈ b).

    F(e) = Σ c_i [(e − lo_i)₊ − (e − hi_i)₊] + Σ_points m_i [e ≥ lo_i], with c_i = m_i / (hi_i − lo_i);
    each sum of ramps is evaluated with sorted break points and cumulative sums: O((N + n) log N).
    """
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    width = hi - lo
    span = max(1.0, float(np.max(np.abs(np.concatenate([lo, hi])))) if lo.size else 1.0)
    point = width <= 1e-7 * span
    c = np.where(point, 0.0, mass / np.where(point, 1.0, width))

    def ramps(breaks: np.ndarray, slopes: np.ndarray):
        order = np.argsort(breaks)
        br, sl = breaks[order], slopes[order]
        return br, np.concatenate([[0.0], np.cumsum(sl)]), np.concatenate([[0.0], np.cumsum(sl * br)])

    up, down = ramps(lo, c), ramps(hi, c)
    pts = np.sort(lo[point])
    pts_cum = np.concatenate([[0.0], np.cumsum(mass[point][np.argsort(lo[point])])])

    def ramp_sum(e: np.ndarray, r) -> np.ndarray:
        br, cum_s, cum_sb = r
        k = np.searchsorted(br, e, side="right")  # break points ≤ e
        return e * cum_s[k] - cum_sb[k]

    def cdf(x: np.ndarray) -> np.ndarray:
        e = np.asarray(x, dtype=np.float64)
        out = ramp_sum(e, up) - ramp_sum(e, down) + pts_cum[np.searchsorted(pts, e, side="right")]
        return np.clip(out, 0.0, 1.0)

    return cdf


def pg_exact(gz_edges: np.ndarray, mass: np.ndarray) -> PG:
    """p_g by change of variables from G evaluated at z quantile edges (mass: each interval's probability)."""
    a, b = gz_edges[:-1], gz_edges[1:]
    mid = 0.5 * (a + b)
    mean = float((mass * mid).sum())
    second = float((mass * (mid * mid + (b - a) ** 2 / 12.0)).sum())  # a uniform piece has variance w²/12
    std = math.sqrt(max(second - mean * mean, 0.0))
    return PG(segment_cdf(a, b, mass), mean, std, float(gz_edges.min()), float(gz_edges.max()),
              "exact (change of variables through G)")


def pg_kde(samples: np.ndarray) -> PG:
    """p_g as a Gaussian KDE of G's samples (used when z has more than one dimension)."""
    s = np.sort(np.asarray(samples, dtype=np.float64))
    std = float(s.std())
    h = 1.06 * std * s.size ** -0.2 if std > 0 else 1e-6  # Silverman's rule
    counts, edges = np.histogram(s, bins=min(512, s.size))
    keep = counts > 0
    centres, w = 0.5 * (edges[1:] + edges[:-1])[keep], counts[keep] / s.size

    def cdf(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return (w * special.ndtr((x.reshape(-1, 1) - centres) / h)).sum(axis=1).reshape(x.shape)

    return PG(cdf, float(s.mean()), math.sqrt(std * std + h * h), float(s[0] - 4 * h), float(s[-1] + 4 * h),
              f"KDE of {s.size} samples of G")


def cell_edges(data: tuple[float, float], g: tuple[float, float], n: int,
               extent: tuple[float, float] | None = None) -> np.ndarray:
    """Increasing edges: n/2 even cells over p_data's support, n/2 over G's range and, when ``extent`` (the
    range the plot may show) reaches beyond both, n/4 coarser cells over it. Each distribution is resolved
    finely wherever it is, however far apart the two are, and the curves span the whole plot."""
    lo_d, hi_d = data
    lo_g, hi_g = g if all(math.isfinite(v) for v in g) else data
    if hi_g - lo_g < 1e-9 * max(1.0, abs(lo_g)):  # a total collapse onto one point
        width = 1e-3 * max(1.0, hi_d - lo_d)
        lo_g, hi_g = lo_g - width, hi_g + width
    parts = [np.linspace(lo_d, hi_d, n // 2 + 1), np.linspace(lo_g, hi_g, n - n // 2 + 1)]
    if extent is not None and (extent[0] < min(lo_d, lo_g) or extent[1] > max(hi_d, hi_g)):
        parts.append(np.linspace(min(extent[0], lo_d, lo_g), max(extent[1], hi_d, hi_g), n // 4 + 1))
    edges = np.unique(np.concatenate(parts))
    span = edges[-1] - edges[0]
    keep = np.concatenate([[True], np.diff(edges) > 1e-9 * span])
    return edges[keep]


@dataclass
class Cells:
    """Probabilities of p_data (P) and p_g (Q) in each cell, the two tail cells included (first and last)."""

    edges: np.ndarray
    P: np.ndarray  # len(edges) + 1: (−∞, e0), the n cells, (e_n, ∞)
    Q: np.ndarray

    @property
    def widths(self) -> np.ndarray:
        return np.diff(self.edges)

    @property
    def centres(self) -> np.ndarray:
        return 0.5 * (self.edges[1:] + self.edges[:-1])

    def inner(self, probs: np.ndarray) -> np.ndarray:
        """Densities on the inner cells (probability / width)."""
        return probs[1:-1] / self.widths


def cells(edges: np.ndarray, data_cdf, g_cdf) -> Cells:
    def probs(cdf) -> np.ndarray:
        F = np.asarray(cdf(edges), dtype=np.float64)
        F = np.maximum.accumulate(np.clip(F, 0.0, 1.0))
        return np.clip(np.concatenate([[F[0]], np.diff(F), [1.0 - F[-1]]]), 0.0, None)
    P, Q = probs(data_cdf), probs(g_cdf)
    return Cells(edges, P / P.sum(), Q / max(Q.sum(), 1e-300))


def _xlogy_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a · log(a / b) with 0 · log 0 = 0."""
    return special.xlogy(a, a) - special.xlogy(a, np.where(a > 0, b, 1.0))


def jsd_from_probs(P: np.ndarray, Q: np.ndarray) -> float:
    """JSD(P ‖ Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = (P + Q) / 2, in nats (0 … log 2)."""
    M = 0.5 * (P + Q)
    val = 0.5 * _xlogy_ratio(P, M).sum() + 0.5 * _xlogy_ratio(Q, M).sum()
    return float(min(max(val, 0.0), LOG2))


def jsd(p: np.ndarray, q: np.ndarray, dx: float) -> float:
    """JSD of two densities sampled on an even grid of spacing dx (normalised there)."""
    P, Q = np.clip(p, 0, None) * dx, np.clip(q, 0, None) * dx
    return jsd_from_probs(P / P.sum(), Q / Q.sum())


DIVERGENCES = ("jsd", "kl", "rkl", "chi2", "hellinger", "tv", "w1")
UNRESOLVED = 1e-6  # mass of one side where the other's CDF difference rounded to 0 (a CDF near 1 resolves
# differences of 1e-16 only: 8σ out, a Gaussian's cells read 0): rounding, not a support of its own


def divergences(c: "Cells") -> dict[str, float]:
    """Exact on the cells (probabilities P of p_data and Q of p_g, the tails included):
    JSD; KL(p_data‖p_g) = Σ P log(P/Q); reverse KL(p_g‖p_data); Pearson χ² = Σ (P − Q)² / Q; squared
    Hellinger Σ (√P − √Q)² (the f-GAN convention, f(u) = (√u − 1)²); total variation ½ Σ |P − Q|; and
    W1 = ∫ |F_data − F_g| dx from the two CDFs at the cells' edges (trapezoids between edges). A divergence
    that is infinite — p_data has mass (more than 1e-6) where p_g has none — is returned as ∞, not clipped."""
    P, Q = c.P, c.Q
    p_alone = float(P[Q <= 0].sum()) > UNRESOLVED  # p_data's mass where p_g has none (beyond rounding)
    q_alone = float(Q[P <= 0].sum()) > UNRESOLVED
    both = (P > 0) & (Q > 0)  # cells where one side underflowed to 0 (less than UNRESOLVED in all) do not count
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = math.inf if p_alone else float(np.sum(_xlogy_ratio(P[both], Q[both])))
        rkl = math.inf if q_alone else float(np.sum(_xlogy_ratio(Q[both], P[both])))
        chi2 = math.inf if p_alone else float(np.sum((P[both] - Q[both]) ** 2 / Q[both]))
    gap = np.abs(np.cumsum(P)[:-1] - np.cumsum(Q)[:-1])  # |F_data − F_g| at the edges
    w1 = float(np.sum(c.widths * 0.5 * (gap[:-1] + gap[1:])))
    return {"jsd": jsd_from_probs(P, Q), "kl": max(kl, 0.0), "rkl": max(rkl, 0.0), "chi2": chi2,
            "hellinger": float(np.sum((np.sqrt(P) - np.sqrt(Q)) ** 2)), "tv": 0.5 * float(np.abs(P - Q).sum()),
            "w1": w1}


def c_of_g(jsd_value: float) -> float:
    """C(G) = max_D V(D, G) = −log 4 + 2·JSD(p_data ‖ p_g)."""
    return -LOG4 + 2.0 * jsd_value


def d_star(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g); NaN where both densities vanish (D* is undefined there)."""
    s = p + q
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 1e-12, p / np.where(s > 0, s, 1.0), np.nan)


def value_fn(P: np.ndarray, Q: np.ndarray, d: np.ndarray) -> float:
    """V(D, G) = Σ P log D + Σ Q log(1 − D) over the cells (d given on the same cells)."""
    d = np.clip(d, 1e-12, 1 - 1e-12)
    return float(special.xlogy(P, d).sum() + special.xlogy(Q, 1.0 - d).sum())


def d_dev(P: np.ndarray, Q: np.ndarray, d: np.ndarray) -> float:
    """E_{(P+Q)/2} |D − ½| over the cells."""
    w = 0.5 * (P + Q)
    return float((w * np.abs(d - 0.5)).sum() / max(w.sum(), 1e-12))


def mode_masses(cdf: Callable[[np.ndarray], np.ndarray], modes: list[Mode]) -> np.ndarray:
    """p_g's mass in each of p_data's modes."""
    bounds = np.array([m.lo for m in modes[1:]], dtype=np.float64)
    F = np.concatenate([[0.0], np.asarray(cdf(bounds), dtype=np.float64) if bounds.size else [], [1.0]])
    return np.clip(np.diff(np.maximum.accumulate(F)), 0.0, None)


def mode_report(data_cdf, g_cdf, modes: list[Mode]) -> dict:
    """Per mode: p_data's and p_g's mass in its core, p_g's contrast with the valleys beside it, covered?"""
    def mass(cdf, a: float, b: float) -> float:
        if not (b > a):
            return 0.0
        F = np.asarray(cdf(np.array([a, b])), dtype=np.float64)
        return float(max(F[1] - F[0], 0.0))

    valleys = [(a.core[1], b.core[0]) for a, b in zip(modes, modes[1:])]
    covered, core_ratio = [], []
    for i, m in enumerate(modes):
        lo, hi = m.core
        p_core, q_core = mass(data_cdf, lo, hi), mass(g_cdf, lo, hi)
        ratio = q_core / max(p_core, 1e-12)
        ok = ratio >= CORE_FRACTION
        for v in (valleys[i - 1] if i > 0 else None, valleys[i] if i < len(valleys) else None):
            if v is None or not (v[1] > v[0]):
                continue
            width_c, width_v = hi - lo, v[1] - v[0]
            g_contrast = (q_core / width_c) / max(mass(g_cdf, *v) / width_v, 1e-12)
            p_contrast = (p_core / width_c) / max(mass(data_cdf, *v) / width_v, 1e-12)
            ok = ok and g_contrast >= min(CONTRAST, 1.0 + 0.5 * (p_contrast - 1.0))
        covered.append(bool(ok))
        core_ratio.append(ratio)
    gap_p = sum(mass(data_cdf, *v) for v in valleys)
    gap_q = sum(mass(g_cdf, *v) for v in valleys)
    return {"covered": covered, "core_ratio": core_ratio, "coverage": float(np.mean(covered)),
            "gap_data": gap_p, "gap_g": gap_q}


def spread_ratio(pg: PG, data_std: float) -> float:
    """std(p_g) / std(p_data): ≪ 1 when G piles its mass onto a small part of the support."""
    return pg.std / data_std if data_std > 0 else math.nan
