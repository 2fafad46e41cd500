"""The mechanism panels, live: G's loss with the fakes on its curve, the Dirac-GAN driven by the knobs, and the
slow-motion highlight of which player moved."""

from ganviz.presets import load_preset
from tests.ui.conftest import wait_step


def test_the_loss_panel_puts_the_fakes_on_the_flat_end_and_a_switch_moves_them(qtbot, window):
    w = window
    w.load_preset(load_preset("vanishing_gradients"))
    w.tabs.setCurrentWidget(w.loss_panel)
    w.session.run_until(300)
    qtbot.waitUntil(lambda: w.session.step >= 300 and not w.session.playing, timeout=60_000)
    qtbot.waitUntil(lambda: w.loss_panel.active == "saturating", timeout=5_000)
    xs, _ = w.loss_panel.dots.getData()
    assert len(xs) > 50 and xs.mean() < 0.1  # D confidently rejects the fakes: the flat end of log(1 − D)
    assert "weaker" in w.loss_panel.readout.text
    w.controls.widgets["g_loss"].setCurrentIndex(w.controls.widgets["g_loss"].findData("non_saturating"))
    w.controls.widgets["g_loss"].activated.emit(w.controls.widgets["g_loss"].currentIndex())
    w.session.step_once("G")
    qtbot.waitUntil(lambda: w.loss_panel.active == "non_saturating", timeout=10_000)
    assert "weaker" not in w.loss_panel.readout.text


def test_the_dirac_panel_follows_the_knobs(qtbot, window):
    w = window
    w.tabs.setCurrentWidget(w.dirac_panel)
    qtbot.waitUntil(lambda: w.dirac_panel.settings is not None, timeout=5_000)
    w.controls.widgets["r1_gamma"].setValue(2.0)
    qtbot.waitUntil(lambda: w.dirac_panel.settings is not None and w.dirac_panel.settings.r1_gamma == 2.0,
                    timeout=10_000)
    text = w.dirac_panel.readout.text
    assert "R1 γ = 2" in text and ("converges" in text or "spirals in" in text) and "spirals out" not in text


def test_slow_motion_shows_which_player_moved_and_its_line(qtbot, window):
    w = window
    w.speed.setCurrentIndex(0)
    w.session.play()
    qtbot.waitUntil(lambda: "D step" in w.figure.panel.caption.text or "G step" in w.figure.panel.caption.text,
                    timeout=20_000)
    assert "Σ" in w.figure.panel.caption.text  # the Algorithm 1 line that ran
    w.session.pause()


def test_samples_and_pushes_can_be_hidden(qtbot, window):
    w = window
    wait_step(qtbot, w, 0)
    assert w.figure.panel.fake_dots.isVisible()
    w.figure.panel.set_samples_visible(False)
    assert not w.figure.panel.fake_dots.isVisible() and not w.figure.panel.pushes.isVisible()
