"""Every preset, run headless with its fixed seed, shows the phenomenon it promises — by its detector and
by the raw metrics — and the detectors do not fire where they should not."""

import numpy as np

from ganviz.core.runner import run_headless
from ganviz.presets import list_presets, load_preset

RESULTS = {}


def run(name):
    if name not in RESULTS:
        preset = load_preset(name)
        RESULTS[name] = run_headless(preset.config, schedule=preset.schedule)
    return RESULTS[name]


def col(result, key, lo=0, hi=None):
    return np.array([r[key] for r in result.history if lo <= r["step"] < (hi or 10**9)])


def test_every_preset_is_listed_with_title_summary_and_explanation():
    names = [p.name for p in list_presets()]
    assert names[:2] == ["figure1", "nash"]
    assert {"mode_collapse", "vanishing_gradients", "oscillation", "helvetica", "weak_discriminator",
            "old_faithful"} <= set(names)
    for p in list_presets():
        assert p.title and p.summary and p.explanation.count(".") >= 2 and p.algorithm


def test_figure1_converges_with_sgd_momentum_and_uniform_z():
    p = load_preset("figure1")
    assert (p.config.noise, p.config.optimizer, p.config.d_steps) == ("uniform", "sgd", 1)
    r = run("figure1")
    jsd = col(r, "jsd")
    assert jsd[0] > 0.3 and r.summary["jsd"] < 0.06  # from far apart to nearly equal
    assert r.summary["d_dev"] < 0.05
    assert "mode_collapse" not in r.summary["diagnosis"]


def test_nash_reaches_equilibrium_and_reports_no_collapse():
    r = run("nash")
    assert r.summary["jsd"] < 0.02 and r.summary["d_dev"] < 0.05
    assert r.summary["diagnosis"] == ["equilibrium"]


def test_mode_collapse_misses_a_mode():
    r = run("mode_collapse")
    s = r.summary
    assert s["mode_coverage"] < 1.0 and min(s["mode_masses"]) < 0.10
    assert "mode_collapse" in s["diagnosis"] and "equilibrium" not in s["diagnosis"]


def test_vanishing_gradients_then_the_non_saturating_loss_rescues_g():
    r = run("vanishing_gradients")
    before, after = col(r, "grad_norm_g", 100, 1500), col(r, "grad_norm_g", 1500)
    assert np.median(before) * 10 <= np.median(after)
    assert np.median(col(r, "jsd", 500, 1500)) > 0.6 and r.summary["jsd"] < 0.15
    history = r.history
    from ganviz.core.diagnose import diagnose
    assert "vanishing_gradients" in diagnose([h for h in history if h["step"] <= 1500])
    assert "vanishing_gradients" not in r.summary["diagnosis"]


def test_oscillation_keeps_jsd_swinging():
    r = run("oscillation")
    late = col(r, "jsd", 1000)
    assert late.max() - late.min() > 0.2 and late.mean() > 0.1
    assert "oscillation" in r.summary["diagnosis"] and "equilibrium" not in r.summary["diagnosis"]


def test_helvetica_collapses_many_z_onto_one_x():
    r = run("helvetica")
    assert r.last.spread < 0.1 and r.summary["jsd"] > 0.3
    assert np.ptp(r.last.gz) < 0.2 * np.ptp(r.last.x)  # the 40 z → x lines meet in a narrow band
    assert r.summary["diagnosis"][0] == "mode_collapse"


def test_weak_discriminator_says_half_while_pg_is_wrong():
    r = run("weak_discriminator")
    assert r.summary["d_dev"] < 0.02 and r.summary["jsd"] > 0.1
    assert "weak_discriminator" in r.summary["diagnosis"] and "equilibrium" not in r.summary["diagnosis"]


def test_old_faithful_covers_both_eruption_modes():
    r = run("old_faithful")
    assert r.summary["mode_coverage"] == 1.0 and min(r.summary["mode_masses"]) > 0.25
    assert r.summary["jsd"] < 0.12
