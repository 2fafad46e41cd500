"""Every detector fires on its own pattern and not on the others' (synthetic histories, 40 records)."""

import math

import numpy as np
import pytest

from ganviz.core.diagnose import diagnose, headline

N = 40


def history(**columns):
    base = {"jsd": 0.005, "d_dev": 0.01, "coverage": 1.0, "spread": 1.0, "d_real": 0.5, "d_fake": 0.5,
            "sat_ratio": 1.0, "n_modes": 1, "g_loss": "non_saturating"}
    rows = []
    for i in range(N):
        row = {"step": 50 * (i + 1)}
        for key, value in {**base, **columns}.items():
            row[key] = value[i] if isinstance(value, (list, np.ndarray)) else value
        rows.append(row)
    return rows


t = np.arange(N)
PATTERNS = {
    "equilibrium": history(),
    "mode_collapse": history(jsd=0.3, d_dev=0.2, coverage=0.5, n_modes=2, d_real=0.6, d_fake=0.35),
    "mode_collapse_one_mode": history(jsd=0.35, d_dev=0.15, spread=0.05),
    "oscillation": history(jsd=0.12 + 0.1 * np.sin(t * 1.3), d_dev=0.1, spread=0.9),
    "vanishing_gradients": history(g_loss="saturating", sat_ratio=0.002, jsd=0.6, d_dev=0.45, d_real=0.97,
                                   d_fake=0.02),
    "weak_discriminator": history(jsd=0.2, d_dev=0.005, spread=2.0),
    "broken_game": history(jsd=0.6, d_dev=0.3, d_real=0.2, d_fake=0.85),
    "broken_game_rising": history(jsd=np.linspace(0.05, 0.6, N), d_dev=0.2),
}


@pytest.mark.parametrize("name", list(PATTERNS))
def test_each_pattern_gets_its_own_headline(name):
    rows = PATTERNS[name]
    expected = name.replace("_one_mode", "").replace("_rising", "")
    assert headline(diagnose(rows), rows) == expected


def test_oscillation_with_a_passing_squeeze_is_not_mode_collapse():
    """A G that swings through a narrow state now and then is oscillating, not collapsed."""
    spread = np.where(t % 4 == 0, 0.1, 1.0)
    rows = history(jsd=0.12 + 0.1 * np.sin(t * 1.3), d_dev=0.1, spread=spread)
    assert headline(diagnose(rows), rows) == "oscillation"


def test_a_weak_d_with_a_wobbling_jsd_is_still_a_weak_d():
    rows = history(jsd=0.2 + 0.05 * np.sin(t * 1.3), d_dev=0.005, spread=2.0)
    assert headline(diagnose(rows), rows) == "weak_discriminator"


def test_vanishing_needs_the_saturating_loss():
    rows = history(sat_ratio=0.002, jsd=0.6, d_dev=0.45, d_real=0.97, d_fake=0.02)  # non-saturating in use
    assert "vanishing_gradients" not in diagnose(rows)


def test_vanishing_is_judged_from_ds_confidence_not_the_gradients_size():
    """A large net with a large absolute ‖∇θg‖ still has vanishing gradients when D(G(z)) ≈ 0."""
    rows = history(g_loss="saturating", sat_ratio=1e-4, jsd=0.6, d_dev=0.45, grad_norm_g=5e-3)
    assert headline(diagnose(rows), rows) == "vanishing_gradients"


def test_step_zero_says_ready_not_a_phenomenon():
    rows = [dict(PATTERNS["mode_collapse"][0], step=0)]
    assert headline(diagnose(rows), rows) == "ready"
    assert headline([], []) == "ready"


def test_a_diverged_record_is_diverged():
    rows = PATTERNS["equilibrium"] + [{"step": 99999, "jsd": math.nan}]
    assert headline(diagnose(rows), rows) == "diverged"


def test_a_knob_turned_live_shows_in_the_badge_within_a_few_records():
    """After lr_G jumps, the equilibrium badge must give way (the first release kept it at JSD 0.47)."""
    rows = history() * 3
    for i, r in enumerate(rows):
        r["step"] = 50 * (i + 1)
    rows += history(jsd=0.47, d_dev=0.2)[:8]
    for i, r in enumerate(rows):
        r["step"] = 50 * (i + 1)
    assert headline(diagnose(rows), rows) != "equilibrium"
