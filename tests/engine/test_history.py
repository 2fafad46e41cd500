import numpy as np

from ganviz.config import TrainConfig
from ganviz.core.snapshot import take_snapshot
from ganviz.core.trainer import Trainer
from ganviz.engine.history import History


def test_history_stays_under_budget_over_a_100k_step_run():
    t = Trainer(TrainConfig(batch_size=8, g_width=4, d_width=4, g_layers=1, d_layers=1, grid_points=100))
    snap = take_snapshot(t)
    hist = History(t.cfg, budget_bytes=200 * snap.nbytes())
    peak = 0
    for step in range(1, 100_001, 50):  # a snapshot every 50 steps of a 100k-step run
        snap.step = step
        hist.add(_copy(snap, step))
        peak = max(peak, hist.nbytes)
    assert peak <= hist.budget
    steps = hist.steps()
    assert steps[0] == 1 and steps[-1] == 99_951  # the whole arc is kept …
    assert np.all(np.diff(steps) > 0) and np.diff(steps)[-1] == 50  # … dense at the recent end
    assert len(hist) > 100


def test_a_reset_starts_a_new_history_and_a_restart_drops_the_future():
    t = Trainer(TrainConfig(batch_size=8))
    hist = History(t.cfg)
    s = take_snapshot(t)
    for step in (10, 20, 30, 40):
        hist.add(_copy(s, step))
    hist.add(_copy(s, 20))  # restarted from the frame at step 20
    assert hist.steps() == [10, 20]
    assert hist.nbytes == 2 * s.nbytes()
    hist.add(_copy(s, 0))
    assert hist.steps() == [0]


def _copy(snap, step):
    import dataclasses
    return dataclasses.replace(snap, step=step)


def test_a_loop_started_with_a_broken_config_says_so_and_trains_the_default(tmp_path):
    from ganviz.engine.loop import TrainingLoop
    cfg = TrainConfig(target="empirical", data_path=str(tmp_path / "gone.csv"))
    loop = TrainingLoop(cfg)
    events = loop.apply([("state", None)], {})
    kinds = dict(events)
    assert "cannot read CSV" in kinds["failed"] and kinds["trainer"]["cfg"] == TrainConfig()


def test_a_presets_script_runs_at_its_step_and_again_after_reset():
    from ganviz.engine.loop import TrainingLoop
    cfg = TrainConfig(batch_size=32, g_loss="saturating")
    loop = TrainingLoop(cfg)
    loop.apply([("schedule", {30: {"g_loss": "non_saturating"}}), ("play", None)], {})
    messages = []
    while loop.trainer.iteration < 60:
        messages += [v for k, v in loop.advance() if k == "scheduled"]
    assert messages == ["Step 30: g_loss = non_saturating (the preset's script)"]
    assert loop.trainer.cfg.g_loss == "non_saturating"
    loop.apply([("reset", None)], {})
    assert loop.trainer.cfg.g_loss == "saturating" and loop.trainer.iteration == 0
    loop.apply([("play", None)], {})
    while loop.trainer.iteration < 40:
        loop.advance()
    assert loop.trainer.cfg.g_loss == "non_saturating"
