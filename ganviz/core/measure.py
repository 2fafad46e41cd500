"""Measuring a trainer: the Snapshot of a member's G and D (core/snapshot.py), with the theory evaluated exactly
on cells that follow both distributions (core/theory.py). Syncs with the device; called only when a frame or a
record is due, never per step.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ganviz import losses
from ganviz.core import theory
from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer

N_MAPPING = 40  # z → x segments drawn under the figure
N_Z_SEGMENTS = 1024  # z intervals for the exact change of variables
N_KDE_SAMPLES = 4000
N_DOTS = 160  # real and generated samples drawn as dots (and arrows at the fakes)


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
    """Evaluate the theory for a member's current G and D (syncs with the device). A target in the plane gets
    a Snapshot2D (core/measure2d.py)."""
    if trainer.dim == 2:
        from ganviz.core.measure2d import take_snapshot_2d
        return take_snapshot_2d(trainer, member, metrics)
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
                        coverage=nan, pg_method="diverged", spread=nan, metrics=dict(metrics), g_loss=cfg.g_loss,
                        g_updates=trainer.g_updates)
    data_mean, data_std = target.mean_std()
    support = target.support()
    edges = theory.cell_edges(support, (pg.lo, pg.hi), cfg.grid_points, extent)
    snap_extent = (float(min(support[0], pg.lo)), float(max(support[1], pg.hi)))  # where the mass is
    c = theory.cells(edges, target.cdf, pg.cdf)
    x = c.centres
    p, q = c.inner(c.P), c.inner(c.Q)
    d_all = trainer.d_of(np.concatenate([x, edges[[0, -1]]]), member)
    d, d_cells = d_all[:-2], np.concatenate([[d_all[-2]], d_all[:-2], [d_all[-1]]])
    distances = theory.divergences(c)
    jsd = distances.pop("jsd")
    modes = target.modes()
    report = theory.mode_report(target.cdf, pg.cdf, modes)
    q_modes = theory.mode_masses(pg.cdf, modes)
    big = [i for i, m in enumerate(modes) if m.weight >= 0.25]
    low = np.concatenate([[True], p < 0.05 * max(float(p.max()), 1e-300), [True]])  # tails count as low
    probe = trainer.fake_probe(trainer.side_z(N_DOTS), member)
    snap = Snapshot(
        step=trainer.iteration, x=x, p_data=p, p_g=q, d=d, d_star=visible_d_star(c),
        z=z_map[:, 0].copy(), gz=gz_map, jsd=jsd, c_g=theory.c_of_g(jsd), v=theory.value_fn(c.P, c.Q, d_cells),
        d_dev=theory.d_dev(c.P, c.Q, d_cells) if losses.get(cfg.g_loss).ratio else math.nan, coverage=report["coverage"], pg_method=pg.method,
        spread=theory.spread_ratio(pg, data_std), gap_g=report["gap_g"],
        mode_low=float(min((q_modes[i] / modes[i].weight for i in big), default=1.0)),
        stray=float(c.Q[low].sum() - c.P[low].sum()),
        offset=(pg.mean - data_mean) / data_std if data_std > 0 else math.nan, g_updates=trainer.g_updates,
        sat_ratio=sat_ratio(probe["d"], probe["dlogit"]), n_modes=len(modes), g_loss=cfg.g_loss,
        player=trainer.last_update, metrics=dict(metrics), distances=distances, pinned=trainer.pinned_share(member),
        z_range=(-1.0, 1.0) if cfg.noise == "uniform" else (-3.0, 3.0), extent=snap_extent, edges=edges,
        tails=(float(c.P[0]), float(c.P[-1]), float(c.Q[0]), float(c.Q[-1])),
        fake_x=probe["x"], fake_logit=probe["logit"], fake_dlogit=probe["dlogit"])
    if dots:
        snap.real_x = target_samples(trainer, N_DOTS)
    return snap


D_STAR_SMOOTH = 5  # D* for the figure: both densities averaged over this many neighbouring cells …
D_STAR_RESOLVED = 0.01  # … drawn where each holds at least this fraction of its own peak density …
D_STAR_EDGE = 3  # … and not within this many cells of the edge of either one's support


def visible_d_star(c: theory.Cells) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g) as the figure draws it: from both densities averaged over a few
    neighbouring cells (the exact p_g is piecewise constant at the z-grid's scale, and a ratio of two such
    curves is jagged), only where both are resolvable — each ≥ 1 % of its own peak — and not in the last few
    cells before either density's support ends. At such an edge (a uniform z makes p_g's edges hard) D* jumps
    from its value inside to 1 or 0 within one cell, a vertical stroke that moved with every frame; beyond the
    drawn curve D* is 1 (only p_data there), 0 (only p_g) or undefined."""
    k = np.ones(D_STAR_SMOOTH)
    widths = np.convolve(c.widths, k, mode="same")
    P, Q = c.P[1:-1], c.Q[1:-1]
    p = np.convolve(P, k, mode="same") / widths
    q = np.convolve(Q, k, mode="same") / widths
    resolved = (p >= D_STAR_RESOLVED * max(float(p.max()), 1e-300)) & (q >= D_STAR_RESOLVED * max(float(q.max()), 1e-300))
    inside = _eroded(P > 0, D_STAR_EDGE) & _eroded(Q > 0, D_STAR_EDGE)
    return np.where(resolved & inside, theory.d_star(p, q), np.nan)


def _eroded(mask: np.ndarray, n: int) -> np.ndarray:
    """``mask`` with n cells removed at each end of each run of True."""
    out = mask.copy()
    for shift in range(1, n + 1):
        out[shift:] &= mask[:-shift]
        out[:-shift] &= mask[shift:]
    return out


def target_samples(trainer: Trainer, n: int, seed: int = 54321) -> np.ndarray:
    """n samples of p_data from a fixed side stream (the real dots; the training streams are untouched)."""
    gen = torch.Generator().manual_seed(seed)
    raw = {kind: (torch.rand if kind == "uniform" else torch.randn)((1, n), generator=gen)
           for kind in trainer.target.draws}
    return trainer.target.transform(raw).reshape(-1).numpy().astype(np.float64)
