import pytest
import torch

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.ensemble import Ensemble, flops_per_iteration, measure_sweep
from ganviz.core.trainer import Trainer

BASE = TrainConfig(batch_size=64)
CELLS = [BASE.replace(lr_d=1e-3, seed=3),
         BASE.replace(lr_g=2e-3, d_steps=2, g_loss="saturating", seed=5),
         BASE.replace(seed=9, beta1=0.5, g_steps=2)]


def max_param_diff(ens, i, trainer):
    state = ens.member_state(i)
    diffs = []
    for name, net in (("G", trainer.G), ("D", trainer.D)):
        linears = [m for m in net if isinstance(m, torch.nn.Linear)]
        for j, lin in enumerate(linears):
            diffs.append((state[f"{name}.{j}.weight"] - lin.weight).abs().max().item())
            diffs.append((state[f"{name}.{j}.bias"] - lin.bias).abs().max().item())
    return max(diffs)


@pytest.mark.parametrize("optimizer,scale", [("adam", 1.0), ("sgd", 10.0)])
def test_batched_trainer_matches_separate_trainers_step_for_step(optimizer, scale):
    configs = [c.replace(optimizer=optimizer, lr_d=c.lr_d * scale, lr_g=c.lr_g * scale) for c in CELLS]
    ens = Ensemble(configs, exact_rng=True)
    trainers = [Trainer(c) for c in configs]
    for _ in range(50):
        ens.step()
        for t in trainers:
            t.step()
    for i, t in enumerate(trainers):
        assert max_param_diff(ens, i, t) < 1e-5, f"cell {i}"
    assert max_param_diff(ens, 0, trainers[1]) > 1e-2  # the cells really are different runs


def test_members_may_differ_only_in_sweepable_knobs():
    with pytest.raises(ConfigError, match="may differ only in"):
        Ensemble([BASE, BASE.replace(g_width=8)])
    with pytest.raises(ConfigError, match="cannot be swept"):
        Ensemble([BASE.replace(g_loss="wasserstein_gp")])


def test_a_diverging_member_does_not_poison_the_others():
    ens = Ensemble([BASE, BASE.replace(optimizer="adam", lr_d=10.0, lr_g=10.0, seed=1)])
    with torch.no_grad():
        for w in ens.D.weights:
            w[1].fill_(float("nan"))
    ens.train(5)
    assert all(torch.isfinite(w[0]).all() for w in ens.G.weights + ens.D.weights)


def test_sweep_measurement_reports_rates_and_matmul_fraction():
    r = measure_sweep(BASE, sizes=(1, 8), iterations=3, repeats=1)
    assert set(r["gan_its"]) == {"1", "8"} and all(v > 0 for v in r["gan_its"].values())
    assert 0 < r["matmul_fraction"] < 1.5 and r["peak_gflops"] > 0
    assert flops_per_iteration(BASE) > 0
