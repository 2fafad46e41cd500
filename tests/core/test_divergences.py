"""Divergences and distances, exact on the cells, against independent computations; and the f-GAN critics,
which after D-only training must reach their optimum T* = f′(p_data / p_g)."""

import math

import numpy as np
import pytest
import torch
from scipy import stats

from ganviz import losses
from ganviz.config import TrainConfig
from ganviz.core import theory
from ganviz.core.measure import take_snapshot
from ganviz.core.trainer import Trainer


def gaussian_cells(m1, s1, m2, s2, n=4000):
    edges = np.linspace(min(m1 - 9 * s1, m2 - 9 * s2), max(m1 + 9 * s1, m2 + 9 * s2), n + 1)
    return theory.cells(edges, lambda x: stats.norm.cdf(x, m1, s1), lambda x: stats.norm.cdf(x, m2, s2))


def test_divergences_of_two_gaussians_match_their_closed_forms():
    m1, s1, m2, s2 = 0.0, 1.0, 0.7, 1.4
    d = theory.divergences(gaussian_cells(m1, s1, m2, s2))
    kl = math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5
    rkl = math.log(s1 / s2) + (s2 ** 2 + (m1 - m2) ** 2) / (2 * s1 ** 2) - 0.5
    bc = math.sqrt(2 * s1 * s2 / (s1 ** 2 + s2 ** 2)) * math.exp(-(m1 - m2) ** 2 / (4 * (s1 ** 2 + s2 ** 2)))
    assert d["kl"] == pytest.approx(kl, rel=1e-3) and d["rkl"] == pytest.approx(rkl, rel=1e-3)
    assert d["hellinger"] == pytest.approx(2 * (1 - bc), rel=1e-3)  # Σ(√P − √Q)² = 2(1 − Bhattacharyya)
    x = np.linspace(-12, 12, 200_001)
    p, q = stats.norm.pdf(x, m1, s1), stats.norm.pdf(x, m2, s2)
    assert d["tv"] == pytest.approx(0.5 * np.trapezoid(np.abs(p - q), x), rel=1e-3)
    assert d["chi2"] == pytest.approx(np.trapezoid((p - q) ** 2 / q, x), rel=1e-3)


def test_w1_matches_scipy_on_samples():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 400_000), rng.normal(1.5, 0.5, 400_000)
    d = theory.divergences(gaussian_cells(0, 1, 1.5, 0.5))
    assert d["w1"] == pytest.approx(stats.wasserstein_distance(a, b), abs=0.01)


def test_disjoint_supports_jsd_is_stuck_while_w1_follows_the_distance():
    """The lesson of disjoint supports: JSD = log 2 whatever the gap, W1 shrinks as p_g comes closer."""
    far, near = gaussian_cells(0, 0.1, 6, 0.1), gaussian_cells(0, 0.1, 3, 0.1)
    jf, jn = theory.divergences(far)["jsd"], theory.divergences(near)["jsd"]
    assert jf == pytest.approx(math.log(2), abs=1e-6) and jn == pytest.approx(math.log(2), abs=1e-6)
    assert theory.divergences(far)["w1"] == pytest.approx(6, rel=1e-3)
    assert theory.divergences(near)["w1"] == pytest.approx(3, rel=1e-3)


def test_an_infinite_divergence_is_infinite_not_clipped():
    edges = np.linspace(-3, 3, 601)
    c = theory.cells(edges, lambda x: stats.norm.cdf(x), lambda x: stats.uniform.cdf(x, -1, 2))
    d = theory.divergences(c)
    assert math.isinf(d["kl"]) and math.isinf(d["chi2"])  # p_data has mass where p_g has none
    assert math.isfinite(d["rkl"]) and d["rkl"] > 0


def test_the_records_carry_every_distance(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(20)
    row = take_snapshot(t).record()
    for key in ("kl", "rkl", "chi2", "hellinger", "tv", "w1"):
        assert key in row


@pytest.mark.parametrize("name", ["kl", "reverse_kl", "pearson", "hellinger", "non_saturating"])
def test_each_critic_trained_alone_reaches_its_optimum(name):
    """D-only training on a fixed p_g: the critic T = g_f(v) approaches T* = f′(p_data/p_g) where both
    densities are resolvable (for the GAN objective, D approaches D*)."""
    torch.manual_seed(0)
    cfg = TrainConfig(target_mean=0.0, target_std=1.0, noise="normal", batch_size=512, d_width=64, lr_d=5e-3,
                      lr_g=1e-3, seed=1, g_activation="elu")
    t = Trainer(cfg)
    t.train(300)  # a p_g near p_data (the critic needs a finite ratio to estimate)
    t.set(g_loss=name)
    for _ in range(2500):
        t.d_step()
    snap = take_snapshot(t)
    keep = np.isfinite(snap.d_star) & (snap.p_data > 0.05) & (snap.p_g > 0.05)
    spec = losses.get(name)
    v = t.logit_of(snap.x[keep])
    ratio = snap.p_data[keep] / snap.p_g[keep]
    if spec.critic is not None:
        got, want = spec.critic(v, losses.NUMPY), spec.optimal(ratio)
    else:
        got, want = spec.d_value(v), ratio / (1 + ratio)
    scale = max(1.0, float(np.abs(want).max()))
    assert float(np.median(np.abs(got - want))) < 0.1 * scale, (name, np.abs(got - want).max())
    assert float(np.abs(snap.d[keep] - snap.d_star[keep]).mean()) < 0.08  # the figure's D meets D*

