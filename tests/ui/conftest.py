import pytest

from ganviz.config import TrainConfig


@pytest.fixture
def window(qtbot):
    """The real main window, offscreen, with its training process; closed (and the process ended) after."""
    from ganviz.ui.main_window import MainWindow
    w = MainWindow(TrainConfig(batch_size=64, g_width=16, d_width=16, record_every=20))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitUntil(lambda: w.session.status is not None and w.figure.last is not None, timeout=60_000)
    yield w
    w.close()


def wait_step(qtbot, w, at_least: int, timeout: int = 30_000) -> None:
    qtbot.waitUntil(lambda: w.figure.last is not None and w.figure.last.step >= at_least, timeout=timeout)
