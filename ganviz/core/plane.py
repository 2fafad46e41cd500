"""Targets in the plane (a 2-D p_data) and the plane's rules: which modes G covers, how good its samples are.

Every plane target is one family: an equal-weight mixture of axis-aligned Gaussians N(c_i, diag(σ²)) on a
set of centres c_i — K on a ring (eight by default), n × n on a grid, 200 points along each of two moons, 400 along a spiral,
or the rows of a two-column CSV (a Gaussian KDE with per-axis bandwidths). So the density is exact (the
mixture's own pdf) and sampling matches it exactly: pick a centre uniformly, add σ ⊙ ε. The curves' mixtures
are the curves convolved with noise, with the curve sampled at 200–400 points (spacing well under σ).

Modes — for coverage — are groups of centres: each Gaussian of the ring and the grid, each moon, each quarter
of the spiral; a CSV's rows are one mode. **The coverage rule**: a sample is *near* a mode when it lies within
3σ (per axis: ‖(x − c) / σ‖ ≤ 3) of one of the mode's centres; mode k is **covered** when at least
COVER_SHARE (20 %) of its fair share (1/K) of G's samples are near it; a sample is **high-quality** when it
is near some mode. (The literature's rule for the ring: ≥ 20 of 2 500 samples within 3σ — ours is relative
so it holds for any K and sample size.)

Torch-free like core/targets.py: the sampling transform uses only the tensors' own methods.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ganviz.config import ConfigError

COVER_SHARE = 0.2  # mode k is covered when it holds ≥ 20 % of its fair share (1/K) of G's samples within 3σ
NEAR = 3.0  # "near a mode": within this many σ of one of its centres
MAX_CENTRES = 2048  # a CSV with more rows is binned to this many weighted centres for the pdf


class PlaneTarget:
    """An equal-weight mixture of N(c_i, diag(σ²)) over ``centres`` (C, 2); ``mode_of`` (C,) groups them into
    modes. Subclasses only build the centres."""

    dim = 2
    name = "plane"
    draws = ("uniform", "normal2")  # a uniform pick of the centre, then a 2-D normal ε
    label = "p_data"
    axis_labels = ("x₁", "x₂")

    def __init__(self, centres: np.ndarray, sigma, mode_of: np.ndarray, weights: np.ndarray | None = None,
                 square: bool = True):
        self.centres = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
        self.sigma = np.broadcast_to(np.asarray(sigma, dtype=np.float64), (2,)).copy()
        self.mode_of = np.asarray(mode_of, dtype=np.int64)
        self.weights = (np.full(len(self.centres), 1.0 / len(self.centres)) if weights is None
                        else np.asarray(weights, dtype=np.float64) / np.sum(weights))
        self.square = square
        self._tensors: dict = {}
        self._tree = None  # the centres' KD-tree (in σ units), built on first use

    # --- density ------------------------------------------------------------------------------------------
    def pdf(self, xy: np.ndarray) -> np.ndarray:
        """p_data at points (..., 2)."""
        xy = np.asarray(xy, dtype=np.float64)
        flat = xy.reshape(-1, 2)
        out = np.empty(len(flat))
        norm = 1.0 / (2 * math.pi * self.sigma[0] * self.sigma[1])
        step = max(1, 2_000_000 // max(len(self.centres), 1))
        for i in range(0, len(flat), step):  # chunks keep the (points, centres) matrix small
            u = (flat[i:i + step, None, :] - self.centres[None]) / self.sigma
            out[i:i + step] = (self.weights * np.exp(-0.5 * (u * u).sum(-1))).sum(-1) * norm
        return out.reshape(xy.shape[:-1])

    def cell_masses(self, xedges: np.ndarray, yedges: np.ndarray) -> tuple[np.ndarray, float]:
        """p_data's exact probability of each cell (ny, nx) of the grid with these edges, and the mass outside
        it: each Gaussian factorises over the axes, so a cell's mass is Σ_i w_i ΔΦ_x,i ΔΦ_y,i."""
        from scipy import special
        mx = np.diff(special.ndtr((np.asarray(xedges)[None, :] - self.centres[:, :1]) / self.sigma[0]), axis=1)
        my = np.diff(special.ndtr((np.asarray(yedges)[None, :] - self.centres[:, 1:]) / self.sigma[1]), axis=1)
        cells = (self.weights[:, None] * my).T @ mx  # (ny, nx)
        return cells, max(0.0, 1.0 - float(cells.sum()))

    def extent(self) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1): the centres ± 4σ with a margin; square (the same span on both axes) so the
        plane is drawn without distortion."""
        lo = self.centres.min(0) - 4 * self.sigma
        hi = self.centres.max(0) + 4 * self.sigma
        pad = 0.12 * (hi - lo)
        lo, hi = lo - pad, hi + pad
        if self.square:
            mid, half = 0.5 * (lo + hi), 0.5 * float(np.max(hi - lo))
            lo, hi = mid - half, mid + half
        return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])

    def mean_std(self) -> tuple[np.ndarray, np.ndarray]:
        mean = (self.weights[:, None] * self.centres).sum(0)
        var = (self.weights[:, None] * (self.centres - mean) ** 2).sum(0) + self.sigma ** 2
        return mean, np.sqrt(var)

    # --- sampling -----------------------------------------------------------------------------------------
    def _on(self, like):
        key = str(like.device)
        if key not in self._tensors:
            cum = np.cumsum(self.weights)
            self._tensors[key] = (like.new_tensor(self.centres.tolist()), like.new_tensor(self.sigma.tolist()),
                                  like.new_tensor(cum[:-1].tolist()) if not self._uniform() else None)
        return self._tensors[key]

    def _uniform(self) -> bool:
        return bool(np.allclose(self.weights, self.weights[0]))

    def transform(self, raw):
        """Samples (N, m, 2) from raw["uniform"] (N, m) and raw["normal2"] (N, m, 2)."""
        u, eps = raw["uniform"], raw["normal2"]
        centres, sigma, cum = self._on(u)
        n = len(self.centres)
        if cum is None:
            idx = (u * n).long().clamp_(max=n - 1)
        else:
            idx = (u.unsqueeze(-1) > cum).sum(-1)
        return centres[idx] + sigma * eps

    def sample(self, n: int, seed: int) -> np.ndarray:
        """n samples as numpy (a side stream for the figure's dots and the distance's reference)."""
        rng = np.random.default_rng(seed)
        idx = rng.choice(len(self.centres), size=n, p=self.weights)
        return self.centres[idx] + self.sigma * rng.standard_normal((n, 2))

    # --- modes and the coverage rule ----------------------------------------------------------------------
    @property
    def n_modes(self) -> int:
        return int(self.mode_of.max()) + 1 if self.mode_of.size else 0

    def mode_centres(self) -> np.ndarray:
        """(K, 2): each mode's centre (for a curve's mode: its centre point nearest the mode's mean)."""
        out = []
        for k in range(self.n_modes):
            pts = self.centres[self.mode_of == k]
            mean = pts.mean(0)
            out.append(pts[np.argmin(((pts - mean) ** 2).sum(1))])
        return np.array(out).reshape(-1, 2)

    def outlines(self) -> list[np.ndarray]:
        """Each mode's outline: a 3σ ellipse around a single Gaussian, else the curve its centres follow."""
        t = np.linspace(0, 2 * math.pi, 49)
        ring = np.stack([np.cos(t), np.sin(t)], 1) * NEAR * self.sigma
        out = []
        for k in range(self.n_modes):
            pts = self.centres[self.mode_of == k]
            out.append(pts[0] + ring if len(pts) == 1 else pts.copy())
        return out

    def occupancy(self, samples: np.ndarray) -> tuple[np.ndarray, float]:
        """(share of the samples near each mode (K,), share near some mode): the coverage rule's inputs. A
        sample is near the mode of its nearest centre (in σ units) when that centre is within 3σ (a KD-tree:
        O(n log C) however long the curve)."""
        samples = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
        if not len(samples):
            return np.zeros(self.n_modes), math.nan
        if self._tree is None:
            from scipy.spatial import cKDTree
            self._tree = cKDTree(self.centres / self.sigma)
        dist, idx = self._tree.query(samples / self.sigma, k=1, distance_upper_bound=NEAR)
        near = np.isfinite(dist)
        modes = self.mode_of[np.minimum(idx, len(self.centres) - 1)]
        occupancy = np.bincount(modes[near], minlength=self.n_modes) / len(samples)
        return occupancy, float(near.mean())


class Ring(PlaneTarget):
    name = "ring"

    def __init__(self, k: int, radius: float, std: float):
        a = 2 * math.pi * np.arange(k) / k
        super().__init__(np.stack([np.cos(a), np.sin(a)], 1) * radius, std, np.arange(k))


class Grid(PlaneTarget):
    name = "grid"

    def __init__(self, n: int, spacing: float, std: float):
        c = (np.arange(n) - (n - 1) / 2) * spacing
        xx, yy = np.meshgrid(c, c)
        super().__init__(np.stack([xx.ravel(), yy.ravel()], 1), std, np.arange(n * n))


class Moons(PlaneTarget):
    """scikit-learn's two interleaving half circles, centred and scaled by 2 (they span about ±3)."""

    name = "moons"
    POINTS = 200

    def __init__(self, noise: float):
        t = np.linspace(0, math.pi, self.POINTS)
        upper = np.stack([np.cos(t), np.sin(t)], 1)
        lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1)
        pts = (np.concatenate([upper, lower]) - [0.5, 0.25]) * 2.0
        super().__init__(pts, noise, np.repeat([0, 1], self.POINTS))


class Spiral(PlaneTarget):
    """A Swiss roll in the plane: (t cos t, t sin t) / 4 for t in [1.5π, 4.5π]; its four quarters are the
    modes (so a G that covers only part of the arm is seen to)."""

    name = "spiral"
    POINTS = 400

    def __init__(self, noise: float):
        t = np.linspace(1.5 * math.pi, 4.5 * math.pi, self.POINTS)
        pts = np.stack([t * np.cos(t), t * np.sin(t)], 1) / 4.0
        super().__init__(pts, noise, np.arange(self.POINTS) * 4 // self.POINTS)


class Points(PlaneTarget):
    """Two columns of a CSV, each standardised (zero mean, unit std: the plane's units are the columns'
    standard deviations); the density is a Gaussian KDE with Scott's per-axis bandwidth, sampling the
    matching smoothed bootstrap. All rows are one mode."""

    name = "points"

    def __init__(self, xy: np.ndarray, labels: tuple[str, str]):
        xy = np.asarray(xy, dtype=np.float64)
        self.offset, self.scale = xy.mean(0), xy.std(0)
        z = (xy - self.offset) / self.scale
        h = len(z) ** (-1.0 / 6.0)  # Scott's factor in 2-D; each axis has unit std
        weights = None
        if len(z) > MAX_CENTRES:  # bin for the pdf: the mixture stays O(MAX_CENTRES)
            side = int(math.sqrt(MAX_CENTRES))
            counts, ex, ey = np.histogram2d(z[:, 0], z[:, 1], bins=side)
            keep = counts > 0
            cx, cy = np.meshgrid(0.5 * (ex[1:] + ex[:-1]), 0.5 * (ey[1:] + ey[:-1]), indexing="ij")
            z, weights = np.stack([cx[keep], cy[keep]], 1), counts[keep]
        super().__init__(z, h, np.zeros(len(z), dtype=np.int64), weights, square=True)
        self.axis_labels = tuple(f"{name} (std units)" for name in labels)
        self.label = f"{labels[0]} × {labels[1]}"


def load_points(path: str | Path, x_column: str, y_column: str) -> np.ndarray:
    """Two numeric columns of a CSV (the 1-D loader's checks and messages for each)."""
    from ganviz.core.targets import load_csv_column
    x, y = load_csv_column(path, x_column), load_csv_column(path, y_column)
    if x.size != y.size:
        raise ConfigError(f"CSV '{Path(str(path)).name}': columns '{x_column}' and '{y_column}' differ in length")
    return np.stack([x, y], 1)


def make_plane_target(cfg) -> PlaneTarget:
    if cfg.target == "ring":
        return Ring(cfg.ring_modes, cfg.ring_radius, cfg.mode_std)
    if cfg.target == "grid":
        return Grid(cfg.grid_size, cfg.grid_spacing, cfg.mode_std)
    if cfg.target == "moons":
        return Moons(cfg.curve_noise)
    if cfg.target == "spiral":
        return Spiral(cfg.curve_noise)
    if cfg.target == "points":
        return Points(load_points(cfg.data_path, cfg.data_column, cfg.data_column_y),
                      (cfg.data_column, cfg.data_column_y))
    raise ConfigError(f"unknown plane target '{cfg.target}'")
