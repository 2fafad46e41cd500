import math

import numpy as np

from ganviz.core.trainer import Trainer
from ganviz.engine.drive import Driver, Recorded, Scheduled
from ganviz.engine.headless import run_headless
from ganviz.engine.recording import Recording


def test_records_come_at_every_mark_and_the_schedule_at_its_step(fast_cfg):
    driver = Driver(Trainer(fast_cfg), {120: {"g_loss": "saturating"}}, record_every=50)
    events = list(driver.run(200))
    steps = [e.step for e in events if isinstance(e, Recorded)]
    assert steps == [50, 100, 150, 200]
    (scheduled,) = [e for e in events if isinstance(e, Scheduled)]
    assert scheduled.step == 120 and driver.trainer.cfg.g_loss == "saturating"


def test_a_diverging_single_run_stops_with_a_message(fast_cfg):
    cfg = fast_cfg.replace(optimizer="sgd", lr_d=10.0, lr_g=10.0, momentum=0.99, record_every=10)
    run = run_headless(cfg, steps=2000)
    assert run.error and "diverged at step" in run.error
    assert run.records[-1]["step"] < 2000


def test_restart_keeps_the_earlier_records_and_drops_the_abandoned_future(fast_cfg):
    rec = Recording(fast_cfg)
    rec.add_records([{"step": s, "jsd": 0.1} for s in range(0, 501, 50)])
    rec.restart(200)
    assert [r["step"] for r in rec.records] == [0, 50, 100, 150, 200]
    rec.add_records([{"step": 250, "jsd": 0.2}])
    assert rec.records[-1]["jsd"] == 0.2 and len(rec.records) == 6
    assert rec.notes[-1].kind == "restart"


def test_the_timeline_shows_the_current_line_and_export_the_watched_order(fast_cfg):
    driver = Driver(Trainer(fast_cfg), record_every=50)
    rec = Recording(fast_cfg)
    snaps = []
    for _ in range(4):
        driver.advance(max_iterations=50)
        snaps.append(driver.snapshot())
        rec.add_frame(snaps[-1])
    rec.restart(100)
    rec.add_frame(snaps[2])  # training goes on from 100 (the frame at 150 shown again)
    assert [s.step for s in rec.timeline()] == [50, 100, 150]
    assert [s.step for s in rec.watched()] == [50, 100, 150, 200, 150]


def test_frames_stay_within_the_byte_budget_keeping_the_whole_arc(fast_cfg):
    driver = Driver(Trainer(fast_cfg), record_every=10)
    snap = driver.snapshot()
    rec = Recording(fast_cfg, budget_bytes=40 * snap.nbytes())
    for step in range(300):
        snap.step = step
        rec.add_frame(Driver.__new__(Driver) and _copy(snap, step))
    assert rec.nbytes <= 40 * snap.nbytes() + snap.nbytes()
    steps = [s.step for s in rec.frames]
    assert steps[0] == 0 and steps[-1] == 299 and len(steps) < 60


def _copy(snap, step):
    import copy
    s = copy.copy(snap)
    s.step = step
    return s


def test_a_metric_column_follows_the_records_and_a_restart(fast_cfg):
    rec = Recording(fast_cfg)
    rec.add_records([{"step": s, "jsd": s / 100} for s in range(0, 301, 50)])
    assert np.allclose(rec.column("jsd"), [0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    rec.restart(100)
    rec.add_records([{"step": 150, "jsd": math.nan}])
    col = rec.column("jsd")
    assert col.size == 4 and np.isnan(col[-1])


def test_the_headless_summary_has_the_contract_keys(fast_cfg):
    s = run_headless(fast_cfg).summary()
    for key in ("steps", "jsd", "d_dev", "mode_coverage", "steps_per_second", "diagnosis", "headline"):
        assert key in s
    assert s["steps"] == 200


def test_the_cells_cover_every_range_the_run_showed_without_growing_without_bound(fast_cfg):
    driver = Driver(Trainer(fast_cfg.replace(target_mean=4.0)), record_every=50)
    first = driver.snapshot()
    for _ in range(40):
        driver.advance(max_iterations=5)
        snap = driver.snapshot()
    assert snap.x.min() <= first.extent[0] and snap.x.max() >= first.extent[1]  # the early range stays drawn
    span = snap.x.max() - snap.x.min()
    assert span < 4 * (first.extent[1] - first.extent[0]) + 10  # and it does not run away frame by frame
