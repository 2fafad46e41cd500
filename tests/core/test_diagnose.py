"""The badge's state model on synthetic records: every state fires on its own evidence and not on the others',
and the cases that fooled the second release's badge get the right headline."""

import math

import numpy as np
import pytest

from ganviz.core.diagnose import Badge, diagnose, headline, judge, timeline

N = 40


def history(n=N, start=1, **columns):
    """n records every 50 steps (from step 50·start); a column is a constant or a sequence of n values."""
    base = {"jsd": 0.005, "d_dev": 0.01, "coverage": 1.0, "spread": 1.0, "mode_low": 1.0, "stray": 0.0,
            "d_real": 0.5, "d_fake": 0.5, "sat_ratio": 1.0, "n_modes": 1, "g_loss": "non_saturating",
            "grad_norm_d": 0.05, "grad_norm_g": 0.1}
    rows = []
    for i in range(n):
        step = 50 * (i + start)
        row = {"step": step, "g_updates": step}
        for key, value in {**base, **columns}.items():
            row[key] = value[i] if isinstance(value, (list, np.ndarray)) else value
        rows.append(row)
    return rows


def now(rows):
    """The headline for these records without hysteresis."""
    return headline(diagnose(rows), rows)


t = np.arange(N)
PATTERNS = {
    "equilibrium": history(),
    "mode_collapse": history(jsd=0.3, d_dev=0.2, mode_low=0.02, coverage=0.5, n_modes=2, d_real=0.6, d_fake=0.35),
    "mode_collapse_one_mode": history(jsd=0.35, d_dev=0.15, spread=0.05),
    "too_wide": history(jsd=0.25, d_dev=0.1, stray=0.35, mode_low=0.6, coverage=0.0, n_modes=2),
    "oscillation": history(jsd=0.12 + 0.1 * np.sin(t * 1.3), d_dev=0.1, spread=0.9),
    "vanishing_gradients": history(g_loss="saturating", sat_ratio=0.002, jsd=0.6, d_dev=0.45, d_real=0.97,
                                   d_fake=0.02, grad_norm_g=1e-5),
    "weak_discriminator": history(jsd=0.2, d_dev=0.005, spread=2.0),
    "broken_game": history(jsd=0.6, d_dev=0.3, d_real=0.2, d_fake=0.85),
    "broken_game_rising": history(jsd=np.linspace(0.05, 0.6, N), d_dev=0.2),
    "exploding": history(jsd=math.log(2), d_dev=0.5, spread=0.0, d_real=1.0, d_fake=0.0, grad_norm_g=3e7,
                         grad_norm_d=200.0),
}


@pytest.mark.parametrize("name", list(PATTERNS))
def test_each_state_gets_its_own_headline(name):
    rows = PATTERNS[name]
    expected = name.replace("_one_mode", "").replace("_rising", "")
    assert now(rows) == expected
    assert judge(rows)[0] == expected  # and the badge, having seen every record, shows it too


def test_oscillation_outranks_d_fooled_when_jsd_swings_hard():
    """Seeds 35–37 of the oscillation preset: D's mean stays within 0.02 of ½, but p_g swings from a spike
    to twice p_data's width and JSD between 0.09 and 0.44: that is a cycle, not a fooled D."""
    rows = history(jsd=0.265 + 0.175 * np.sin(t * 0.9), d_dev=0.012, spread=np.exp(1.3 * np.sin(t * 0.9)))
    assert now(rows) == "oscillation"


def test_a_far_target_whose_jsd_swings_is_oscillating_not_fooled():
    rows = history(jsd=0.45 + 0.24 * np.sign(np.sin(t * 0.8)), d_dev=0.008, spread=0.8)
    assert now(rows) == "oscillation"


def test_swings_of_ps_width_alone_are_an_oscillation():
    rows = history(jsd=0.15 + 0.01 * np.sin(t), d_dev=0.05, spread=np.exp(0.8 * np.sin(t * 1.1)))
    assert now(rows) == "oscillation"


def test_one_outlying_record_does_not_make_an_oscillation():
    """rescue_vanishing_smoothing on seed 31: one record at JSD 0.20 among 0.075–0.09."""
    jsd = 0.09 - 0.015 * t / N
    jsd[30] = 0.20
    rows = history(jsd=jsd, d_dev=0.03)
    assert now(rows) == "converging"
    assert judge(rows)[0] == "converging"


def test_an_untrained_narrow_g_is_not_a_collapse():
    """An untrained G is narrow (spread 0.02–0.21): the first records must not say mode collapse."""
    rows = history(n=12, jsd=0.4, d_dev=0.2, spread=np.linspace(0.03, 0.2, 12))
    for i in range(1, len(rows) + 1):
        assert now(rows[:i]) != "mode_collapse", i
    assert "mode_collapse" not in [h for _, h in timeline(rows)]


def test_a_narrow_g_that_keeps_widening_is_not_stuck():
    rows = history(jsd=np.linspace(0.5, 0.2, N), d_dev=0.2, spread=np.geomspace(0.04, 0.24, N))
    assert now(rows) != "mode_collapse"


def test_the_warm_up_counts_g_updates_not_iterations():
    """20 G steps per iteration (the Helvetica preset) warm G up in 25 iterations."""
    rows = history(n=9, jsd=0.6, d_dev=0.01, spread=0.02)
    for r in rows:
        r["g_updates"] = 20 * r["step"]
    assert now(rows) == "mode_collapse"


def test_a_p_g_too_wide_for_a_bimodal_target_is_not_a_collapse():
    """The minibatch-std rescue at steps 100–1000: 24–41 % of p_g in the gap between the modes and 20–36 %
    beyond them; no mode is missing, so coverage's plateau test fails but this is no collapse."""
    rows = history(jsd=0.3, d_dev=0.15, stray=np.linspace(0.6, 0.4, N), mode_low=0.45, coverage=0.0, n_modes=2)
    assert now(rows) == "too_wide"


def test_a_missing_mode_that_is_being_found_is_not_a_collapse():
    rows = history(jsd=np.linspace(0.4, 0.3, N), d_dev=0.2, mode_low=np.linspace(0.0, 0.3, N), n_modes=2)
    assert now(rows) != "mode_collapse"


def test_a_blown_up_run_says_the_learning_rate_not_collapse():
    """Adam with lr_D = lr_G = 1: every z on one point wandering far away, D separating perfectly, |∇G| ≈ 3e7."""
    rows = history(jsd=math.log(2), d_dev=0.5, spread=0.0, stray=0.98, d_real=0.99, d_fake=0.0,
                   grad_norm_g=np.geomspace(3e5, 3e7, N), grad_norm_d=150.0, offset=np.linspace(-16, 21, N))
    assert now(rows) == "exploding"
    assert judge(rows[:3])[0] == "exploding"  # it may speak during the warm-up


def test_ready_only_before_the_first_record_then_warming_up():
    assert judge([{"step": 0, "jsd": 0.6}])[0] == "ready"
    assert headline([], []) == "ready"
    rows = history(n=5, jsd=0.4, d_dev=0.3, mode_low=0.0, n_modes=2)
    for i in range(1, 6):
        assert now(rows[:i]) == "warming_up"


def test_a_scripted_rescue_is_judged_against_what_it_rescues_towards():
    """The vanishing preset switches to the non-saturating loss: G then widens from a narrow start onto a
    one-mode target. The badge must follow the rescue (converging, then Nash), never call it collapse."""
    before = history(n=16, g_loss="saturating", sat_ratio=0.002, jsd=0.69, d_dev=0.48, spread=0.15,
                     d_real=0.98, d_fake=0.01, grad_norm_g=1e-5)
    after = history(n=34, start=17, jsd=np.concatenate([np.linspace(0.6, 0.02, 20), np.full(14, 0.005)]),
                    d_dev=np.concatenate([np.linspace(0.4, 0.03, 20), np.full(14, 0.01)]),
                    spread=np.concatenate([np.linspace(0.15, 1.0, 20), np.full(14, 1.0)]))
    rows = before + after
    assert judge(before)[0] == "vanishing_gradients"
    seen = [h for _, h in timeline(rows)]
    assert "mode_collapse" not in seen, seen
    assert seen[-1] == "equilibrium", seen


def test_the_badge_needs_three_records_in_a_row_to_change_its_mind():
    rows = history(n=20)
    badge = Badge()
    for i in range(1, len(rows) + 1):
        badge.update(rows[:i])
    assert badge.shown == "equilibrium"
    rows.append(dict(rows[-1], step=rows[-1]["step"] + 50, jsd=0.3, d_dev=0.2))
    assert badge.update(rows) == "equilibrium"  # one bad record: not yet


def test_nash_is_kept_while_jsd_hovers_just_above_the_entry_threshold():
    """Old Faithful said Nash at 4899 and 'training' at 7509 while JSD hovered around 0.02."""
    rows = history(n=60, jsd=np.concatenate([np.full(30, 0.012), 0.024 + 0.004 * np.sin(np.arange(30))]),
                   d_dev=0.03)
    assert judge(rows)[0] == "equilibrium"


def test_vanishing_needs_the_saturating_loss():
    rows = history(sat_ratio=0.002, jsd=0.6, d_dev=0.45, d_real=0.97, d_fake=0.02)  # non-saturating in use
    assert "vanishing_gradients" not in diagnose(rows)


def test_vanishing_is_judged_from_ds_confidence_not_the_gradients_size():
    """A large net with a large absolute ‖∇θg‖ still has vanishing gradients when D(G(z)) ≈ 0."""
    rows = history(g_loss="saturating", sat_ratio=1e-4, jsd=0.6, d_dev=0.45, grad_norm_g=5e-3)
    assert now(rows) == "vanishing_gradients"


def test_a_diverged_record_is_diverged_at_once():
    rows = PATTERNS["equilibrium"] + [{"step": 99999, "jsd": math.nan}]
    assert judge(rows)[0] == "diverged"


def test_a_knob_turned_live_shows_in_the_badge_within_a_few_records():
    """After lr_G jumps, the equilibrium badge must give way (the first release kept it at JSD 0.47)."""
    rows = history(n=120)
    rows += history(n=8, start=121, jsd=0.47, d_dev=0.2)
    assert judge(rows)[0] != "equilibrium"


def test_a_runaway_f_gan_is_exploding_whatever_its_d_reads():
    """ring_hopping switched live to the f-GAN KL: gradients 1e9, G's samples off the plane, JSD log 2 — but
    the critic's implied D is not 0 / 1. The badge said 'mode collapse' for the rest of the run."""
    rows = history(jsd=math.log(2), d_dev=0.3, spread=0.0, stray=0.98, d_real=0.6, d_fake=0.4,
                   grad_norm_g=np.geomspace(1e6, 1e9, N), grad_norm_d=5e8)
    assert now(rows) == "exploding"
    healthy = history(jsd=math.log(2), d_dev=0.3, spread=0.0, d_real=0.6, d_fake=0.4, grad_norm_g=7.0)
    assert now(healthy) != "exploding"  # a healthy f-GAN's norms stay below 10 (measured max 7.7)
