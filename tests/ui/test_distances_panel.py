"""The distances panel as a learner sees it: every distance drawn on a log scale, the one the objective
minimises bold, an infinite divergence named as such and never clipped to the top of the axis."""

import math

import numpy as np

from ganviz.config import TrainConfig
from ganviz.engine.recording import Recording
from ganviz.ui.panels.distances import DistancesPanel


def test_the_distances_panel_draws_every_distance_bolds_the_objective_and_shows_infinity(qtbot):
    panel = DistancesPanel()
    qtbot.addWidget(panel)
    rec = Recording(TrainConfig())
    rec.add_records([{"step": s, "jsd": 0.5 / s, "kl": 1.0 / s if s < 300 else math.inf, "rkl": 0.3, "chi2": 2.0,
                      "hellinger": 0.1, "tv": 0.2, "w1": 3.0 / s} for s in (50, 100, 200, 300)])
    panel.set_recording(rec)
    panel.set_config(TrainConfig(g_loss="kl"))
    panel.records_changed(force=True)
    kl = panel.curves["kl"].getData()[1]
    assert np.allclose(kl[:3], np.log10([1 / 50, 1 / 100, 1 / 200])) and np.isnan(kl[3])  # ∞ is not clipped
    assert "KL(p_data‖p_g) = ∞" in panel.readout.text
    top = panel.infinite["kl"].getData()[1]  # … and the objective stays visible: a dotted run along the top edge
    assert np.isnan(top[:3]).all() and top[3] >= panel.plot.viewRange()[1][1] - 0.1
    assert panel.infinity_mark.isVisible()
    widths = {k: c.opts["pen"].widthF() for k, c in panel.curves.items()}
    assert widths["kl"] > 2 * widths["jsd"]  # the objective being minimised stands out
    panel.set_config(TrainConfig(g_loss="wasserstein_clip"))
    assert panel.curves["w1"].opts["pen"].widthF() > 2 * panel.curves["kl"].opts["pen"].widthF()


def test_in_the_plane_the_panel_lists_what_is_measured_and_says_so(qtbot):
    """A plane run records an estimated JSD and sliced W1 only: the legend lists those two, not five empty
    entries, and the readout says why."""
    panel = DistancesPanel()
    qtbot.addWidget(panel)
    rec = Recording(TrainConfig(target="ring", noise_dim=2))
    rec.add_records([{"step": s, "jsd": 0.4 / s, "sw1": 2.0 / s, "dim": 2} for s in (50, 100, 200)])
    panel.set_recording(rec)
    panel.set_config(TrainConfig(target="ring", noise_dim=2, g_loss="wasserstein_gp"))
    panel.records_changed(force=True)
    listed = [label.text for _, label in panel.legend.items]
    assert listed == ["JSD", "sliced W1"]
    assert np.isfinite(panel.curves["sw1"].getData()[1]).all()
    assert "in the plane" in panel.readout.text and "sliced W1" in panel.readout.text
    assert panel.curves["sw1"].opts["pen"].widthF() > 2 * panel.curves["jsd"].opts["pen"].widthF()
