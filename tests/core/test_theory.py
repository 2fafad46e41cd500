import math

import numpy as np
import pytest
import torch

from ganviz.config import TrainConfig
from ganviz.core import theory
from ganviz.core.measure import take_snapshot
from ganviz.core.targets import Gaussian, Mixture
from ganviz.core.trainer import Trainer


def gauss(x, m, s):
    return np.exp(-0.5 * ((x - m) / s) ** 2) / (s * math.sqrt(2 * math.pi))


X = np.linspace(-12, 12, 4001)
DX = X[1] - X[0]


def cells_of(p_mean, p_std, q_mean, q_std, n=2000):
    a, b = Gaussian(p_mean, p_std), Gaussian(q_mean, q_std)
    edges = theory.cell_edges(a.support(), b.support(), n)
    return theory.cells(edges, a.cdf, b.cdf)


def test_optimal_discriminator_is_half_where_distributions_match():
    p = gauss(X, 0, 1)
    d = theory.d_star(p, p.copy())
    assert np.allclose(d[p > 1e-8], 0.5)


def test_optimal_discriminator_prefers_data_where_data_is_denser():
    d = theory.d_star(gauss(X, 0, 1), gauss(X, 2, 1))
    assert d[np.argmin(abs(X + 2))] > 0.9 and d[np.argmin(abs(X - 4))] < 0.1
    assert d[np.argmin(abs(X - 1))] == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("shift,scale", [(0.0, 1.0), (1.0, 0.5), (3.0, 2.0), (8.0, 1.0)])
def test_value_at_optimal_d_equals_c_of_g(shift, scale):
    c = cells_of(0, 1, shift, scale)
    d = np.nan_to_num(theory.d_star(c.P, c.Q), nan=0.5)
    assert theory.value_fn(c.P, c.Q, d) == pytest.approx(theory.c_of_g(theory.jsd_from_probs(c.P, c.Q)), abs=1e-3)
    assert theory.c_of_g(theory.jsd_from_probs(c.P, c.Q)) >= -math.log(4) - 1e-9  # the minimum of C(G)


def test_any_other_discriminator_scores_lower_than_optimal():
    c = cells_of(0, 1, 1.5, 1)
    best = theory.value_fn(c.P, c.Q, np.nan_to_num(theory.d_star(c.P, c.Q), nan=0.5))
    assert theory.value_fn(c.P, c.Q, np.full_like(c.P, 0.5)) < best
    assert theory.value_fn(c.P, c.Q, np.full_like(c.P, 0.5)) == pytest.approx(-math.log(4))


def test_jsd_of_identical_and_far_apart_gaussians():
    assert theory.jsd_from_probs(*_pq(cells_of(0.3, 0.7, 0.3, 0.7))) < 1e-6
    assert theory.jsd_from_probs(*_pq(cells_of(-6, 0.5, 6, 0.5))) == pytest.approx(math.log(2), abs=1e-4)
    near = theory.jsd_from_probs(*_pq(cells_of(0, 1, 1, 1)))
    assert 0.05 < near < math.log(2) - 0.3


def _pq(c):
    return c.P, c.Q


def test_cells_follow_both_distributions_when_they_are_far_apart():
    edges = theory.cell_edges((9.55, 10.45), (-0.3, 0.3), 400)
    widths = np.diff(edges)
    assert np.all(widths > 0)
    assert widths.min() < 0.005 and (edges < 0.3).sum() > 100 and (edges > 9.5).sum() > 100


@pytest.mark.parametrize("a,b", [(0.5, 1.0), (2.0, -1.0), (-0.8, 0.3)])
def test_exact_pg_of_affine_generator_uniform_z(a, b):
    z, mass = theory.prior_quantile_edges("uniform", 1024)
    pg = theory.pg_exact(a * z + b, mass)
    lo, hi = b - abs(a), b + abs(a)
    x = np.linspace(lo - 1, hi + 1, 201)
    assert np.allclose(pg.cdf(x), np.clip((x - lo) / (hi - lo), 0, 1), atol=1e-9)  # U(b − |a|, b + |a|)
    assert pg.mean == pytest.approx(b) and pg.std == pytest.approx(abs(a) / math.sqrt(3), rel=1e-4)


def test_exact_pg_of_affine_generator_normal_z():
    a, b = 0.7, 1.2
    z, mass = theory.prior_quantile_edges("normal", 4096)
    pg = theory.pg_exact(a * z + b, mass)
    x = np.linspace(-2, 4, 61)
    from scipy import special
    assert np.max(np.abs(pg.cdf(x) - special.ndtr((x - b) / a))) < 2e-3  # N(b, a²)
    assert pg.std == pytest.approx(a, rel=0.01)


def test_exact_pg_adds_both_branches_of_a_fold():
    z, mass = theory.prior_quantile_edges("uniform", 4096)
    pg = theory.pg_exact(z ** 2, mass)  # G(z) = z² folds [−1, 1] onto [0, 1]: F(x) = √x
    x = np.linspace(0.05, 0.95, 19)
    assert np.allclose(pg.cdf(x), np.sqrt(x), atol=2e-3)


def test_collapsed_generator_is_a_point_mass():
    z, mass = theory.prior_quantile_edges("uniform", 512)
    pg = theory.pg_exact(np.full_like(z, 0.42), mass)
    assert pg.cdf(np.array([0.41]))[0] == 0 and pg.cdf(np.array([0.43]))[0] == pytest.approx(1.0)
    assert pg.std == 0


def test_a_flat_plateau_across_two_modes_covers_neither():
    """Old Faithful's lesson: a uniform smear over both modes and the gap between them is not a fit."""
    target = Mixture([0.35, 0.65], [2.0, 4.4], [0.3, 0.4])
    modes = target.modes()
    z, mass = theory.prior_quantile_edges("uniform", 1024)
    plateau = theory.pg_exact(3.7 + 2.2 * z, mass)  # U(1.5, 5.9)
    assert theory.mode_report(target.cdf, plateau.cdf, modes)["coverage"] == 0.0
    both = theory.pg_exact(np.where(z < -0.3, 2.0 + 0.5 * (z + 0.65), 4.4 + 0.7 * (z - 0.35)), mass)
    report = theory.mode_report(target.cdf, both.cdf, modes)
    assert report["coverage"] == 1.0 and report["gap_g"] < 0.08


def test_one_mode_covered_of_two_is_half_coverage():
    target = Mixture([0.5, 0.5], [-3, 3], [0.3, 0.3])
    modes = target.modes()
    z, mass = theory.prior_quantile_edges("uniform", 512)
    one = theory.pg_exact(3 + 0.3 * z, mass)
    assert theory.mode_masses(one.cdf, modes) == pytest.approx([0.0, 1.0])
    assert theory.mode_report(target.cdf, one.cdf, modes)["coverage"] == 0.5


def test_far_target_theory_agrees_with_monte_carlo():
    """Off the plot's grid the numbers must still be right: target N(10, 0.1), G untrained near 0."""
    trainer = Trainer(TrainConfig(target_mean=10.0, target_std=0.1, seed=0))
    snap = take_snapshot(trainer)
    gen = torch.Generator().manual_seed(1)
    z = torch.randn(1, 200_000, 1, generator=gen)
    with torch.no_grad():
        fake = trainer.G(z).reshape(-1).numpy().astype(np.float64)
    real = np.random.default_rng(2).normal(10.0, 0.1, 200_000)
    d_real, d_fake = trainer.d_of(real), trainer.d_of(fake)
    v_mc = np.mean(np.log(d_real)) + np.mean(np.log1p(-d_fake))
    dev_mc = 0.5 * (np.abs(d_real - 0.5).mean() + np.abs(d_fake - 0.5).mean())
    assert snap.v == pytest.approx(v_mc, abs=0.02)
    assert snap.d_dev == pytest.approx(dev_mc, abs=0.01)
    assert snap.spread == pytest.approx(fake.std() / 0.1, rel=0.02)  # G's own spread, not the grid's
    assert snap.jsd == pytest.approx(math.log(2), abs=1e-3)
    assert snap.coverage == 0.0


def test_spread_ratio_is_small_for_a_collapsed_generator():
    z, mass = theory.prior_quantile_edges("normal", 1024)
    assert theory.spread_ratio(theory.pg_exact(0.1 * z, mass), 1.0) == pytest.approx(0.1, rel=0.01)
