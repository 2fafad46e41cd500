"""The real window, driven the way a lecturer drives it (offscreen; the X display test is separate)."""

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ganviz.presets import load_preset
from tests.ui.conftest import wait_step


def test_the_window_starts_ready_and_space_plays_even_from_a_number_field(qtbot, window):
    w = window
    assert w.diagnosis == "ready" and "press Space" in w.badge.text()
    spin = w.controls.widgets["batch_size"]
    w.activateWindow()
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.session.playing, timeout=10_000)
    wait_step(qtbot, w, 40)
    qtbot.keyClick(spin, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not w.session.playing, timeout=10_000)


def test_the_badge_is_never_ready_once_slow_motion_has_moved(qtbot, window):
    """In slow motion the first record is seconds away: the badge must not keep saying "press Space"."""
    w = window
    w.speed.setCurrentIndex(0)  # slow motion, 2 iterations a second
    w.session.play()
    qtbot.waitUntil(lambda: w.figure.last is not None and w.figure.last.player == "D", timeout=10_000)
    assert w.diagnosis == "warming_up" and "warming up" in w.badge.text()
    w.session.pause()


def test_typing_in_a_text_field_still_types(qtbot, window):
    w = window
    field = w.controls.mixture.text
    w.controls.mixture.setVisible(True)
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, "0.5:-2:0.3, 0.5:2:0.3")
    qtbot.keyClick(field, Qt.Key.Key_D)  # a letter types here, it is no D step
    assert field.text().endswith("d") or field.text().endswith("D")
    assert w.session.recording.records[-1]["step"] == 0


def test_a_knob_reaches_the_trainer_and_the_panel_shows_what_it_uses(qtbot, window):
    w = window
    w.controls.widgets["d_steps"].setValue(4)
    qtbot.waitUntil(lambda: w.session.config.d_steps == 4, timeout=10_000)
    w.controls.widgets["lr_d"].field.setText("-3")
    w.controls.widgets["lr_d"].field.editingFinished.emit()
    assert "lr_d" in w.statusBar().currentMessage()
    assert w.session.config.lr_d == 2e-3


def test_picking_a_preset_replaces_the_old_run_at_once(qtbot, window):
    w = window
    w.session.play()
    wait_step(qtbot, w, 100)
    w.load_preset(load_preset("mode_collapse"))
    qtbot.waitUntil(lambda: w.figure.last is not None and w.figure.last.step == 0
                    and w.session.config.target == "mixture", timeout=10_000)
    shown = []
    w.frame_shown.connect(lambda s: shown.append(s))
    w.session.play()
    qtbot.waitUntil(lambda: len(shown) >= 5, timeout=20_000)
    steps = [s.step for s in shown]
    assert steps == sorted(steps) and steps[0] < 100  # nothing of the old run reached the screen
    assert all(s.n_modes == 2 for s in shown)
    assert w.preset_box.currentText() == "Mode collapse"


def test_a_rescue_preset_is_one_pick_in_the_box_after_the_phenomena(qtbot, window):
    w = window
    box = w.preset_box
    index = box.findData("rescue_collapse_minibatch_std")
    assert index > box.findData("mode_collapse") and index > box.findData("old_faithful")
    box.activated.emit(index)  # what a click on the item does
    qtbot.waitUntil(lambda: w.session.config.minibatch_std and w.session.config.steps == 6000, timeout=10_000)
    assert box.currentText() == "Rescue collapse: minibatch std"
    assert "Rescue collapse" in w.explain.text()


def test_a_csv_and_its_column_change_together(qtbot, window, tmp_path):
    w = window
    w.load_preset(load_preset("old_faithful"))
    qtbot.waitUntil(lambda: w.session.config.target == "empirical", timeout=10_000)
    bimodal = tmp_path / "bimodal.csv"
    values = np.concatenate([np.random.default_rng(0).normal(-2, 0.3, 200), np.random.default_rng(1).normal(2, 0.3, 200)])
    bimodal.write_text("value\n" + "\n".join(f"{v:.4f}" for v in values) + "\n")
    w.controls.csv.choose_file(str(bimodal))
    qtbot.waitUntil(lambda: w.session.config.data_path == str(bimodal), timeout=10_000)
    assert w.session.config.data_column == "value"
    bad = tmp_path / "bad.csv"
    bad.write_text("eruptions\n1\nnot a number\n")
    w.controls.csv.choose_file(str(bad))
    qtbot.waitUntil(lambda: "not a number" in w.statusBar().currentMessage(), timeout=10_000)
    assert w.session.config.data_path == str(bimodal)  # the old data keep training
    assert w.controls.csv.file.text() == "bimodal.csv"


def test_restart_from_here_keeps_the_earlier_metrics(qtbot, window):
    w = window
    w.session.run_until(200)
    qtbot.waitUntil(lambda: w.session.step == 200 and not w.session.playing, timeout=30_000)
    qtbot.waitUntil(lambda: len(w.session.recording.records) >= 11, timeout=10_000)
    frames = w.timeline_bar.frames
    middle = next(i for i, f in enumerate(frames) if f.step >= 100)
    w.timeline_bar.show_step(middle)
    chosen = frames[middle].step
    assert w.figure.last.step == chosen
    with qtbot.waitSignal(w.session.restarted, timeout=10_000) as restarted:
        w.timeline_bar.restart.click()
    assert restarted.args == [chosen]  # the loop kept the state of every frame it showed
    qtbot.waitUntil(lambda: w.session.step == chosen, timeout=10_000)
    steps = [r["step"] for r in w.session.recording.records]
    assert steps[0] == 0 and steps[-1] <= chosen and len(steps) >= chosen // 20
    assert "Restarted from step" in w.statusBar().currentMessage()


def test_frames_cost_the_window_little_of_its_own_time(qtbot, window):
    """The window's own work per frame (thread CPU time, not wall time: the scheduler is not measured)."""
    w = window
    costs = []
    original = w._on_frame

    def timed(snap):
        t0 = time.thread_time()
        original(snap)
        costs.append(time.thread_time() - t0)

    w.session.frame_ready.disconnect(w._on_frame)
    w.session.frame_ready.connect(timed)
    w.session.play()
    qtbot.waitUntil(lambda: len(costs) >= 40, timeout=30_000)
    assert np.median(costs) < 0.040


def test_presenter_mode_enlarges_and_dark_theme_darkens_everything(qtbot, window):
    w = window
    before = w.figure.width()
    base_font = w.font().pointSizeF()
    w.presenter_action.setChecked(True)
    qtbot.waitUntil(lambda: not w.controls_dock.isVisible(), timeout=2000)
    # larger type in proportion to the screen (1.46× on this 1400 × 900 window, 2× on 1920 × 1080)
    assert w.font().pointSizeF() >= 1.4 * base_font and w.figure.width() > before
    w.set_scale(w.user_scale * 1.25)  # Ctrl+=
    assert w.font().pointSizeF() >= 1.7 * base_font and w.figure.width() > before
    w.dark_action.setChecked(True)
    assert QApplication.instance().palette().window().color().lightness() < 80
    assert w.figure.backgroundBrush().color().lightness() < 80
    w.dark_action.setChecked(False)


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_save_figure_writes_every_format_in_the_background(qtbot, window, tmp_path, suffix):
    """The frame on screen, as a 1920 px PNG, an SVG that parses and holds the figure, or a whole PDF — written
    by the export process while the window keeps running."""
    w = window
    out = tmp_path / f"f.{suffix}"
    with qtbot.waitSignal(w.file_written, timeout=60_000) as written:
        w.save_figure(str(out))
    assert written.args[0] == f"Saved {out}"
    check_figure_file(out, panels=1)


def check_figure_file(out, panels: int) -> None:
    """A written figure is a real picture of the figure, whatever its format."""
    data = out.read_bytes()
    if out.suffix == ".png":
        from PIL import Image
        with Image.open(out) as im:
            assert im.size[0] >= 1600
    elif out.suffix == ".pdf":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and len(data) > 20_000
    else:
        import xml.dom.minidom
        doc = xml.dom.minidom.parseString(data)
        texts = [t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild]
        assert texts.count("p_data") == panels and texts.count("density ") == panels
        assert len(doc.getElementsByTagName("polyline")) > 100  # the curves, not an empty page
        assert b"non-scaling-stroke" not in data  # flattened to pixels: every viewer draws the same widths


def test_closing_the_window_ends_the_training_process(qtbot, window):
    w = window
    proc = w.session.bridge.pump.proc
    w.close()
    qtbot.waitUntil(lambda: not proc.is_alive(), timeout=10_000)


def test_dot_steps_from_a_whole_number_field_and_reset_keeps_the_modified_mark(qtbot, window):
    w = window
    w.load_preset(load_preset("nash"))
    qtbot.waitUntil(lambda: w.session.status is not None and w.session.config.batch_size == 256, timeout=10_000)
    spin = w.controls.widgets["d_steps"]
    spin.setValue(2)
    qtbot.waitUntil(lambda: w.session.config.d_steps == 2, timeout=10_000)
    assert "(modified)" in w.preset_box.currentText()
    qtbot.keyClick(spin, Qt.Key.Key_Period)  # "." is no decimal point in a whole-number field: one iteration
    qtbot.waitUntil(lambda: w.session.step == 1, timeout=10_000)
    qtbot.keyClick(spin, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: w.session.status is not None and w.session.step == 0, timeout=10_000)
    assert w.session.config.d_steps == 2 and "(modified)" in w.preset_box.currentText()


def test_the_badge_does_not_flicker_on_the_border_of_two_states(window):
    from ganviz.engine.recording import Recording
    rec = Recording(window.session.config)
    rec.add_records([{"step": 50 * (i + 1), "jsd": 0.005, "d_dev": 0.01, "coverage": 1, "spread": 1,
                      "d_real": 0.5, "d_fake": 0.5, "n_modes": 1} for i in range(30)])
    assert rec.diagnosis()[1] == "equilibrium"
    rec.add_records([{"step": 1600, "jsd": 0.5, "d_dev": 0.3, "d_real": 0.9, "d_fake": 0.1}])
    assert rec.diagnosis()[1] == "equilibrium"  # one odd record does not change the badge


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_figure_1_panels_are_told_from_this_run_and_written_in_the_background(qtbot, window, tmp_path, suffix):
    """Ctrl+1: the training process tells the paper's story from its kept states, the export process writes it;
    the window never waits (its event loop keeps turning while the panels are made)."""
    w = window
    w.session.run_until(300)
    qtbot.waitUntil(lambda: w.session.step == 300 and not w.session.playing, timeout=30_000)
    out = tmp_path / f"fig1.{suffix}"
    with qtbot.waitSignal(w.file_written, timeout=90_000) as written:
        w.open_figure1(str(out))
    assert written.args[0].startswith(f"Saved {out}: (a) near convergence")
    assert "(b) D trained alone" in written.args[0]
    check_figure_file(out, panels=4)
