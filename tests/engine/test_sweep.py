import pytest
import torch

from ganviz.config import ConfigError
from ganviz.core.trainer import Trainer
from ganviz.engine.grid import cell_config, parse_axis, sweep_configs
from ganviz.engine.sweep import Sweep, groups, run_sweep


def test_a_cell_opened_as_a_run_follows_its_trajectory_in_the_sweep(fast_cfg):
    x, y = parse_axis("lr_d=1e-3:1e-2:log:3"), parse_axis("d_steps=1,2")
    sweep = Sweep(fast_cfg, x, y, steps=60)
    while sweep.advance():
        pass
    result = sweep.result()
    (idx, driver), = sweep.drivers
    for row, col in ((0, 0), (1, 2)):
        i = row * 3 + col
        single = Trainer(cell_config(result, row, col))
        single.train(60)
        member = idx.index(i)
        assert torch.allclose(driver.trainer.g_params[member], single.g_params[0], atol=1e-4)
        assert torch.allclose(driver.trainer.d_params[member], single.d_params[0], atol=1e-4)


def test_cells_that_differ_in_structure_train_in_groups(fast_cfg):
    configs = sweep_configs(fast_cfg, parse_axis("g_width=8,16"), parse_axis("lr_g=1e-4:1e-3:log:2"))
    assert sorted(len(g) for g in groups(configs)) == [2, 2]
    result = run_sweep(fast_cfg.replace(steps=40), parse_axis("g_width=8,16"), parse_axis("seed=0,1"))
    assert len(result["cells"]) == 4 and result["steps"] == 40


def test_a_diverged_cell_is_labelled_diverged_not_a_phenomenon(fast_cfg):
    cfg = fast_cfg.replace(optimizer="sgd", momentum=0.99, steps=300)
    result = run_sweep(cfg, parse_axis("lr_d=0.001,10"), parse_axis("lr_g=10,10.0"))
    assert result["cells"][1]["outcome"] == "diverged"


@pytest.mark.parametrize("spec,needle", [("seed=1,2,x", "'x' is not a number"), ("lr_d=1:0.1:log:4", "reversed"),
                                         ("steps=1,2", "cannot be swept"), ("lr_d=1e-3:1e-1:log:64", "N must be"),
                                         ("d_steps=1.5,2", "whole numbers"), ("mixture_means=1,2", "cannot be swept")])
def test_bad_axes_are_one_clear_message(spec, needle):
    with pytest.raises(ConfigError, match=needle):
        parse_axis(spec)
