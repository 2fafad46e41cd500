"""Target distributions p_data: exact pdf and CDF on numpy grids (plots and theory) and batched sampling.

Sampling is a vectorised transform of raw draws (uniform u and normal ε, each (N, m) torch tensors), so N
members can draw from their own random streams and share one computation. The transforms use only the
tensors' own methods: this module imports no torch, so the window's process can read a target's density (to
draw p_data before the first frame) without loading it. Each target also names its *modes*: the x intervals
used to measure coverage (for a mixture the regions where each component dominates; otherwise the regions
between the local minima of the pdf), and each mode's *core*, where that mode's density is high.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import special

from ganviz.config import PLANE_TARGETS, ConfigError, TrainConfig
from ganviz.io.limits import InputError, read_csv_rows
from ganviz.io.resources import resolve_data_path

SQRT2PI = math.sqrt(2.0 * math.pi)
KDE_BINS = 2048  # data sets larger than this are binned before the KDE: the pdf costs O(bins), not O(n)


@dataclass
class Mode:
    lo: float  # interval [lo, hi) on the x axis (the outer modes reach ±∞)
    hi: float
    weight: float  # p_data mass of the mode
    core: tuple[float, float] = (-math.inf, math.inf)  # where this mode's density is ≥ ¼ of its peak
    peak: float = math.nan  # x of the mode's maximum


class Target:
    """Base class: subclasses give pdf(), cdf(), the raw draws they need and the transform of them."""

    name = "target"
    dim = 1  # a 1-D p_data (core/plane.py's targets have dim = 2)
    draws: tuple[str, ...] = ("normal",)  # raw draws per sample, in order: "uniform" / "normal"

    def pdf(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def cdf(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def transform(self, raw: dict):
        """Samples (N, m) from raw draws raw["uniform"], raw["normal"]: torch tensors of shape (N, m)."""
        raise NotImplementedError

    def support(self) -> tuple[float, float]:
        """An interval holding essentially all of p_data's mass (for the x grid)."""
        raise NotImplementedError

    def mean_std(self) -> tuple[float, float]:
        raise NotImplementedError

    def modes(self) -> list[Mode]:
        lo, hi = self.support()
        x = np.linspace(lo, hi, 2001)
        return modes_between_minima(x, self.pdf(x))


class Gaussian(Target):
    name = "gaussian"

    def __init__(self, mean: float, std: float):
        self.mean, self.std = float(mean), float(std)

    def pdf(self, x):
        u = (np.asarray(x, dtype=np.float64) - self.mean) / self.std
        return np.exp(-0.5 * u * u) / (self.std * SQRT2PI)

    def cdf(self, x):
        return special.ndtr((np.asarray(x, dtype=np.float64) - self.mean) / self.std)

    def transform(self, raw):
        return raw["normal"] * self.std + self.mean

    def support(self):
        return self.mean - 4.5 * self.std, self.mean + 4.5 * self.std

    def mean_std(self):
        return self.mean, self.std

    def modes(self):
        half = 1.665 * self.std  # density ≥ ¼ of the peak: |x − μ| ≤ σ √(2 ln 4)
        return [Mode(-math.inf, math.inf, 1.0, (self.mean - half, self.mean + half), self.mean)]


class Mixture(Target):
    name = "mixture"
    draws = ("uniform", "normal")

    def __init__(self, weights, means, stds):
        w = np.asarray(weights, dtype=np.float64)
        self.weights = w / w.sum()
        self.means = np.asarray(means, dtype=np.float64)
        self.stds = np.asarray(stds, dtype=np.float64)
        self._tensors: dict = {}

    def pdf(self, x):
        x = np.asarray(x, dtype=np.float64)[..., None]
        u = (x - self.means) / self.stds
        return (self.weights * np.exp(-0.5 * u * u) / (self.stds * SQRT2PI)).sum(axis=-1)

    def cdf(self, x):
        x = np.asarray(x, dtype=np.float64)[..., None]
        return (self.weights * special.ndtr((x - self.means) / self.stds)).sum(axis=-1)

    def _on(self, like):
        """The components as float32 tensors on ``like``'s device (made once per device)."""
        key = str(like.device)
        if key not in self._tensors:
            self._tensors[key] = tuple(like.new_tensor(v.tolist()) for v in
                                       (np.cumsum(self.weights)[:-1], self.means, self.stds))
        return self._tensors[key]

    def transform(self, raw):
        u = raw["uniform"]
        cum, means, stds = self._on(u)
        idx = (u.unsqueeze(-1) > cum).sum(-1)  # component i with probability π_i
        return means[idx] + stds[idx] * raw["normal"]

    def support(self):
        return float((self.means - 4.5 * self.stds).min()), float((self.means + 4.5 * self.stds).max())

    def mean_std(self):
        mean = float((self.weights * self.means).sum())
        second = float((self.weights * (self.stds ** 2 + self.means ** 2)).sum())
        return mean, math.sqrt(max(second - mean * mean, 0.0))

    def modes(self):
        lo, hi = self.support()
        x = np.linspace(lo, hi, 4001)
        u = (x[:, None] - self.means) / self.stds
        dens = self.weights * np.exp(-0.5 * u * u) / self.stds
        owner = dens.argmax(axis=1)
        out = []
        for i in range(len(self.weights)):
            xs = x[owner == i]
            if xs.size and self.weights[i] > 0:
                half = 1.665 * self.stds[i]
                core = (max(self.means[i] - half, xs.min()), min(self.means[i] + half, xs.max()))
                out.append(Mode(float(xs.min()), float(xs.max()), float(self.weights[i]),
                                (float(core[0]), float(core[1])), float(self.means[i])))
        out.sort(key=lambda m: m.lo)
        out[0].lo, out[-1].hi = -math.inf, math.inf
        for a, b in zip(out, out[1:]):
            a.hi = b.lo = 0.5 * (a.hi + b.lo)
        return out


class Uniform(Target):
    name = "uniform"
    draws = ("uniform",)

    def __init__(self, low: float, high: float):
        self.low, self.high = float(low), float(high)

    def pdf(self, x):
        x = np.asarray(x, dtype=np.float64)
        return np.where((x >= self.low) & (x <= self.high), 1.0 / (self.high - self.low), 0.0)

    def cdf(self, x):
        return np.clip((np.asarray(x, dtype=np.float64) - self.low) / (self.high - self.low), 0.0, 1.0)

    def transform(self, raw):
        return raw["uniform"] * (self.high - self.low) + self.low

    def support(self):
        pad = 0.1 * (self.high - self.low)
        return self.low - pad, self.high + pad

    def mean_std(self):
        return 0.5 * (self.low + self.high), (self.high - self.low) / math.sqrt(12.0)

    def modes(self):
        return [Mode(-math.inf, math.inf, 1.0, (self.low, self.high), 0.5 * (self.low + self.high))]


class Empirical(Target):
    """Samples from a CSV column; pdf is a Gaussian KDE and sampling is the matching smoothed bootstrap
    (pick a data point, add N(0, h²) noise), so samples and pdf describe the same distribution. Large data
    sets are binned (KDE_BINS weighted points) for the pdf; sampling always uses every value."""

    name = "empirical"
    draws = ("uniform", "normal")

    def __init__(self, values: np.ndarray, label: str = "data"):
        values = np.asarray(values, dtype=np.float64)
        self.values, self.label = values, label
        from scipy import stats  # only here: scipy.stats costs the training process 0.2 s at every start
        kde = stats.gaussian_kde(values)
        self.bandwidth = float(np.sqrt(kde.covariance[0, 0]))
        if values.size > KDE_BINS:
            counts, edges = np.histogram(values, bins=KDE_BINS)
            keep = counts > 0
            self.centres, self.w = 0.5 * (edges[1:] + edges[:-1])[keep], counts[keep] / values.size
        else:
            self.centres, self.w = values, np.full(values.size, 1.0 / values.size)
        self._tensors: dict = {}

    @classmethod
    def from_csv(cls, path: str | Path, column: str) -> "Empirical":
        return cls(load_csv_column(path, column), label=f"{Path(path).name}:{column}")

    def pdf(self, x):
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1)
        out = np.empty(flat.size)
        for i in range(0, flat.size, 512):  # chunks keep the (x, centres) matrix small
            u = (flat[i:i + 512, None] - self.centres) / self.bandwidth
            out[i:i + 512] = (self.w * np.exp(-0.5 * u * u)).sum(axis=1) / (self.bandwidth * SQRT2PI)
        return out.reshape(x.shape)

    def cdf(self, x):
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1)
        out = np.empty(flat.size)
        for i in range(0, flat.size, 512):
            out[i:i + 512] = (self.w * special.ndtr((flat[i:i + 512, None] - self.centres) / self.bandwidth)).sum(1)
        return out.reshape(x.shape)

    def transform(self, raw):
        u = raw["uniform"]
        key = str(u.device)
        if key not in self._tensors:
            self._tensors[key] = u.new_tensor(self.values.tolist())
        data = self._tensors[key]
        idx = (raw["uniform"] * data.numel()).long().clamp_(max=data.numel() - 1)
        return data[idx] + self.bandwidth * raw["normal"]

    def support(self):
        return float(self.values.min() - 4 * self.bandwidth), float(self.values.max() + 4 * self.bandwidth)

    def mean_std(self):
        return float(self.values.mean()), float(math.sqrt(self.values.var() + self.bandwidth ** 2))

    def modes(self):
        lo, hi = self.support()
        x = np.linspace(lo, hi, 2001)
        return modes_between_minima(x, self.pdf(x))


def load_csv_column(path: str | Path, column: str) -> np.ndarray:
    """One numeric column of a CSV with a header row (or a column number); every problem is a ConfigError."""
    p = resolve_data_path(str(path))
    try:
        rows = read_csv_rows(p)
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    if not rows:
        raise ConfigError(f"CSV '{path}' is empty")
    header = [c.strip() for c in rows[0]]
    if column in header:
        col, body, first_line = header.index(column), rows[1:], 2
    elif column.isdigit() and int(column) < len(header):
        col, body, first_line = int(column), rows, 1
        if not _is_number(header[col]):
            body, first_line = rows[1:], 2
    else:
        shown = ", ".join(header[:12]) + (", …" if len(header) > 12 else "")
        raise ConfigError(f"CSV '{Path(str(path)).name}' has no column '{column}'; columns: {shown}")
    values = np.empty(len(body))
    for i, row in enumerate(body):
        cell = row[col].strip() if col < len(row) else ""
        try:
            values[i] = float(cell)
        except ValueError:
            raise ConfigError(f"CSV '{Path(str(path)).name}' line {i + first_line}, column '{column}': "
                              f"'{cell[:40]}' is not a number") from None
        if not math.isfinite(values[i]):
            raise ConfigError(f"CSV '{Path(str(path)).name}' line {i + first_line}, column '{column}': "
                              f"{cell} is not a finite number")
    if values.size < 2:
        raise ConfigError(f"CSV '{Path(str(path)).name}' column '{column}' needs at least 2 values, has {values.size}")
    if np.abs(values).max() > 1e6:  # before any arithmetic on them: 1e308 − (−1e308) overflows (a numpy warning)
        raise ConfigError(f"CSV '{Path(str(path)).name}' column '{column}' has values beyond ±1e6; "
                          "rescale the data")
    if values.max() == values.min():
        raise ConfigError(f"CSV '{Path(str(path)).name}' column '{column}' has a single distinct value; "
                          "a density needs spread")
    return values


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def modes_between_minima(x: np.ndarray, p: np.ndarray, min_mass: float = 0.05) -> list[Mode]:
    """Split the x axis at the local minima of p; keep regions holding ≥ ``min_mass`` of the mass; each
    mode's core is where p ≥ ¼ of that mode's peak."""
    dx = x[1] - x[0]
    interior = np.where((p[1:-1] < p[:-2]) & (p[1:-1] <= p[2:]))[0] + 1
    cuts = [-math.inf] + [float(x[i]) for i in interior] + [math.inf]
    total = p.sum() * dx
    modes: list[Mode] = []
    for lo, hi in zip(cuts, cuts[1:]):
        mass = float(p[(x >= lo) & (x < hi)].sum() * dx / total)
        if mass >= min_mass:
            modes.append(Mode(lo, hi, mass))
        elif modes:
            modes[-1].hi = hi  # fold a tiny bump into its left neighbour
            modes[-1].weight += mass
    if not modes:
        modes = [Mode(-math.inf, math.inf, 1.0)]
    modes[0].lo, modes[-1].hi = -math.inf, math.inf
    for m in modes:
        inside = (x >= m.lo) & (x < m.hi)
        xs, ps = x[inside], p[inside]
        i = int(np.argmax(ps))
        m.peak = float(xs[i])
        high = xs[ps >= 0.25 * ps[i]]
        m.core = (float(high.min()), float(high.max()))
    return modes


def make_target(cfg: TrainConfig) -> Target:
    if cfg.target == "gaussian":
        return Gaussian(cfg.target_mean, cfg.target_std)
    if cfg.target == "mixture":
        return Mixture(cfg.mixture_weights, cfg.mixture_means, cfg.mixture_stds)
    if cfg.target == "uniform":
        return Uniform(cfg.uniform_low, cfg.uniform_high)
    if cfg.target == "empirical":
        return Empirical.from_csv(cfg.data_path, cfg.data_column)
    if cfg.target in PLANE_TARGETS:
        from ganviz.core.plane import make_plane_target
        return make_plane_target(cfg)
    raise ConfigError(f"unknown target '{cfg.target}'")
