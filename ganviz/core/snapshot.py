"""Snapshot: everything one frame of the figure needs, as plain numpy arrays and floats.

Cheap to copy across processes and to keep in a recording; computed only when a frame or a record is due,
never per step.
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
N_DOTS = 160  # real and generated samples drawn as dots (and arrows at the fakes)


@dataclass
class Snapshot:
    step: int
    x: np.ndarray  # cell centres
    p_data: np.ndarray  # densities (cell averages)
    p_g: np.ndarray
    d: np.ndarray  # D(x) at the centres
    d_star: np.ndarray  # D*(x) = p_data / (p_data + p_g), NaN where both are negligible
    z: np.ndarray  # N_MAPPING evenly spaced prior quantiles (first coordinate when noise_dim > 1)
    gz: np.ndarray  # G(z) for those z
    jsd: float
    c_g: float
    v: float
    d_dev: float
    coverage: float
    mode_masses: np.ndarray
    pg_outside: float  # p_g's mass outside the cells drawn
    pg_method: str
    spread: float  # std(p_g) / std(p_data)
    gap_g: float = 0.0  # p_g's mass in the valleys between p_data's modes
    gap_data: float = 0.0  # p_data's mass there
    sat_ratio: float = math.nan  # |∇ saturating| / |∇ non-saturating| at the fakes: ≪ 1 when D rejects G
    n_modes: int = 1
    g_loss: str = "non_saturating"
    player: str = ""  # "D" or "G": which player moved last
    metrics: dict = field(default_factory=dict)  # loss_d, loss_g, d_real, d_fake, grad_norm_d, grad_norm_g
    z_range: tuple = (-1.0, 1.0)
    real_x: np.ndarray = field(default_factory=lambda: np.zeros(0))  # samples of p_data (dots)
    fake_x: np.ndarray = field(default_factory=lambda: np.zeros(0))  # samples of p_g (dots)
    fake_d: np.ndarray = field(default_factory=lambda: np.zeros(0))  # D at the fakes (the loss panel's dots)
    fake_dlogit: np.ndarray = field(default_factory=lambda: np.zeros(0))  # ∂ logit / ∂x at the fakes
    state: dict | None = None  # the trainer's state, when the live loop records it for "restart from here"
    extent: tuple = (0.0, 0.0)  # where p_data's and p_g's mass is (the driver keeps later frames covering it)

    def record(self) -> dict:
        """One row of the metrics history (what `ganviz run --metrics` writes)."""
        row = {"step": self.step, "jsd": self.jsd, "c_g": self.c_g, "v": self.v, "d_dev": self.d_dev,
               "coverage": self.coverage, "spread": self.spread, "gap_g": self.gap_g, "sat_ratio": self.sat_ratio,
               "n_modes": self.n_modes, "g_loss": self.g_loss}
        row.update(self.metrics)
        return row

    def push(self, g_loss: str | None = None) -> np.ndarray:
        """−∂ℓ_G/∂x at each fake: where G's next update pushes it (through D), for the chosen G loss."""
        d, dl = self.fake_d, self.fake_dlogit
        kind = g_loss or self.g_loss
        if kind == "saturating":  # ℓ = log(1 − D):  −∂ℓ/∂x = D · ∂l/∂x
            return d * dl
        if kind == "least_squares":  # ℓ = ½(D − 1)²
            return (1 - d) * d * (1 - d) * dl
        if kind == "wasserstein_gp":
            return dl
        return (1 - d) * dl  # non-saturating ℓ = −log D

    def nbytes(self) -> int:
        arrays = [self.x, self.p_data, self.p_g, self.d, self.d_star, self.z, self.gz, self.mode_masses,
                  self.real_x, self.fake_x, self.fake_d, self.fake_dlogit]
        total = sum(a.nbytes for a in arrays) + 1024
        if self.state:
            total += sum(v.nbytes for v in _arrays(self.state))
        return total


def _arrays(obj):
    if isinstance(obj, np.ndarray):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _arrays(v)


def mapping_z(noise: str, noise_dim: int, n: int = N_MAPPING) -> np.ndarray:
    """n z values at evenly spaced quantiles of the prior (the paper's evenly spaced z line)."""
    u = (np.arange(n) + 0.5) / n
    z1 = 2 * u - 1 if noise == "uniform" else theory.special.ndtri(u)
    z = np.zeros((n, noise_dim))
    z[:, 0] = z1
    return z


def sat_ratio(d: np.ndarray, dlogit: np.ndarray) -> float:
    """How strong the saturating loss's gradient is compared with the non-saturating one, at these fakes:
    Σ D |∂l/∂x| / Σ (1 − D) |∂l/∂x|. Scale-free: ≪ 1 means D confidently rejects G and log(1 − D) is flat."""
    a = np.abs(dlogit)
    den = float(((1 - d) * a).sum())
    return float((d * a).sum() / den) if den > 0 else math.nan


def take_snapshot(trainer: Trainer, member: int = 0, metrics: dict | None = None,
                  extent: tuple[float, float] | None = None, dots: bool = True) -> Snapshot:
    """Evaluate the theory for a member's current G and D (syncs with the device)."""
    cfg, target = trainer.configs[member], trainer.target
    if metrics is None:
        metrics = trainer.metrics(member)
    z_map = mapping_z(cfg.noise, cfg.noise_dim)
    gz_map = trainer.g_of(z_map, member)
    if cfg.noise_dim == 1:
        z_edges, mass = theory.prior_quantile_edges(cfg.noise, N_Z_SEGMENTS)
        gz_edges = trainer.g_of(z_edges, member)
        pg = theory.pg_exact(gz_edges, mass) if np.all(np.isfinite(gz_edges)) else None
    else:
        samples = trainer.g_of(trainer.side_z(N_KDE_SAMPLES), member)
        pg = theory.pg_kde(samples) if np.all(np.isfinite(samples)) else None
    if pg is None:
        nan = math.nan
        return Snapshot(step=trainer.iteration, x=np.zeros(0), p_data=np.zeros(0), p_g=np.zeros(0), d=np.zeros(0),
                        d_star=np.zeros(0), z=z_map[:, 0].copy(), gz=gz_map, jsd=nan, c_g=nan, v=nan, d_dev=nan,
                        coverage=nan, mode_masses=np.zeros(0), pg_outside=nan, pg_method="diverged", spread=nan,
                        metrics=dict(metrics), g_loss=cfg.g_loss)
    data_mean, data_std = target.mean_std()
    support = target.support()
    edges = theory.cell_edges(support, (pg.lo, pg.hi), cfg.grid_points, extent)
    snap_extent = (float(min(support[0], pg.lo)), float(max(support[1], pg.hi)))  # where the mass is
    c = theory.cells(edges, target.cdf, pg.cdf)
    x = c.centres
    p, q = c.inner(c.P), c.inner(c.Q)
    d_all = trainer.d_of(np.concatenate([x, edges[[0, -1]]]), member)
    d, d_cells = d_all[:-2], np.concatenate([[d_all[-2]], d_all[:-2], [d_all[-1]]])
    jsd = theory.jsd_from_probs(c.P, c.Q)
    modes = target.modes()
    report = theory.mode_report(target.cdf, pg.cdf, modes)
    snap = Snapshot(
        step=trainer.iteration, x=x, p_data=p, p_g=q, d=d, d_star=_visible_d_star(p, q, c.widths),
        z=z_map[:, 0].copy(), gz=gz_map, jsd=jsd, c_g=theory.c_of_g(jsd), v=theory.value_fn(c.P, c.Q, d_cells),
        d_dev=theory.d_dev(c.P, c.Q, d_cells), coverage=report["coverage"],
        mode_masses=theory.mode_masses(pg.cdf, modes), pg_outside=float(c.Q[0] + c.Q[-1]), pg_method=pg.method,
        spread=theory.spread_ratio(pg, data_std), gap_g=report["gap_g"], gap_data=report["gap_data"],
        n_modes=len(modes), g_loss=cfg.g_loss, player=trainer.last_update, metrics=dict(metrics),
        z_range=(-1.0, 1.0) if cfg.noise == "uniform" else (-3.0, 3.0), extent=snap_extent)
    probe = trainer.fake_probe(trainer.side_z(N_DOTS), member)
    snap.fake_x, snap.fake_d, snap.fake_dlogit = probe["x"], probe["d"], probe["dlogit"]
    snap.sat_ratio = sat_ratio(snap.fake_d, snap.fake_dlogit)
    if dots:
        snap.real_x = target_samples(trainer, N_DOTS)
    return snap


def _visible_d_star(p: np.ndarray, q: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """D* only where p_data + p_g holds mass worth judging: in the far tails both densities are ~0 and their
    ratio is rounding noise (it would draw spikes between 0 and 1)."""
    total = p + q
    keep = total > 5e-2 * max(float(np.nanmax(total)), 1e-300)
    return np.where(keep, theory.d_star(p, q), np.nan)


def target_samples(trainer: Trainer, n: int, seed: int = 54321) -> np.ndarray:
    """n samples of p_data from a fixed side stream (the real dots; the training streams are untouched)."""
    import torch
    gen = torch.Generator().manual_seed(seed)
    raw = {kind: (torch.rand if kind == "uniform" else torch.randn)((1, n), generator=gen)
           for kind in trainer.target.draws}
    return trainer.target.transform(raw).reshape(-1).numpy().astype(np.float64)
