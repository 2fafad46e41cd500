import pytest
import torch

from ganviz.config import TrainConfig
from ganviz.core.runner import run_headless
from ganviz.core.snapshot import take_snapshot
from ganviz.core.trainer import DivergedError, Trainer


def params(trainer):
    return torch.cat([p.detach().flatten() for p in list(trainer.G.parameters()) + list(trainer.D.parameters())])


def test_same_config_and_seed_give_the_same_numbers(fast_cfg):
    a, b = Trainer(fast_cfg), Trainer(fast_cfg)
    a.train(50)
    b.train(50)
    assert torch.equal(params(a), params(b))
    assert a.metrics() == b.metrics()


def test_a_different_seed_gives_different_weights(fast_cfg):
    a, b = Trainer(fast_cfg), Trainer(fast_cfg.replace(seed=1))
    assert not torch.equal(params(a), params(b))


def test_an_iteration_is_k_d_steps_then_g_steps(fast_cfg):
    t = Trainer(fast_cfg.replace(d_steps=3, g_steps=2))
    t.step()
    t.step()
    assert (t.iteration, t.d_updates, t.g_updates) == (2, 6, 4)


def test_set_changes_knobs_without_resetting_weights(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(20)
    before = params(t)
    reset = t.set(lr_d=0.05, lr_g=0.01, d_steps=4, g_loss="saturating", beta1=0.3)
    assert not reset
    assert torch.equal(params(t), before)
    assert t.opt_d.param_groups[0]["lr"] == 0.05 and t.opt_g.param_groups[0]["lr"] == 0.01
    assert t.opt_d.param_groups[0]["betas"][0] == 0.3
    assert t.cfg.d_steps == 4 and t.cfg.g_loss == "saturating"
    t.step()
    assert t.d_updates == 20 + 4


def test_set_optimizer_keeps_weights_and_switches_class(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(5)
    before = params(t)
    t.set(optimizer="sgd", momentum=0.5)
    assert isinstance(t.opt_d, torch.optim.SGD) and torch.equal(params(t), before)
    assert t.opt_g.param_groups[0]["momentum"] == 0.5


def test_architecture_change_resets_the_nets(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(5)
    assert t.set(g_width=8) is True
    assert t.iteration == 0 and t.G[0].out_features == 8


def test_target_change_keeps_the_weights(fast_cfg):
    t = Trainer(fast_cfg)
    before = params(t)
    t.set(target="mixture")
    assert t.target.name == "mixture" and torch.equal(params(t), before)


@pytest.mark.parametrize("loss", ["saturating", "non_saturating", "least_squares", "wasserstein_gp"])
@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_every_loss_and_optimizer_trains_finitely(fast_cfg, loss, opt):
    t = Trainer(fast_cfg.replace(g_loss=loss, optimizer=opt, lr_d=1e-3, lr_g=1e-3))
    t.train(30)
    m = t.metrics()
    assert all(abs(v) < 1e6 for v in m.values())


def test_other_targets_and_noise_dims_train_and_snapshot(fast_cfg):
    for change in ({"target": "mixture"}, {"target": "uniform"}, {"target": "empirical"},
                   {"noise": "uniform"}, {"noise_dim": 3}):
        t = Trainer(fast_cfg.replace(**change))
        t.train(20)
        s = take_snapshot(t)
        assert 0 <= s.jsd <= 0.7 and s.p_g.shape == s.x.shape
        assert ("KDE" in s.pg_method) == (change.get("noise_dim", 1) > 1)


def test_default_run_reaches_nash_equilibrium():
    """Gaussian target, k = 1, non-saturating, seed 0: p_g → p_data and D → ½."""
    cfg = TrainConfig()
    assert (cfg.target, cfg.d_steps, cfg.g_loss, cfg.seed) == ("gaussian", 1, "non_saturating", 0)
    result = run_headless(cfg)
    assert result.summary["steps"] == cfg.steps
    assert result.summary["jsd"] < 0.02
    assert result.summary["d_dev"] < 0.05
    assert "equilibrium" in result.summary["diagnosis"]


def test_a_run_that_turns_nan_stops_and_says_at_which_step(fast_cfg):
    t = Trainer(fast_cfg)
    t.train(3)
    with torch.no_grad():
        t.D[0].weight.fill_(float("nan"))
    t.train(2)
    with pytest.raises(DivergedError, match=r"diverged at step 5"):
        t.metrics()


def test_runner_reports_divergence_instead_of_hanging(fast_cfg):
    cfg = fast_cfg.replace(optimizer="sgd", lr_d=10.0, lr_g=10.0, momentum=0.99, g_loss="wasserstein_gp",
                           gp_weight=0.0, steps=2000, record_every=10)
    result = run_headless(cfg)
    assert result.error and "diverged at step" in result.error
    assert result.summary["steps"] < 2000
    assert result.summary["diagnosis"] == ["diverged"]


def test_runner_applies_a_schedule_of_knob_changes(fast_cfg):
    result = run_headless(fast_cfg.replace(g_loss="saturating"), schedule={100: {"g_loss": "non_saturating"}})
    assert result.config.g_loss == "non_saturating"
    assert [r["step"] for r in result.history] == [50, 100, 150, 200]


def test_a_refused_target_change_changes_nothing(fast_cfg, tmp_path):
    from ganviz.config import ConfigError
    bad = tmp_path / "bad.csv"
    bad.write_text("x\n1\nabc\n")
    t = Trainer(fast_cfg)
    with pytest.raises(ConfigError, match="not a number"):
        t.set(target="empirical", data_path=str(bad), data_column="x", lr_d=0.01)
    assert t.cfg == fast_cfg and t.target.name == "gaussian"


def test_a_fresh_run_is_not_diagnosed_as_diverged(fast_cfg):
    from ganviz.core.diagnose import diagnose
    from ganviz.core.snapshot import take_snapshot
    record = take_snapshot(Trainer(fast_cfg)).record()  # step 0: no losses measured yet (NaN)
    assert diagnose([record]) != ["diverged"]
