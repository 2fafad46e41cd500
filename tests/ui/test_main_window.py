"""The real window, offscreen, driven like a user: buttons, fields, keys."""

import time

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from ganviz.config import TrainConfig
from ganviz.ui.main_window import MainWindow

FAST = TrainConfig(batch_size=64, g_width=16, d_width=16)


@pytest.fixture
def window(qtbot):
    w = MainWindow(FAST)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.figure.last is not None, timeout=30000)  # the training process is up
    yield w
    w.close()


def wait_step(qtbot, w, at_least, timeout=20000):
    qtbot.waitUntil(lambda: w.figure.last is not None and w.figure.last.step >= at_least, timeout=timeout)


def test_play_trains_and_the_green_curve_moves(qtbot, window):
    before = window.figure.p_g_curve.getData()[1].copy()
    qtbot.mouseClick(window.controls.play_btn, Qt.MouseButton.LeftButton)
    wait_step(qtbot, window, 200)
    after = window.figure.p_g_curve.getData()[1]
    assert not np.allclose(before, after)
    assert window.step_label.text().strip().startswith("step")
    assert window.metrics.series.n > 1


def test_pause_stops_the_steps(qtbot, window):
    window.controls.play_btn.click()
    wait_step(qtbot, window, 50)
    window.controls.play_btn.click()
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=5000)
    qtbot.wait(200)
    step = window.figure.last.step
    qtbot.wait(500)
    assert window.figure.last.step == step


def test_knob_changes_while_running_reach_the_trainer(qtbot, window):
    window.controls.play_btn.click()
    wait_step(qtbot, window, 20)
    c = window.controls
    c.lr_d.field.setText("0.0123")
    c.lr_d.field.editingFinished.emit()
    c.d_steps.setValue(3)
    c.g_loss.setCurrentIndex(c.g_loss.findData("saturating"))
    c.optimizer.setCurrentIndex(c.optimizer.findData("sgd"))

    def seen():
        s = window.trainer_state
        return (s and s["lr_d"] == 0.0123 and s["cfg"].d_steps == 3 and s["cfg"].g_loss == "saturating"
                and s["optimizer"] == "SGD")
    qtbot.waitUntil(seen, timeout=10000)
    step = window.trainer_state["iteration"]
    d_before = window.trainer_state["d_updates"]
    window.worker.request_state()
    qtbot.waitUntil(lambda: window.trainer_state["iteration"] > step + 5, timeout=10000)
    s = window.trainer_state
    assert s["d_updates"] - d_before >= 3 * (s["iteration"] - step) - 3  # k = 3 D-steps per iteration now


def test_single_steps_count_d_and_g_updates(qtbot, window):
    window.worker.request_state()
    qtbot.waitUntil(lambda: bool(window.trainer_state), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_D)
    qtbot.keyClick(window, Qt.Key.Key_D)
    qtbot.keyClick(window, Qt.Key.Key_G)
    qtbot.keyClick(window, Qt.Key.Key_Period)
    qtbot.waitUntil(lambda: window.trainer_state.get("iteration") == 1
                    and window.trainer_state.get("g_updates") == 2, timeout=5000)
    assert window.trainer_state["d_updates"] == 3


def test_space_toggles_play(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.worker.playing, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=5000)


def test_close_while_training_stops_within_a_second(qtbot):
    w = MainWindow(FAST)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.figure.last is not None, timeout=30000)
    w.controls.play_btn.click()
    wait_step(qtbot, w, 50)
    thread = w.thread
    t0 = time.perf_counter()
    w.close()
    assert time.perf_counter() - t0 < 1.0
    assert thread.isFinished()


def test_gui_stays_responsive_while_training_flat_out(qtbot, window):
    window.controls.play_btn.click()
    wait_step(qtbot, window, 20)
    lat = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick():
        now = clock.elapsed()
        lat.append(now - last[0] - 10)
        last[0] = now
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.wait(3000)
    timer.stop()
    assert len(lat) > 50
    assert np.percentile(lat, 95) < 50


def test_bad_input_gives_a_message_and_the_app_keeps_running(qtbot, window):
    c = window.controls
    c.lr_g.field.setText("fast please")
    c.lr_g.field.editingFinished.emit()
    assert "not a number" in window.statusBar().currentMessage()
    assert c.lr_g.field.text() == f"{FAST.lr_g:.3g}"  # the old value is kept
    c.target_std.setValue(0.0)
    assert "target_std" in window.statusBar().currentMessage()
    c.mixture.setText("0.5:-2")
    c.mixture.editingFinished.emit()
    assert "weight:mean:std" in window.statusBar().currentMessage()


def test_a_diverging_run_pauses_and_offers_reset(qtbot, window):
    window.worker.set_knobs(optimizer="sgd", lr_d=10.0, lr_g=10.0, momentum=0.99, g_loss="wasserstein_gp",
                            gp_weight=0.0)
    window.controls.play_btn.click()
    qtbot.waitUntil(lambda: "diverged" in window.statusBar().currentMessage(), timeout=20000)
    assert window.diagnosis == "diverged" and window.reset_offer.isVisible()
    assert not window.worker.playing
    window.worker.set_knobs(optimizer="adam", lr_d=1e-3, lr_g=1e-3, g_loss="non_saturating")
    window.reset_offer.click()
    qtbot.waitUntil(lambda: not window.reset_offer.isVisible(), timeout=10000)
    window.controls.play_btn.click()
    wait_step(qtbot, window, 30)
    assert np.isfinite(window.figure.last.jsd)


def test_presenter_scale_grows_fonts_and_lines(qtbot, window):
    width = window.figure.p_g_curve.opts["pen"].widthF()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.style.scale == pytest.approx(1.25)
    assert window.figure.p_g_curve.opts["pen"].widthF() == pytest.approx(1.25 * width)


def test_settings_keep_the_last_config(qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(FAST.replace(seed=42), settings=settings)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.figure.last is not None, timeout=30000)
    w.close()
    w2 = MainWindow(settings=settings)
    qtbot.addWidget(w2)
    assert w2.cfg.seed == 42
    w2.close()


def test_scrubbing_the_timeline_shows_a_recorded_step_and_pauses(qtbot, window):
    window.controls.play_btn.click()
    wait_step(qtbot, window, 300)
    assert len(window.timeline) > 3
    window.scrub.setValue(1)
    window.scrub.sliderMoved.emit(1)
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=5000)
    assert window.figure.last.step == window.timeline[1].step
    assert window.scrub_label.text() == f"viewing step {window.timeline[1].step}"
    window.controls.play_btn.click()
    qtbot.waitUntil(lambda: window.scrub_label.text() == "live", timeout=5000)


def test_restart_from_a_recorded_frame_uses_its_weights(qtbot, window):
    window.controls.play_btn.click()
    wait_step(qtbot, window, 400)
    window.controls.play_btn.click()
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=5000)
    window.scrub.setValue(2)
    window.scrub.sliderMoved.emit(2)
    past = window.timeline[2]
    assert window.restart_here.isVisible()
    window.restart_here.click()
    qtbot.waitUntil(lambda: window.timeline.steps()[-1] == past.step, timeout=10000)  # the future is dropped
    assert window.figure.last is window.timeline[-1]
    assert np.allclose(window.figure.last.gz, past.gz, atol=1e-6)  # the same G as recorded at that step
    window.controls.play_btn.click()
    qtbot.waitUntil(lambda: window.figure.last.step > past.step + 50, timeout=10000)


def test_file_menu_saves_figure_metrics_and_config(qtbot, window, tmp_path):
    from PIL import Image

    from ganviz.config import TrainConfig as TC
    window.controls.play_btn.click()
    wait_step(qtbot, window, 100)
    window.save_figure(str(tmp_path / "f.png"))
    window.save_figure(str(tmp_path / "f.svg"))
    window.save_metrics(str(tmp_path / "m.csv"))
    window.save_config(str(tmp_path / "c.json"))
    assert Image.open(tmp_path / "f.png").size[0] > 300
    assert "<svg" in (tmp_path / "f.svg").read_text()[:2000]
    assert (tmp_path / "m.csv").read_text().startswith("step,")
    assert TC.from_json_file(tmp_path / "c.json") == window.worker_config()
    window.save_figure(str(tmp_path / "f.bmp"))
    assert "use .png or .svg" in window.statusBar().currentMessage()


def test_export_dialog_writes_a_gif_from_the_current_config(qtbot, window, tmp_path):
    from PIL import Image

    from ganviz.ui.export_dialog import ExportDialog
    dialog = ExportDialog(window, window.worker_config())
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "a.gif"))
    dialog.steps.setValue(40)
    dialog.every.setValue(10)
    dialog.size.setCurrentIndex(3)
    dialog.run_export()
    assert "Exported 4 frames" in dialog.result_message
    with Image.open(tmp_path / "a.gif") as im:
        assert im.n_frames == 4 and im.size == (640, 360)


def test_choosing_a_preset_loads_its_config_and_explanation(qtbot, window):
    box = window.preset_box
    box.setCurrentIndex(box.findData("mode_collapse"))
    qtbot.waitUntil(lambda: window.trainer_state.get("cfg") is not None
                    and window.trainer_state["cfg"].target == "mixture", timeout=30000)
    assert "Mode collapse" in window.explain.text()
    assert window.controls.target.currentData() == "mixture"
    assert window.n_modes == 2


def test_sweep_lab_trains_a_grid_and_a_click_opens_the_cell(qtbot, window):
    window.open_sweep()
    sw = window.sweep_window
    qtbot.addWidget(sw)
    sw.x_axis.n.setValue(3)
    sw.y_axis.key.setCurrentText("g_loss")
    sw.steps.setValue(60)
    sw.start()
    qtbot.waitUntil(lambda: sw.result is not None and sw.result["steps"] == 60, timeout=60000)
    assert len(sw.result["cells"]) == 9 and sw.image.image.shape == (3, 3, 3)
    sw.color_by.setCurrentIndex(1)  # by final JSD: a colour scale instead of outcome colours
    assert sw.image.image.shape == (3, 3, 3)
    with qtbot.waitSignal(sw.cell_opened, timeout=5000) as opened:
        sw.open_cell(1, 2)
    cfg = opened.args[0]
    assert cfg.g_loss == "non_saturating" and cfg.lr_d == pytest.approx(0.1)
    qtbot.waitUntil(lambda: window.trainer_state.get("cfg") is not None
                    and window.trainer_state["cfg"].lr_d == pytest.approx(0.1), timeout=30000)
    sw.x_axis.lo.setValue(1.0)
    sw.x_axis.hi.setValue(0.5)
    sw.start()
    assert "reversed" in sw.status.text()
    sw.close()


def test_mixture_components_can_be_added_and_dragged_on_the_plot(qtbot, window):
    c = window.controls
    c.target.setCurrentIndex(c.target.findData("mixture"))
    c._edit_components(+1)  # the "+ component" button
    qtbot.waitUntil(lambda: window.trainer_state.get("cfg") is not None
                    and len(window.trainer_state["cfg"].mixture_means) == 3, timeout=10000)
    qtbot.waitUntil(lambda: len(window.figure.handles) == 3, timeout=5000)
    band = window.figure.handles[0]
    band.setRegion((-1.5, -0.5))  # drag the first mode to μ = −1 with σ = 0.5
    band.sigRegionChangeFinished.emit(band)
    qtbot.waitUntil(lambda: window.trainer_state["cfg"].mixture_means[0] == -1.0
                    and window.trainer_state["cfg"].mixture_stds[0] == 0.5, timeout=10000)
    assert window.n_modes == 3
    c.mixture.setText("1:0:-0.2")
    c.mixture.editingFinished.emit()
    assert "mixture_stds" in window.statusBar().currentMessage()


def test_side_by_side_runs_two_configs_from_the_same_weights(qtbot, window):
    window.open_compare()
    cw = window.compare_window
    qtbot.addWidget(cw)
    a, b = cw.configs()
    assert (a.g_loss, b.g_loss) == ("non_saturating", "saturating") and a.seed == b.seed
    qtbot.waitUntil(lambda: all(r.step == 0 for r in cw.runs), timeout=30000)
    g0 = [f.last.gz.copy() for f in cw.figures]
    assert np.allclose(g0[0], g0[1])  # the same initial G
    cw.play_btn.click()
    qtbot.waitUntil(lambda: all(r.step > 200 for r in cw.runs), timeout=30000)
    assert not np.allclose(cw.figures[0].last.gz, cw.figures[1].last.gz)  # … trained differently
    cw.value.setText("hinge")
    cw.start()
    assert "not allowed" in cw.status.text()
    cw.close()


def test_a_bad_csv_gives_a_message_and_training_goes_on(qtbot, window, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x\n1.0\nhello\n")
    window.worker.set_knobs(target="empirical", data_path=str(bad), data_column="x")
    qtbot.waitUntil(lambda: "is not a number" in window.statusBar().currentMessage(), timeout=10000)
    window.controls.play_btn.click()
    wait_step(qtbot, window, 30)
    assert window.trainer_state["cfg"].target == "gaussian"  # the old target is kept


def test_presenter_mode_doubles_the_scale_and_hides_the_controls(qtbot, window):
    window.presenter_action.setChecked(True)
    assert window.style.scale == 2.0 and not window.controls_dock.isVisible()
    assert window.font().pointSizeF() == pytest.approx(20.0)
    window.presenter_action.setChecked(False)
    assert window.style.scale == 1.0 and window.controls_dock.isVisible()
