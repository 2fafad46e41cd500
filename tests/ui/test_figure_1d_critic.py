"""A Wasserstein critic has no 0…1 scale: σ of a clipped critic is a flat ½ (a learner saw D(x) as a straight
line under WGAN). The figure draws the critic's shape instead, and says so in the legend."""

import numpy as np

from ganviz.config import TrainConfig
from ganviz.core.measure import take_snapshot
from ganviz.core.trainer import Trainer
from ganviz.draw.figures.figure_1d import drawn_d
from ganviz.draw.style import Style
from ganviz.ui.figure_view import FigureView


def test_a_clipped_critic_is_drawn_as_its_shape_and_named_so(qapp):
    trainer = Trainer(TrainConfig(g_loss="wasserstein_clip", optimizer="rmsprop", clip_c=0.003, batch_size=64,
                                  g_width=16, d_width=16, d_steps=5))
    trainer.train(100)
    snap = take_snapshot(trainer)
    assert np.ptp(snap.d) < 0.01  # σ(C): flat at ½ to the eye
    d, label = drawn_d(snap)
    assert "critic" in label and d.min() == 0.0 and d.max() == 1.0
    view = FigureView(Style())
    view.resize(900, 600)
    view.show_snapshot(snap)
    panel = view.panel
    assert np.allclose(panel.d_curve.getData()[1], d)
    assert "critic" in [item.text for _, item in panel.legend.items][2]


def test_a_discriminator_is_drawn_as_it_is(qapp):
    trainer = Trainer(TrainConfig(batch_size=64, g_width=16, d_width=16))
    trainer.train(50)
    snap = take_snapshot(trainer)
    d, label = drawn_d(snap)
    assert label == "D(x)" and d is snap.d
