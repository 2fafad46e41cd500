"""The CUDA path: skipped where there is no CUDA GPU (CI has none); run on a GPU machine it checks that a run,
a snapshot and a batched sweep work on the device."""

import math

import pytest
import torch

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.measure import take_snapshot
from ganviz.core.trainer import Trainer

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@cuda
def test_a_run_trains_and_is_drawn_on_the_gpu():
    t = Trainer(TrainConfig(device="cuda"))
    t.train(300)
    assert t.device.type == "cuda" and t.g_params.is_cuda
    snap = take_snapshot(t)
    assert math.isfinite(snap.jsd) and snap.jsd < 0.69


@cuda
def test_a_batched_sweep_matches_its_single_runs_on_the_gpu():
    cfgs = [TrainConfig(device="cuda", seed=s, lr_d=lr) for s, lr in ((0, 1e-3), (1, 3e-3))]
    batch = Trainer(cfgs)
    batch.train(30)
    for i, c in enumerate(cfgs):
        single = Trainer(c)
        single.train(30)
        assert torch.allclose(batch.g_params[i], single.g_params[0], atol=1e-3)


def test_asking_for_cuda_without_a_gpu_is_a_clear_message():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ConfigError, match="no CUDA GPU is available"):
        Trainer(TrainConfig(device="cuda"))
