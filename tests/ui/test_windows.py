"""Export in the background, the sweep lab and side by side, driven through their real widgets."""

import time

from PySide6.QtCore import QTimer

from tests.ui.conftest import wait_step


def test_export_runs_in_the_background_and_the_window_stays_responsive(qtbot, window, tmp_path):
    w = window
    w.session.run_until(120)
    wait_step(qtbot, w, 120)
    w.open_export()
    dialog = w.export_dialog
    out = tmp_path / "watched.gif"
    dialog.path.setText(str(out))
    dialog.fps.setValue(20)
    dialog.size.setCurrentIndex(3)
    assert dialog.watched.isChecked()
    late, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        late.append((now - last[0]) * 1000 - 10)
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    dialog.start()
    qtbot.waitUntil(lambda: "Exported" in w.statusBar().currentMessage(), timeout=90_000)
    timer.stop()
    assert out.exists()
    late.sort()
    assert late[len(late) // 2] < 50  # the event loop kept turning (median lateness of a 10 ms timer)


def test_cancel_stops_the_export_and_leaves_no_file(qtbot, window, tmp_path):
    w = window
    w.open_export()
    dialog = w.export_dialog
    dialog.retrain.setChecked(True)
    dialog.steps.setValue(20000)
    dialog.every.setValue(10)
    out = tmp_path / "long.mp4"
    dialog.path.setText(str(out))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=60_000)
    dialog.cancel()
    qtbot.waitUntil(lambda: "cancelled" in w.statusBar().currentMessage(), timeout=10_000)
    time.sleep(0.5)
    assert list(tmp_path.iterdir()) == []


def test_the_sweep_lab_trains_in_the_background_and_a_click_opens_the_cell(qtbot, window):
    w = window
    w.open_sweep()
    sw = w.sweep_window
    sw.x_axis.n.setValue(2)
    sw.y_axis.n.setValue(2)
    sw.steps.setValue(40)
    sw.start()
    qtbot.waitUntil(lambda: sw.result is not None and sw.result["steps"] >= 40, timeout=60_000)
    screen = sw.screen().availableGeometry()
    assert screen.contains(sw.frameGeometry().topLeft())
    sw.open_cell(1, 1)
    qtbot.waitUntil(lambda: abs(w.session.config.lr_d - sw.result["axes"]["x"]["values"][1]) < 1e-12, timeout=10_000)
    assert "sweep" in w.statusBar().currentMessage()
    sw.close()


def test_side_by_side_runs_in_lockstep_with_a_badge_each(qtbot, window):
    w = window
    w.open_compare()
    cw = w.compare_window
    qtbot.waitUntil(lambda: all(s.status is not None for s in cw.sessions), timeout=60_000)
    cw.toggle()
    qtbot.waitUntil(lambda: min(s.step for s in cw.sessions) >= 100, timeout=60_000)
    cw.toggle()
    qtbot.waitUntil(lambda: not any(s.playing for s in cw.sessions), timeout=10_000)
    a, b = (s.step for s in cw.sessions)
    assert abs(a - b) <= 25
    assert all(badge.text().strip() for badge in cw.badges)
    xa, xb = (f.panel.plot.vb.viewRange()[0] for f in cw.figures)
    assert xa == xb
    cw.close()


def test_a_finished_sweep_says_done_not_failed(qtbot, window):
    w = window
    w.open_sweep()
    sw = w.sweep_window
    sw.x_axis.n.setValue(2)
    sw.y_axis.n.setValue(2)
    sw.steps.setValue(30)
    sw.start()
    qtbot.waitUntil(lambda: "done" in sw.status.text() or "failed" in sw.status.text(), timeout=60_000)
    time.sleep(0.3)
    QTimer.singleShot(0, lambda: None)
    qtbot.wait(300)
    assert "done" in sw.status.text() and "failed" not in sw.status.text()
    w.open_sweep()  # opened again: the same grid and settings
    assert w.sweep_window is sw and sw.result is not None and sw.steps.value() == 30


def test_closing_the_window_during_an_export_cancels_it_and_ends_every_process(qtbot, window, tmp_path):
    w = window
    w.open_export()
    dialog = w.export_dialog
    dialog.retrain.setChecked(True)
    dialog.steps.setValue(20000)
    dialog.every.setValue(10)
    dialog.path.setText(str(tmp_path / "long.mp4"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=60_000)
    export_proc = dialog.bridge.pump.proc
    train_proc = w.session.bridge.pump.proc
    w.close()
    qtbot.waitUntil(lambda: not export_proc.is_alive() and not train_proc.is_alive(), timeout=15_000)
    time.sleep(0.3)
    assert list(tmp_path.iterdir()) == []
