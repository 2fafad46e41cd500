"""The Dirac-GAN (Mescheder et al. 2018): simultaneous steps spiral out, alternating ones circle, and R1 or
instance noise make them converge — with the app's own knobs."""

import numpy as np
import pytest

from ganviz.config import TrainConfig
from ganviz.core import dirac

MINIMAX = dirac.Settings(0.1, 0.1, g_loss="saturating")


def test_the_equilibrium_is_a_fixed_point_of_every_loss():
    for loss in ("saturating", "non_saturating", "least_squares", "wasserstein_gp"):
        dt, dp = dirac.field(0.0, 0.0, dirac.Settings(g_loss=loss))
        assert abs(float(dt)) < 1e-12 and abs(float(dp)) < 1e-12


def test_simultaneous_steps_spiral_out_and_alternating_steps_circle():
    assert dirac.distance(dirac.trajectory(MINIMAX, "simultaneous", steps=2000)) > 1.5
    assert 0.8 < dirac.distance(dirac.trajectory(MINIMAX, "alternating", steps=2000)) < 1.2


@pytest.mark.parametrize("damping", [{"r1_gamma": 1.0}, {"instance_noise": 0.7}])
def test_r1_and_instance_noise_damp_the_rotation(damping):
    s = dirac.Settings(**{**MINIMAX.__dict__, **damping})
    assert dirac.distance(dirac.trajectory(s, "simultaneous", steps=2000)) < 0.05


def test_the_panel_is_driven_by_the_runs_knobs():
    s = dirac.Settings.from_config(TrainConfig(optimizer="sgd", momentum=0.9, lr_d=0.02, lr_g=0.01, d_steps=3,
                                               r1_gamma=2.0))
    assert (s.lr_d, s.lr_g, s.d_steps, s.r1_gamma, s.momentum) == (0.02, 0.01, 3, 2.0, 0.9)
    scaled = dirac.scaled(s)
    assert scaled.lr_d / scaled.lr_g == pytest.approx(2.0) and max(scaled.lr_d, scaled.lr_g) == dirac.STEP


def test_heavy_momentum_makes_even_alternating_steps_diverge():
    s = dirac.Settings(0.05, 0.05, g_loss="saturating", momentum=0.9)
    assert dirac.distance(dirac.trajectory(s, "alternating", steps=1500)) > 1.5
    assert np.isfinite(dirac.trajectory(s, "simultaneous", steps=1500)).all()
