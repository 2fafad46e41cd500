"""Weight clipping, spectral normalisation and batch normalisation: each does to the networks what its
paper says (checked against torch's own modules where torch has one)."""

import numpy as np
import pytest
import torch
from torch import nn

from ganviz.config import TrainConfig
from ganviz.core.nets import MLP, BatchNorm, forward
from ganviz.core.trainer import Trainer


def _torch_net(shape: MLP, layers, affine) -> nn.Sequential:
    """The same MLP built from torch modules, BatchNorm1d after each hidden layer."""
    mods, d = [], shape.dims()
    for i, (a, b) in enumerate(zip(d, d[1:])):
        lin = nn.Linear(a, b)
        lin.weight.data, lin.bias.data = layers[i][0][0].t().clone(), layers[i][1][0, 0].clone()
        mods.append(lin)
        if i < len(d) - 2:
            bn = nn.BatchNorm1d(b)
            bn.weight.data, bn.bias.data = affine[i][0][0, 0].clone(), affine[i][1][0, 0].clone()
            mods += [bn, nn.ReLU()]
    return nn.Sequential(*mods)


def test_batch_norm_matches_torch_in_train_and_eval_mode():
    torch.manual_seed(0)
    shape = MLP(1, 2, 8, "relu", norm=True)
    flat = torch.randn(1, shape.size)
    layers, affine = shape.views(flat), shape.norm_views(flat)
    ours, ref = BatchNorm(affine), _torch_net(shape, layers, affine)
    for _ in range(3):  # three training batches move the running averages the same way
        x = torch.randn(1, 64, 1) * 2 + 1
        got = forward(x, layers, torch.relu, ours.train(1.0))
        assert torch.allclose(got[0], ref.train()(x[0]), atol=1e-5)
    grid = torch.linspace(-3, 3, 50).reshape(1, -1, 1)
    assert torch.allclose(forward(grid, layers, torch.relu, ours.eval())[0], ref.eval()(grid[0]), atol=1e-5)


@pytest.mark.parametrize("where", ["G", "D", "both"])
def test_batch_norm_trains_and_restarts_from_a_recorded_state(where):
    cfg = TrainConfig(batch_norm=where, batch_size=64, g_width=16, d_width=16, seed=3)
    t = Trainer(cfg)
    t.train(40)
    assert t.stats_finite()
    z = np.linspace(-1, 1, 7)
    again = Trainer(cfg)
    again.load_state(t.state())
    assert np.allclose(again.g_of(z), t.g_of(z)) and np.allclose(again.d_of(z), t.d_of(z))
    # the figure's curves use the running averages: the same x gets the same D(x) whatever else is on the grid
    assert np.allclose(t.d_of(np.array([0.5, 9.0]))[0], t.d_of(np.array([0.5, -9.0]))[0])


def test_weight_clipping_keeps_every_critic_weight_within_c_and_reports_the_pinned_share():
    cfg = TrainConfig(g_loss="wasserstein_clip", clip_c=0.02, optimizer="rmsprop", lr_d=5e-3, batch_size=64,
                      d_steps=5, target_mean=3.0)
    t = Trainer(cfg)
    t.train(30)
    assert float(t.d_params.detach().abs().max()) <= 0.02 + 1e-7
    share = t.pinned_share()
    assert 0.3 < share <= 1.0  # a strong critic runs into the box: many weights sit on its walls
    assert np.isnan(Trainer(TrainConfig()).pinned_share())


def test_spectral_norm_makes_each_layer_1_lipschitz():
    t = Trainer(TrainConfig(spectral_norm=True, d_width=16, batch_size=64, lr_d=5e-2))
    t.train(60)  # the power iteration has had 60 steps to find each W's top singular vector
    for w, _ in t.d_net():
        sigma = torch.linalg.matrix_norm(w[0].detach(), ord=2)
        assert abs(float(sigma) - 1.0) < 0.05
    raw = max(float(torch.linalg.matrix_norm(w[0].detach(), ord=2)) for w, _ in t._d_layers)
    assert raw != pytest.approx(1.0, abs=0.05)  # the raw weights are not normalised: the knob is what does it


def test_rmsprop_and_the_new_knobs_are_sweep_axes():
    from ganviz.config import sweep_keys, sweep_values
    assert {"clip_c", "spectral_norm", "batch_norm"} <= set(sweep_keys())
    assert sweep_values("spectral_norm") == [False, True]
    assert "rmsprop" in sweep_values("optimizer")
