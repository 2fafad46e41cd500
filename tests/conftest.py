import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)  # tiny nets: one thread is fastest and keeps two test processes from fighting


@pytest.fixture
def fast_cfg():
    """A small, quick config for tests that only need training to happen."""
    from ganviz.config import TrainConfig
    return TrainConfig(batch_size=64, g_width=16, d_width=16, steps=200, record_every=50)
