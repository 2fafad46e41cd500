"""Snapshot: everything one frame of the figure needs, as plain numpy arrays and floats.

Cheap to copy across threads and to keep in a history; computed only when a frame is due, never per step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ganviz.core import theory
from ganviz.core.trainer import Trainer

N_MAPPING = 40  # z → x segments drawn under the figure
N_Z_SEGMENTS = 1024  # z intervals for the exact change of variables
N_KDE_SAMPLES = 4000


@dataclass
class Snapshot:
    step: int
    x: np.ndarray  # grid cell centres
    p_data: np.ndarray
    p_g: np.ndarray
    d: np.ndarray  # D(x) on the grid
    d_star: np.ndarray  # D*(x) = p_data / (p_data + p_g)
    z: np.ndarray  # N_MAPPING evenly spaced prior quantiles (first coordinate when noise_dim > 1)
    gz: np.ndarray  # G(z) for those z
    jsd: float
    c_g: float
    v: float
    d_dev: float
    coverage: float
    mode_masses: np.ndarray
    pg_outside: float
    pg_method: str
    spread: float  # std(p_g) / std(p_data)
    metrics: dict = field(default_factory=dict)  # loss_d, loss_g, d_real, d_fake, grad_norm_d, grad_norm_g
    z_range: tuple = (-1.0, 1.0)
    weights: dict | None = None  # G's and D's parameters (numpy), when the live loop records them for rewind

    def record(self) -> dict:
        """One row of the metrics history (what `ganviz run --metrics` writes)."""
        row = {"step": self.step, "jsd": self.jsd, "c_g": self.c_g, "v": self.v, "d_dev": self.d_dev,
               "coverage": self.coverage, "spread": self.spread}
        row.update(self.metrics)
        return row

    def nbytes(self) -> int:
        arrays = [self.x, self.p_data, self.p_g, self.d, self.d_star, self.z, self.gz, self.mode_masses]
        if self.weights:
            arrays += [a for net in self.weights.values() for a in net.values()]
        return sum(a.nbytes for a in arrays) + 512


def mapping_z(noise: str, noise_dim: int, n: int = N_MAPPING) -> np.ndarray:
    """n z values at evenly spaced quantiles of the prior (the paper's evenly spaced z line)."""
    u = (np.arange(n) + 0.5) / n
    z1 = 2 * u - 1 if noise == "uniform" else theory.special.ndtri(u)
    if noise_dim == 1:
        return z1[:, None]
    z = np.zeros((n, noise_dim))
    z[:, 0] = z1
    return z


def take_snapshot(trainer: Trainer, metrics: dict | None = None) -> Snapshot:
    """Evaluate the theory for the trainer's current G and D (syncs with the device)."""
    cfg, target = trainer.cfg, trainer.target
    if metrics is None:
        metrics = trainer.metrics()
    z_map = mapping_z(cfg.noise, cfg.noise_dim)
    gz_map = trainer.g_of(z_map)
    if cfg.noise_dim == 1:
        z_edges, mass = theory.prior_quantile_edges(cfg.noise, N_Z_SEGMENTS)
        gz_edges = trainer.g_of(z_edges)
        g_lo, g_hi = float(np.nanmin(gz_edges)), float(np.nanmax(gz_edges))
        edges = theory.grid_edges(target.support(), g_lo, g_hi, cfg.grid_points)
        pg = theory.pg_exact(z_edges, gz_edges, mass, edges)
    else:
        samples = trainer.g_samples(N_KDE_SAMPLES)
        lo, hi = np.quantile(samples, [0.001, 0.999]) if np.all(np.isfinite(samples)) else (math.nan, math.nan)
        edges = theory.grid_edges(target.support(), float(lo), float(hi), cfg.grid_points)
        pg = theory.pg_kde(samples, edges)
    x = 0.5 * (edges[1:] + edges[:-1])
    dx = float(edges[1] - edges[0])
    p = target.pdf(x)
    d = trainer.d_of(x)
    P, Q = theory.probabilities(p, pg.density, dx, pg.outside)
    d_cells = np.append(d, 0.0)  # beyond the grid p_data = 0, so D is taken to reject there
    jsd = theory.jsd_from_probs(P, Q)
    modes = target.modes()
    masses = theory.mode_masses(pg.cdf, modes)
    return Snapshot(
        step=trainer.iteration, x=x, p_data=p, p_g=pg.density, d=d, d_star=theory.d_star(p, pg.density),
        z=z_map[:, 0].copy(), gz=gz_map, jsd=jsd, c_g=theory.c_of_g(jsd), v=theory.value_fn(P, Q, d_cells),
        d_dev=theory.d_dev(P, Q, d_cells), coverage=theory.coverage(masses, modes), mode_masses=masses,
        pg_outside=pg.outside, pg_method=pg.method, spread=theory.spread_ratio(x, p, pg.density), metrics=dict(metrics),
        z_range=(-1.0, 1.0) if cfg.noise == "uniform" else (-3.0, 3.0),
    )
