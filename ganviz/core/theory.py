"""The paper's theory, computed exactly in 1D by integration on an x grid.

- p_g: exact by change of variables when noise_dim = 1 (G is taken piecewise linear between fine z quantiles,
  so each z interval of prior mass m spreads m uniformly over [G(z_i), G(z_i+1)]: folds add up, collapse
  piles mass into one cell); otherwise a Gaussian KDE of samples of G.
- D*(x) = p_data / (p_data + p_g)                       (Proposition 1)
- JSD(p_data ‖ p_g), in nats; C(G) = −log 4 + 2·JSD        (Theorem 1)
- V(D, G) = E_p_data[log D(x)] + E_p_g[log(1 − D(x))]
- d_dev = E_{(p_data + p_g)/2} |D(x) − ½|: how far D is from the equilibrium value ½.
- mode coverage: fraction of p_data's modes holding ≥ 20 % of their own weight of p_g's mass.

Mass of p_g that falls outside the grid is kept as one extra cell where p_data = 0, so JSD stays exact
(that mass contributes its share of log 2) even when G throws samples far away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy import special, stats

from ganviz.core.targets import Mode

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)
COVERAGE_FRACTION = 0.2  # a mode is covered when p_g puts ≥ 20 % of the mode's weight on it


@dataclass
class PG:
    """p_g on the grid: density at cell centres, the mass outside, how it was computed, and its CDF."""

    density: np.ndarray
    outside: float
    method: str
    cdf: Callable[[np.ndarray], np.ndarray] = field(repr=False)


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
        cum_s = np.concatenate([[0.0], np.cumsum(sl)])
        cum_sb = np.concatenate([[0.0], np.cumsum(sl * br)])
        return br, cum_s, cum_sb

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


def pg_exact(z_edges: np.ndarray, gz_edges: np.ndarray, mass: np.ndarray, edges: np.ndarray) -> PG:
    """p_g by change of variables from G evaluated at z quantile edges."""
    cdf = segment_cdf(gz_edges[:-1], gz_edges[1:], mass)
    F = cdf(edges)
    dx = edges[1] - edges[0]
    density = np.clip(np.diff(F), 0.0, None) / dx
    outside = max(0.0, 1.0 - float(F[-1] - F[0]))
    return PG(density, outside, "exact (change of variables through G)", cdf)


def pg_kde(samples: np.ndarray, edges: np.ndarray) -> PG:
    """p_g as a Gaussian KDE of G's samples (used when z has more than one dimension)."""
    samples = np.sort(np.asarray(samples, dtype=np.float64))
    centres = 0.5 * (edges[1:] + edges[:-1])
    if np.ptp(samples) < 1e-9:  # total collapse: the KDE is singular; put all mass in one cell
        density = np.zeros_like(centres)
        i = np.searchsorted(edges, samples[0]) - 1
        if 0 <= i < len(centres):
            density[i] = 1.0 / (edges[1] - edges[0])
    else:
        density = stats.gaussian_kde(samples)(centres)
    inside = float(density.sum() * (edges[1] - edges[0]))

    def cdf(x: np.ndarray) -> np.ndarray:
        return np.searchsorted(samples, np.asarray(x, dtype=np.float64), side="right") / samples.size

    return PG(density, max(0.0, 1.0 - inside), f"KDE of {samples.size} samples of G", cdf)


def grid_edges(target_support: tuple[float, float], g_lo: float, g_hi: float, n: int) -> np.ndarray:
    """Cell edges covering p_data's support and G's range (G's part capped at 2 support widths away)."""
    lo, hi = target_support
    width = hi - lo
    if math.isfinite(g_lo) and math.isfinite(g_hi):
        lo, hi = min(lo, max(g_lo, lo - 2 * width)), max(hi, min(g_hi, hi + 2 * width))
    return np.linspace(lo, hi, n + 1)


def probabilities(p: np.ndarray, q: np.ndarray, dx: float, q_outside: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Cell probabilities P (normalised to 1 on the grid) and Q (with q_outside appended as a last cell)."""
    P = np.clip(p, 0, None) * dx
    P = P / P.sum() if P.sum() > 0 else P
    Q = np.clip(q, 0, None) * dx
    Q = Q / Q.sum() * (1 - q_outside) if Q.sum() > 0 else Q  # inside mass is 1 − q_outside exactly
    return np.append(P, 0.0), np.append(Q, q_outside)


def _xlogy_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a · log(a / b) with 0 · log 0 = 0."""
    return special.xlogy(a, a) - special.xlogy(a, np.where(a > 0, b, 1.0))


def jsd_from_probs(P: np.ndarray, Q: np.ndarray) -> float:
    """JSD(P ‖ Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = (P + Q) / 2, in nats (0 … log 2)."""
    M = 0.5 * (P + Q)
    val = 0.5 * _xlogy_ratio(P, M).sum() + 0.5 * _xlogy_ratio(Q, M).sum()
    return float(min(max(val, 0.0), LOG2))


def jsd(p: np.ndarray, q: np.ndarray, dx: float, q_outside: float = 0.0) -> float:
    P, Q = probabilities(p, q, dx, q_outside)
    return jsd_from_probs(P, Q)


def c_of_g(jsd_value: float) -> float:
    """C(G) = max_D V(D, G) = −log 4 + 2·JSD(p_data ‖ p_g)."""
    return -LOG4 + 2.0 * jsd_value


def d_star(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g); NaN where both densities vanish (D* is undefined there)."""
    s = p + q
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 1e-12, p / np.where(s > 0, s, 1.0), np.nan)


def value_fn(P: np.ndarray, Q: np.ndarray, d: np.ndarray) -> float:
    """V(D, G) = Σ P log D + Σ Q log(1 − D) over the grid cells (d given on the same cells)."""
    d = np.clip(d, 1e-12, 1 - 1e-12)
    return float(special.xlogy(P, d).sum() + special.xlogy(Q, 1.0 - d).sum())


def d_dev(P: np.ndarray, Q: np.ndarray, d: np.ndarray) -> float:
    """E_{(P+Q)/2} |D − ½| over the grid cells."""
    w = 0.5 * (P + Q)
    return float((w * np.abs(d - 0.5)).sum() / max(w.sum(), 1e-12))


def mode_masses(cdf: Callable[[np.ndarray], np.ndarray], modes: list[Mode]) -> np.ndarray:
    """p_g's mass in each of p_data's modes."""
    bounds = np.array([m.lo for m in modes] + [modes[-1].hi], dtype=np.float64)
    F = np.asarray(cdf(np.clip(bounds, -1e300, 1e300)), dtype=np.float64)
    F[0], F[-1] = (0.0 if bounds[0] == -math.inf else F[0]), (1.0 if bounds[-1] == math.inf else F[-1])
    return np.diff(F)


def coverage(masses: np.ndarray, modes: list[Mode]) -> float:
    covered = [mass >= COVERAGE_FRACTION * m.weight for mass, m in zip(masses, modes)]
    return float(np.mean(covered))


def spread_ratio(x: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    """std(p_g) / std(p_data) on the grid: ≪ 1 when G piles its mass onto a small part of the support."""
    def std(w: np.ndarray) -> float:
        w = np.clip(w, 0, None)
        if w.sum() <= 0:
            return 0.0
        w = w / w.sum()
        mean = (w * x).sum()
        return float(np.sqrt((w * (x - mean) ** 2).sum()))
    sp = std(p)
    return std(q) / sp if sp > 0 else math.nan
