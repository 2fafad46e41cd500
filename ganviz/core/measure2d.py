"""Measuring a trainer whose target lies in the plane: the Snapshot2D of a member's G and D (core/snapshot2d.py).

What is exact and what is estimated:
- p_data's mass per cell is exact (core/plane.py ``cell_masses``: the mixture's CDFs);
- p_g's mass per cell is estimated by pushing a dense Z_GRID × Z_GRID grid of z (equal-probability points of
  p_z) through G and counting where they land: the 2-D analogue of the 1-D change of variables. Its error is
  stated: JSD is computed with the even and with the odd half of that z grid, and ``jsd_err`` is their
  difference;
- sliced W1 (the mean over SW_DIRECTIONS fixed directions of the 1-D W1 of the projections) compares SW_SAMPLES
  of G with as many of p_data; ``sw1_floor`` is the same between two independent p_data samples — the value
  sampling alone gives, below which no difference can be read.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ganviz import losses
from ganviz.core import theory
from ganviz.core.measure import sat_ratio
from ganviz.core.plane import COVER_SHARE
from ganviz.core.snapshot2d import Snapshot2D
from ganviz.core.trainer import Trainer

CELLS = 64  # the plane's grid: CELLS × CELLS cells over the target's extent
Z_GRID = 96  # p_g: a Z_GRID × Z_GRID grid of z through G
MESH_LINES, MESH_POINTS = 11, 41  # G's transformation: 11 + 11 lines of the z square, 41 points each
N_DOTS = 512  # real and fake samples drawn
N_OCCUPANCY = 4096  # G's samples judged by the coverage rule
SW_DIRECTIONS, SW_SAMPLES = 64, 2048
_CACHE: dict = {}  # per target object: its fixed real samples, its own quality and the sliced-W1 floor


def z_side(noise: str) -> tuple[float, float]:
    return (-1.0, 1.0) if noise == "uniform" else (-3.0, 3.0)


def z_grid(noise: str, n: int, z_dim: int) -> np.ndarray:
    """n × n equal-probability points of p_z in its first two coordinates; any further coordinates are drawn
    from p_z (a fixed stream, the same every frame), so the points stay a sample of the whole p_z and p_g's
    estimate is of p_g, not of a slice of it."""
    u = (np.arange(n) + 0.5) / n
    a = 2 * u - 1 if noise == "uniform" else special.ndtri(u)
    zz = np.zeros((n * n, z_dim))
    zz[:, 0], zz[:, 1] = np.repeat(a, n), np.tile(a, n)
    if z_dim > 2:
        rng = np.random.default_rng(97)
        rest = (n * n, z_dim - 2)
        zz[:, 2:] = rng.uniform(-1, 1, rest) if noise == "uniform" else rng.standard_normal(rest)
    return zz


def z_mesh(noise: str, z_dim: int) -> np.ndarray:
    """(2·MESH_LINES, MESH_POINTS, z_dim): rows then columns of a regular mesh over the z square (with more than
    two z dimensions, the square through the mean of the others: the mesh is a slice, p_g is not)."""
    lo, hi = z_side(noise)
    if noise != "uniform":
        lo, hi = -2.5, 2.5  # a Gaussian z: the mesh spans ±2.5σ (99 % of the mass per axis)
    ticks, pts = np.linspace(lo, hi, MESH_LINES), np.linspace(lo, hi, MESH_POINTS)
    mesh = np.zeros((2 * MESH_LINES, MESH_POINTS, z_dim))
    for i, t in enumerate(ticks):
        mesh[i, :, 0], mesh[i, :, 1] = pts, t
        mesh[MESH_LINES + i, :, 0], mesh[MESH_LINES + i, :, 1] = t, pts
    return mesh


def sliced_w1(a: np.ndarray, b: np.ndarray, directions: np.ndarray) -> float:
    """Mean over unit directions of the 1-D W1 between the projections (equal sample sizes: sorted pairs)."""
    pa, pb = np.sort(a @ directions.T, axis=0), np.sort(b @ directions.T, axis=0)
    return float(np.abs(pa - pb).mean())


def _directions() -> np.ndarray:
    t = np.pi * (np.arange(SW_DIRECTIONS) + 0.5) / SW_DIRECTIONS
    return np.stack([np.cos(t), np.sin(t)], 1)


def _reference(target) -> dict:
    """The target's fixed samples and constants (computed once per target object)."""
    key = id(target)
    ref = _CACHE.get(key)
    if ref is None or ref["target"] is not target:
        dots = target.sample(N_DOTS, seed=54321)
        a, b = target.sample(SW_SAMPLES, seed=1), target.sample(SW_SAMPLES, seed=2)
        _, quality = target.occupancy(target.sample(N_OCCUPANCY, seed=3))
        x0, x1, y0, y1 = target.extent()
        edges = np.linspace(x0, x1, CELLS + 1), np.linspace(y0, y1, CELLS + 1)
        ref = {"target": target, "dots": dots, "sw_ref": a, "sw_floor": sliced_w1(a, b, _directions()),
               "quality": quality, "edges": edges, "cells": target.cell_masses(*edges)}
        _CACHE.clear()  # one target at a time (a run's); a new one replaces it
        _CACHE[key] = ref
    return ref


def take_snapshot_2d(trainer: Trainer, member: int = 0, metrics: dict | None = None) -> Snapshot2D:
    cfg, target = trainer.configs[member], trainer.target
    if metrics is None:
        metrics = trainer.metrics(member)
    ref = _reference(target)
    x0, x1, y0, y1 = extent = target.extent()
    xedges, yedges = ref["edges"]
    cell_area = (x1 - x0) * (y1 - y0) / CELLS ** 2
    P, p_out = ref["cells"]

    zz = z_grid(cfg.noise, Z_GRID, trainer.z_dim)
    gz = trainer.g_of(zz, member)
    mesh = z_mesh(cfg.noise, trainer.z_dim)
    g_mesh = trainer.g_of(mesh.reshape(-1, trainer.z_dim), member).reshape(mesh.shape[0], mesh.shape[1], 2)
    if not np.all(np.isfinite(gz)):
        nan = math.nan
        return Snapshot2D(step=trainer.iteration, extent=extent, p_data=P / cell_area, p_g=np.zeros((0, 0)),
                          d=np.zeros((0, 0)), real=ref["dots"], fake=np.zeros((0, 2)), fake_logit=np.zeros(0),
                          fake_dlogit=np.zeros((0, 2)), z_mesh=mesh[..., :2], g_mesh=g_mesh, modes=target.mode_centres(),
                          outlines=target.outlines(), occupancy=np.zeros(target.n_modes), jsd=nan, jsd_err=nan,
                          sw1=nan, sw1_floor=ref["sw_floor"], d_dev=nan, coverage=nan, quality=nan,
                          pg_method="diverged", g_loss=cfg.g_loss, g_updates=trainer.g_updates,
                          metrics=dict(metrics))

    def masses(points: np.ndarray) -> tuple[np.ndarray, float]:
        counts, _, _ = np.histogram2d(points[:, 1], points[:, 0], bins=(yedges, xedges))
        inside = counts / len(points)
        return inside, max(0.0, 1.0 - float(inside.sum()))

    Q, q_out = masses(gz)
    jsd = _jsd(P, p_out, Q, q_out)
    even, odd = gz.reshape(Z_GRID, Z_GRID, 2)[:, 0::2].reshape(-1, 2), gz.reshape(Z_GRID, Z_GRID, 2)[:, 1::2].reshape(-1, 2)
    jsd_err = abs(_jsd(P, p_out, *masses(even)) - _jsd(P, p_out, *masses(odd)))

    cx, cy = 0.5 * (xedges[1:] + xedges[:-1]), 0.5 * (yedges[1:] + yedges[:-1])
    grid = np.stack(np.meshgrid(cx, cy), -1).reshape(-1, 2)  # row j = y: (ny, nx) after reshape
    d = trainer.d_of(grid, member).reshape(CELLS, CELLS)
    spec = losses.get(cfg.g_loss)
    weight = 0.5 * (P + Q)
    d_dev = float((np.abs(d - 0.5) * weight).sum() / max(weight.sum(), 1e-300)) if spec.ratio else math.nan

    probe = trainer.fake_probe(trainer.side_z(N_DOTS), member)
    step = max(1, len(gz) // N_OCCUPANCY)
    occupancy, quality = target.occupancy(gz[::step])
    k = max(target.n_modes, 1)
    covered = occupancy >= COVER_SHARE / k
    sw_g = gz[np.linspace(0, len(gz) - 1, SW_SAMPLES).astype(int)]
    return Snapshot2D(
        step=trainer.iteration, extent=extent, p_data=P / cell_area, p_g=Q / cell_area, d=d, real=ref["dots"],
        fake=probe["x"].reshape(-1, 2), fake_logit=probe["logit"], fake_dlogit=probe["dlogit"].reshape(-1, 2),
        z_mesh=mesh[..., :2].copy(), g_mesh=g_mesh, modes=target.mode_centres(), outlines=target.outlines(),
        occupancy=occupancy, jsd=jsd, jsd_err=jsd_err, sw1=sliced_w1(sw_g, ref["sw_ref"], _directions()),
        sw1_floor=ref["sw_floor"], d_dev=d_dev, coverage=float(covered.mean()), quality=quality,
        pg_method=f"G on a {Z_GRID} × {Z_GRID} grid of z, counted per cell", z_range=z_side(cfg.noise),
        g_loss=cfg.g_loss, g_updates=trainer.g_updates, player=trainer.last_update,
        sat_ratio=sat_ratio(probe["d"], np.linalg.norm(probe["dlogit"].reshape(-1, 2), axis=1)),
        data_quality=ref["quality"], metrics=dict(metrics))


def _jsd(P: np.ndarray, p_out: float, Q: np.ndarray, q_out: float) -> float:
    """JSD of the cell masses, the mass outside the grid one more cell of each."""
    return theory.jsd_from_probs(np.append(P.ravel(), p_out), np.append(Q.ravel(), q_out))
