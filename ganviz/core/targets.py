"""Target distributions p_data: an exact pdf on a numpy grid (for plots and theory) and torch sampling.

Each target also names its *modes*: the x intervals used to measure mode coverage. For a mixture these are
the regions where each component has the largest weighted density; for other targets, the regions between
the local minima of the pdf.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from scipy import stats

from ganviz.config import ConfigError, TrainConfig
from ganviz.paths import resolve_data_path

SQRT2PI = math.sqrt(2.0 * math.pi)


@dataclass
class Mode:
    lo: float  # interval [lo, hi) on the x axis
    hi: float
    weight: float  # p_data mass of the mode


class Target:
    """Base class: subclasses give pdf(), sample() and their support."""

    name = "target"

    def pdf(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def sample(self, n: int, generator: torch.Generator, device: torch.device) -> torch.Tensor:
        """n samples as an (n, 1) float32 tensor on ``device``."""
        raise NotImplementedError

    def support(self) -> tuple[float, float]:
        """An interval holding essentially all of p_data's mass (for the x grid)."""
        raise NotImplementedError

    def modes(self) -> list[Mode]:
        lo, hi = self.support()
        x = np.linspace(lo, hi, 2001)
        p = self.pdf(x)
        return modes_between_minima(x, p)

    def describe(self) -> str:
        return self.name


class Gaussian(Target):
    name = "gaussian"

    def __init__(self, mean: float, std: float):
        self.mean, self.std = float(mean), float(std)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        u = (x - self.mean) / self.std
        return np.exp(-0.5 * u * u) / (self.std * SQRT2PI)

    def sample(self, n, generator, device):
        return torch.randn(n, 1, generator=generator, device=device).mul_(self.std).add_(self.mean)

    def support(self):
        return self.mean - 4.5 * self.std, self.mean + 4.5 * self.std

    def modes(self):
        return [Mode(-math.inf, math.inf, 1.0)]

    def describe(self):
        return f"N({self.mean:g}, {self.std:g}²)"


class Mixture(Target):
    name = "mixture"

    def __init__(self, weights, means, stds):
        w = np.asarray(weights, dtype=np.float64)
        self.weights = w / w.sum()
        self.means = np.asarray(means, dtype=np.float64)
        self.stds = np.asarray(stds, dtype=np.float64)
        self._cum = None

    def pdf(self, x):
        x = np.asarray(x, dtype=np.float64)[..., None]
        u = (x - self.means) / self.stds
        return (self.weights * np.exp(-0.5 * u * u) / (self.stds * SQRT2PI)).sum(axis=-1)

    def sample(self, n, generator, device):
        if self._cum is None or self._cum[0].device != torch.device(device):
            self._cum = (torch.tensor(np.cumsum(self.weights)[:-1], dtype=torch.float32, device=device),
                         torch.tensor(self.means, dtype=torch.float32, device=device),
                         torch.tensor(self.stds, dtype=torch.float32, device=device))
        cum, means, stds = self._cum
        u = torch.rand(n, generator=generator, device=device)
        idx = torch.bucketize(u, cum)  # component index i with P(i) = π_i
        eps = torch.randn(n, generator=generator, device=device)
        return (means[idx] + stds[idx] * eps).unsqueeze(1)

    def support(self):
        return float((self.means - 4.5 * self.stds).min()), float((self.means + 4.5 * self.stds).max())

    def modes(self):
        lo, hi = self.support()
        x = np.linspace(lo, hi, 4001)
        u = (x[:, None] - self.means) / self.stds
        dens = self.weights * np.exp(-0.5 * u * u) / self.stds
        owner = dens.argmax(axis=1)
        out = []
        for i in range(len(self.weights)):
            xs = x[owner == i]
            if xs.size:
                out.append(Mode(float(xs.min()), float(xs.max()), float(self.weights[i])))
        out.sort(key=lambda m: m.lo)
        out[0].lo, out[-1].hi = -math.inf, math.inf
        for a, b in zip(out, out[1:]):
            a.hi = b.lo = 0.5 * (a.hi + b.lo)
        return out

    def describe(self):
        parts = [f"{w:.2g}·N({m:g}, {s:g}²)" for w, m, s in zip(self.weights, self.means, self.stds)]
        return " + ".join(parts)


class Uniform(Target):
    name = "uniform"

    def __init__(self, low: float, high: float):
        self.low, self.high = float(low), float(high)

    def pdf(self, x):
        x = np.asarray(x, dtype=np.float64)
        return np.where((x >= self.low) & (x <= self.high), 1.0 / (self.high - self.low), 0.0)

    def sample(self, n, generator, device):
        return torch.rand(n, 1, generator=generator, device=device).mul_(self.high - self.low).add_(self.low)

    def support(self):
        pad = 0.1 * (self.high - self.low)
        return self.low - pad, self.high + pad

    def modes(self):
        return [Mode(-math.inf, math.inf, 1.0)]

    def describe(self):
        return f"U({self.low:g}, {self.high:g})"


class Empirical(Target):
    """Samples from a CSV column; pdf is a Gaussian KDE and sampling is the matching smoothed bootstrap
    (pick a data point, add N(0, h²) noise), so samples and pdf describe the same distribution."""

    name = "empirical"

    def __init__(self, values: np.ndarray, label: str = "data"):
        values = np.asarray(values, dtype=np.float64)
        self.values = values
        self.label = label
        self.kde = stats.gaussian_kde(values)
        self.bandwidth = float(np.sqrt(self.kde.covariance[0, 0]))
        self._data_t = None

    @classmethod
    def from_csv(cls, path: str | Path, column: str) -> "Empirical":
        values = load_csv_column(path, column)
        return cls(values, label=f"{Path(path).name}:{column}")

    def pdf(self, x):
        x = np.asarray(x, dtype=np.float64)
        return self.kde(x.ravel()).reshape(x.shape)

    def sample(self, n, generator, device):
        if self._data_t is None or self._data_t.device != torch.device(device):
            self._data_t = torch.tensor(self.values, dtype=torch.float32, device=device)
        idx = torch.randint(0, self._data_t.numel(), (n,), generator=generator, device=device)
        eps = torch.randn(n, generator=generator, device=device)
        return (self._data_t[idx] + self.bandwidth * eps).unsqueeze(1)

    def support(self):
        return float(self.values.min() - 4 * self.bandwidth), float(self.values.max() + 4 * self.bandwidth)

    def describe(self):
        return f"{self.label} ({self.values.size} samples, KDE h={self.bandwidth:.3g})"


def load_csv_column(path: str | Path, column: str) -> np.ndarray:
    """Read one numeric column; any problem (missing file or column, text, NaN, < 2 values) is a ConfigError."""
    p = resolve_data_path(str(path))
    try:
        with open(p, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read CSV '{path}': {getattr(exc, 'strerror', None) or exc}") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ConfigError(f"CSV '{path}' is empty")
    header = [c.strip() for c in rows[0]]
    if column in header:
        col, body, first_line = header.index(column), rows[1:], 2
    elif column.isdigit() and int(column) < len(header):
        col, body, first_line = int(column), rows, 1
        if _is_number(header[col]) is False:
            body, first_line = rows[1:], 2
    else:
        raise ConfigError(f"CSV '{path}' has no column '{column}'; columns: {', '.join(header)}")
    values = []
    for i, row in enumerate(body, start=first_line):
        cell = row[col].strip() if col < len(row) else ""
        try:
            v = float(cell)
        except ValueError:
            raise ConfigError(f"CSV '{path}' line {i}, column '{column}': '{cell}' is not a number") from None
        if not math.isfinite(v):
            raise ConfigError(f"CSV '{path}' line {i}, column '{column}': {cell} is not a finite number")
        values.append(v)
    if len(values) < 2:
        raise ConfigError(f"CSV '{path}' column '{column}' needs at least 2 values, has {len(values)}")
    arr = np.asarray(values)
    if np.ptp(arr) == 0:
        raise ConfigError(f"CSV '{path}' column '{column}' has a single distinct value; a density needs spread")
    return arr


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def modes_between_minima(x: np.ndarray, p: np.ndarray, min_mass: float = 0.05) -> list[Mode]:
    """Split the x axis at the local minima of p; keep regions holding ≥ ``min_mass`` of the mass."""
    dx = x[1] - x[0]
    interior = np.where((p[1:-1] < p[:-2]) & (p[1:-1] <= p[2:]))[0] + 1
    cuts = [-math.inf] + [float(x[i]) for i in interior] + [math.inf]
    total = p.sum() * dx
    modes = []
    for lo, hi in zip(cuts, cuts[1:]):
        mass = float(p[(x >= lo) & (x < hi)].sum() * dx / total)
        if mass >= min_mass:
            modes.append(Mode(lo, hi, mass))
        elif modes:
            modes[-1].hi = hi  # fold a tiny bump into its left neighbour
    if modes:
        modes[0].lo, modes[-1].hi = -math.inf, math.inf
    return modes or [Mode(-math.inf, math.inf, 1.0)]


def make_target(cfg: TrainConfig) -> Target:
    if cfg.target == "gaussian":
        return Gaussian(cfg.target_mean, cfg.target_std)
    if cfg.target == "mixture":
        return Mixture(cfg.mixture_weights, cfg.mixture_means, cfg.mixture_stds)
    if cfg.target == "uniform":
        return Uniform(cfg.uniform_low, cfg.uniform_high)
    if cfg.target == "empirical":
        return Empirical.from_csv(cfg.data_path, cfg.data_column)
    raise ConfigError(f"unknown target '{cfg.target}'")
