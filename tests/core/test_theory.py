import math

import numpy as np
import pytest

from ganviz.core import theory
from ganviz.core.targets import Gaussian


def gauss(x, m, s):
    return np.exp(-0.5 * ((x - m) / s) ** 2) / (s * math.sqrt(2 * math.pi))


X = np.linspace(-12, 12, 4001)
DX = X[1] - X[0]


def test_optimal_discriminator_is_half_where_distributions_match():
    p = gauss(X, 0, 1)
    d = theory.d_star(p, p.copy())
    mask = p > 1e-8
    assert np.allclose(d[mask], 0.5)


def test_optimal_discriminator_prefers_data_where_data_is_denser():
    p, q = gauss(X, 0, 1), gauss(X, 2, 1)
    d = theory.d_star(p, q)
    assert d[np.argmin(abs(X + 2))] > 0.9 and d[np.argmin(abs(X - 4))] < 0.1
    assert d[np.argmin(abs(X - 1))] == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("shift,scale", [(0.0, 1.0), (1.0, 0.5), (3.0, 2.0), (8.0, 1.0)])
def test_value_at_optimal_d_equals_c_of_g(shift, scale):
    p, q = gauss(X, 0, 1), gauss(X, shift, scale)
    P, Q = theory.probabilities(p, q, DX)
    d = np.nan_to_num(theory.d_star(np.append(p, 0), np.append(q, 0)), nan=0.5)
    v = theory.value_fn(P, Q, d)
    c = theory.c_of_g(theory.jsd_from_probs(P, Q))
    assert v == pytest.approx(c, abs=1e-3)
    assert c >= -math.log(4) - 1e-9  # the global minimum of C(G) is −log 4


def test_any_other_discriminator_scores_lower_than_optimal():
    p, q = gauss(X, 0, 1), gauss(X, 1.5, 1)
    P, Q = theory.probabilities(p, q, DX)
    best = theory.value_fn(P, Q, np.nan_to_num(theory.d_star(np.append(p, 0), np.append(q, 0)), nan=0.5))
    assert theory.value_fn(P, Q, np.full_like(P, 0.5)) < best
    assert theory.value_fn(P, Q, np.full_like(P, 0.5)) == pytest.approx(-math.log(4))


def test_jsd_of_identical_gaussians_is_zero():
    p = gauss(X, 0.3, 0.7)
    assert theory.jsd(p, p.copy(), DX) < 1e-4


def test_jsd_of_far_apart_gaussians_approaches_log2():
    assert theory.jsd(gauss(X, -6, 0.5), gauss(X, 6, 0.5), DX) == pytest.approx(math.log(2), abs=1e-4)
    near = theory.jsd(gauss(X, 0, 1), gauss(X, 1, 1), DX)
    assert 0.05 < near < math.log(2) - 0.3


def test_mass_outside_the_grid_counts_as_disjoint():
    p = gauss(X, 0, 1)
    half_inside = theory.jsd(p, 0.5 * p, DX, q_outside=0.5)
    # M = ¾P inside, ¼ outside: JSD = ½[log(4/3)] + ½[½ log(2/3) + ½ log 2]
    expected = 0.5 * math.log(4 / 3) + 0.25 * math.log(2 / 3) + 0.25 * math.log(2)
    assert half_inside == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("a,b", [(0.5, 1.0), (2.0, -1.0), (-0.8, 0.3)])
def test_exact_pg_of_affine_generator_uniform_z(a, b):
    z, mass = theory.prior_quantile_edges("uniform", 1024)
    edges = np.linspace(-5, 5, 801)
    pg = theory.pg_exact(z, a * z + b, mass, edges)
    centres = 0.5 * (edges[1:] + edges[:-1])
    dx = edges[1] - edges[0]
    assert pg.density.sum() * dx == pytest.approx(1.0, abs=1e-9)
    lo, hi = b - abs(a), b + abs(a)
    inner = (centres > lo + dx) & (centres < hi - dx)
    outer = (centres < lo - dx) | (centres > hi + dx)
    assert np.allclose(pg.density[inner], 1 / (2 * abs(a)), rtol=1e-6)  # U(b − |a|, b + |a|)
    assert np.all(pg.density[outer] < 1e-9)


def test_exact_pg_of_affine_generator_normal_z():
    a, b = 0.7, 1.2
    z, mass = theory.prior_quantile_edges("normal", 4096)
    edges = np.linspace(-4, 6, 1001)
    pg = theory.pg_exact(z, a * z + b, mass, edges)
    centres = 0.5 * (edges[1:] + edges[:-1])
    assert pg.density.sum() * (edges[1] - edges[0]) == pytest.approx(1.0, abs=1e-3)
    assert np.max(np.abs(pg.density - gauss(centres, b, a))) < 0.01 * gauss(b, b, a)  # N(b, a²)


def test_exact_pg_adds_both_branches_of_a_fold():
    z, mass = theory.prior_quantile_edges("uniform", 4096)
    edges = np.linspace(-0.5, 1.5, 2001)
    pg = theory.pg_exact(z, z**2, mass, edges)  # G(z) = z² folds [−1, 1] onto [0, 1]
    c = 0.5 * (edges[1:] + edges[:-1])
    sel = (c > 0.1) & (c < 0.95)
    assert np.allclose(pg.density[sel], 1 / (2 * np.sqrt(c[sel])), rtol=0.01)  # 2 · ½ · 1/(2√x)


def test_collapsed_generator_puts_all_mass_in_one_cell():
    z, mass = theory.prior_quantile_edges("uniform", 512)
    edges = np.linspace(-3, 3, 301)
    pg = theory.pg_exact(z, np.full_like(z, 0.42), mass, edges)
    dx = edges[1] - edges[0]
    assert np.count_nonzero(pg.density) == 1
    assert pg.density.max() * dx == pytest.approx(1.0)


def test_kde_pg_of_normal_samples_is_close_to_the_density():
    rng = np.random.default_rng(0)
    edges = np.linspace(-5, 5, 401)
    pg = theory.pg_kde(rng.normal(0, 1, 20000), edges)
    c = 0.5 * (edges[1:] + edges[:-1])
    assert "KDE" in pg.method
    assert np.max(np.abs(pg.density - gauss(c, 0, 1))) < 0.02


def test_mode_coverage_counts_modes_with_enough_mass():
    from ganviz.core.targets import Mixture
    target = Mixture([0.5, 0.5], [-3, 3], [0.3, 0.3])
    modes = target.modes()
    z, mass = theory.prior_quantile_edges("uniform", 512)
    one_mode = theory.pg_exact(z, 3 + 0.3 * z, mass, np.linspace(-5, 5, 401))
    masses = theory.mode_masses(one_mode.cdf, modes)
    assert masses == pytest.approx([0.0, 1.0])
    assert theory.coverage(masses, modes) == 0.5
    both = theory.pg_exact(z, 3 * np.sign(z) + 0.3 * z, mass, np.linspace(-5, 5, 401))
    assert theory.coverage(theory.mode_masses(both.cdf, modes), modes) == 1.0


def test_spread_ratio_is_small_for_a_collapsed_generator():
    p = Gaussian(0, 1).pdf(X)
    assert theory.spread_ratio(X, p, p) == pytest.approx(1.0)
    assert theory.spread_ratio(X, p, gauss(X, 0, 0.1)) == pytest.approx(0.1, rel=0.01)
