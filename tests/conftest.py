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


SLOW_FIRST = ("tests/engine/test_truth.py", "tests/engine/test_challenges.py", "tests/ui/test_lesson_display.py")


def pytest_collection_modifyitems(config, items):
    """The longest tests (whole preset runs, a lesson walked on Xvfb) go first, so the two workers never end
    with one of them running a 40-second preset alone while the other idles."""
    items.sort(key=lambda item: not any(item.nodeid.startswith(p) for p in SLOW_FIRST))
