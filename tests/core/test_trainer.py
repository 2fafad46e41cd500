import math

import numpy as np
import pytest
import torch

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.nets import MLP, flatten_module
from ganviz.core.trainer import Trainer


def params(trainer, i=0):
    return torch.cat([trainer.g_params[i], trainer.d_params[i]]).detach().clone()


def test_same_config_and_seed_give_the_same_numbers(fast_cfg):
    a, b = Trainer(fast_cfg), Trainer(fast_cfg)
    a.train(50)
    b.train(50)
    assert torch.equal(params(a), params(b))
    assert a.metrics() == b.metrics()


def test_a_different_seed_gives_different_weights(fast_cfg):
    assert not torch.equal(params(Trainer(fast_cfg)), params(Trainer(fast_cfg.replace(seed=1))))


def test_an_iteration_is_k_d_steps_then_g_steps(fast_cfg):
    t = Trainer(fast_cfg.replace(d_steps=3, g_steps=2))
    t.step()
    t.step()
    assert (t.iteration, t.d_updates, t.g_updates) == (2, 6, 4)


def test_slow_motion_goes_update_by_update_in_algorithm_order(fast_cfg):
    t = Trainer(fast_cfg.replace(d_steps=2, g_steps=1))
    assert [t.update() for _ in range(6)] == ["D", "D", "G", "D", "D", "G"]
    assert t.iteration == 2


def test_one_trainer_step_equals_the_same_nets_trained_with_torch_optim():
    """The flat batched layout is the same network and the same Adam as plain torch (one source of math)."""
    cfg = TrainConfig(batch_size=32, g_width=8, d_width=8)
    t = Trainer(cfg)
    G = MLP(1, 2, 8, "tanh").module()
    D = MLP(1, 2, 8, "leaky_relu").module()
    with torch.no_grad():
        for net, flat in ((G, t.g_params[0]), (D, t.d_params[0])):
            offset = 0
            for layer in net:
                if isinstance(layer, torch.nn.Linear):
                    n = layer.weight.numel()
                    layer.weight.copy_(flat[offset:offset + n].view(layer.in_features, layer.out_features).t())
                    offset += n
                    layer.bias.copy_(flat[offset:offset + layer.out_features])
                    offset += layer.out_features
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2), foreach=True)
    gen = torch.Generator().manual_seed(cfg.seed)
    # the same draws as the trainer's D step: p_data's normal, then z
    x = (torch.randn((1, 32), generator=gen) * cfg.target_std + cfg.target_mean).reshape(32, 1)
    z = torch.randn((1, 32, 1), generator=gen).reshape(32, 1)
    with torch.no_grad():
        fake = G(z)
    loss = torch.nn.functional.softplus(-D(x)).mean() + torch.nn.functional.softplus(D(fake)).mean()
    opt_d.zero_grad()
    loss.backward()
    opt_d.step()
    t.d_step()
    assert torch.allclose(flatten_module(D), t.d_params[0].detach(), atol=1e-6)


def test_members_of_a_batch_follow_their_single_runs(fast_cfg):
    cfgs = [fast_cfg.replace(seed=s, lr_d=lr, d_steps=k, g_loss=loss)
            for s, lr, k, loss in ((0, 2e-3, 1, "non_saturating"), (1, 5e-3, 3, "saturating"),
                                   (2, 1e-3, 2, "least_squares"))]
    batch = Trainer(cfgs)
    batch.train(40)
    for i, c in enumerate(cfgs):
        single = Trainer(c)
        single.train(40)
        assert torch.allclose(params(batch, i), params(single), atol=2e-4), i


def test_set_changes_knobs_without_resetting_weights(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(20)
    before = params(t)
    assert t.set(lr_d=0.05, lr_g=0.01, d_steps=4, g_loss="saturating", beta1=0.3, r1_gamma=1.0) is False
    assert torch.equal(params(t), before)
    assert float(t.opt_d.lr[0]) == pytest.approx(0.05) and float(t.opt_g.beta1[0]) == pytest.approx(0.3)
    t.step()
    assert t.d_updates == 20 + 4


def test_switching_the_optimizer_keeps_the_weights(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(5)
    before = params(t)
    t.set(optimizer="sgd", momentum=0.5)
    assert t.opt_d.kind == "sgd" and torch.equal(params(t), before)


def test_architecture_change_resets_the_nets(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(5)
    assert t.set(g_width=8) is True
    assert t.iteration == 0 and t.g_shape.width == 8


def test_a_refused_target_change_changes_nothing(fast_cfg, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("v\n1\nx\n")
    t = Trainer(fast_cfg)
    with pytest.raises(ConfigError):
        t.set(target="empirical", data_path=str(bad), data_column="v")
    assert t.cfg.target == "gaussian" and t.target.name == "gaussian"


def test_restarting_from_a_recorded_state_continues_identically(fast_cfg):
    a = Trainer(fast_cfg)
    a.train(30)
    state = a.state()
    a.train(20)
    b = Trainer(fast_cfg)
    b.load_state(state)
    b.train(20)
    assert torch.equal(params(a), params(b)) and b.iteration == 50


@pytest.mark.parametrize("knob", [{"instance_noise": 0.3, "instance_noise_anneal": 100}, {"label_smoothing": 0.2},
                                  {"r1_gamma": 2.0}, {"unrolled_steps": 3}, {"minibatch_std": True},
                                  {"g_loss": "wasserstein_gp", "gp_weight": 1.0}])
def test_every_stabiliser_trains_and_stays_finite(fast_cfg, knob):
    t = Trainer(fast_cfg.replace(**knob))
    t.train(30)
    m = t.metrics()
    assert all(math.isfinite(v) for v in m.values())
    assert np.all(np.isfinite(t.d_of(np.linspace(-2, 4, 9))))


def test_divergence_is_reported_with_the_step(fast_cfg):
    from ganviz.core.trainer import DivergedError
    t = Trainer(fast_cfg.replace(optimizer="sgd", lr_d=10.0, lr_g=10.0, momentum=0.99))
    with pytest.raises(DivergedError, match="diverged at step"):
        for _ in range(200):
            t.train(10)
            t.metrics()
