"""Growing by adding: a loss or a panel registered here, in the test, with no edit to the package, is offered by
the controls, drawn by the panels, accepted as a sweep axis and wired into the window."""

import numpy as np
import pytest

from ganviz import losses
from ganviz.config import TrainConfig
from ganviz.engine.grid import parse_axis
from ganviz.ui import panels

TOY = losses.LossSpec("toy_hinge", "toy hinge  softplus", "D: softplus(1 − l) + softplus(1 + l); G: softplus(−l)",
                      d_real=lambda l, xp: xp.softplus(1 - l), d_fake=lambda l, xp: xp.softplus(1 + l),
                      g_fake=lambda l, xp: xp.softplus(-l))


@pytest.fixture
def toy_loss():
    losses.register(TOY)
    yield TOY
    losses.LOSSES.pop(TOY.name)


class ToyPanel(panels.Panel):
    name, tab_label = "toy", "Toy"

    def __init__(self, style=None):
        super().__init__(style)
        self.frames, self.configs, self.styled = [], [], 0

    def show_snapshot(self, snap) -> None:
        self.frames.append(snap.step)

    def set_config(self, cfg) -> None:
        self.configs.append(cfg)

    def apply_style(self) -> None:
        self.styled += 1


@pytest.fixture
def toy_panel():
    panels.register(ToyPanel)
    yield ToyPanel
    panels.PANELS.remove(ToyPanel)


def test_a_registered_loss_is_offered_drawn_and_swept(qtbot, toy_loss):
    """(It trains too: tests/core/test_losses.py. A loss the training process must know lives in
    ganviz/losses.py, which both processes import.)"""
    from ganviz.ui.main_window import MainWindow
    w = MainWindow(TrainConfig(batch_size=64, g_width=16, d_width=16))
    qtbot.addWidget(w)
    try:
        box = w.controls.widgets["g_loss"]
        assert box.findData("toy_hinge") >= 0 and "toy hinge" in box.itemText(box.findData("toy_hinge"))
        assert "toy_hinge" in w.loss_panel.curves  # its curve against D(G(z))
        y = w.loss_panel.curves["toy_hinge"].getData()[1]
        assert np.all(np.isfinite(y))
        assert parse_axis("g_loss=toy_hinge,non_saturating").values == ["toy_hinge", "non_saturating"]
        assert "toy hinge" in w.controls.widgets["g_loss"].toolTip()  # the tooltip lists every formula
    finally:
        w.close()


def test_a_registered_panel_gets_a_tab_frames_configs_and_styles(qtbot, toy_panel):
    from ganviz.ui.main_window import MainWindow
    w = MainWindow(TrainConfig(batch_size=64, g_width=16, d_width=16))
    qtbot.addWidget(w)
    w.show()
    try:
        panel = w.panels["toy"]
        assert w.tabs.tabText(w.tabs.indexOf(panel)) == "Toy"
        w.tabs.setCurrentWidget(panel)
        qtbot.waitUntil(lambda: bool(panel.configs), timeout=30_000)
        w.session.run_until(40)
        qtbot.waitUntil(lambda: bool(panel.frames) and panel.frames[-1] == 40, timeout=30_000)
        styled = panel.styled
        w.set_dark(True)
        assert panel.styled == styled + 1
    finally:
        w.close()
