"""The live loop without a window: messages in, messages out (the way Orange tests MDS without a widget)."""

import time

import pytest

from ganviz.engine import messages as live
from ganviz.engine.live import LiveLoop


def run_for(loop, seconds: float, take_frames: bool = True) -> list:
    out, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end:
        loop.tick()
        batch = loop.take()
        out += batch
        if take_frames and any(isinstance(m, live.Frame) for m in batch):
            loop.handle(live.FrameTaken())
        time.sleep(max(0.0, min(loop.idle_seconds(), 0.01)))
    return out


def of(kind, messages):
    return [m for m in messages if isinstance(m, kind)]


@pytest.fixture
def loop(fast_cfg):
    lp = LiveLoop(fast_cfg.replace(record_every=20))
    lp.take()
    lp.handle(live.FrameTaken())  # the window drew the first frame
    return lp


def test_a_new_loop_is_paused_at_step_zero_with_a_frame(fast_cfg):
    lp = LiveLoop(fast_cfg)
    out = lp.take()
    assert of(live.Frame, out)[0].snapshot.step == 0
    assert of(live.Status, out)[-1].playing is False
    assert of(live.Records, out)[0].rows[0]["step"] == 0


def test_play_trains_and_sends_frames_and_records_pause_stops(loop):
    loop.handle(live.Play())
    out = run_for(loop, 0.6)
    frames, records = of(live.Frame, out), [r for m in of(live.Records, out) for r in m.rows]
    assert len(frames) >= 3 and records and all(r["step"] % 20 == 0 for r in records)
    loop.handle(live.Pause())
    step = loop.trainer.iteration
    run_for(loop, 0.2)
    assert loop.trainer.iteration == step


def test_no_new_frame_until_the_window_took_the_last_one(loop):
    loop.handle(live.Play())
    out = run_for(loop, 0.4, take_frames=False)
    assert len(of(live.Frame, out)) == 1  # throttled at both ends


def test_knob_changes_reach_the_trainer_between_steps(loop):
    loop.handle(live.SetKnobs({"lr_d": 0.01, "d_steps": 3}))
    out = loop.take()
    assert of(live.Status, out)[-1].config.lr_d == 0.01 and loop.trainer.k == [3]
    assert any("lr D" in n.text or "lr_d" in n.text for n in of(live.Notice, out))


def test_a_refused_knob_change_says_why_and_keeps_the_old_value(loop, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("v\n1\nx\n")
    loop.handle(live.SetKnobs({"target": "empirical", "data_path": str(bad), "data_column": "v"}))
    out = loop.take()
    assert of(live.Notice, out)[0].level == "error" and "not a number" in of(live.Notice, out)[0].text
    assert of(live.Status, out)[-1].config.target == "gaussian"


def test_single_steps_move_one_player(loop):
    loop.handle(live.StepOnce("D"))
    loop.handle(live.StepOnce("G"))
    loop.handle(live.StepOnce("iteration"))
    t = loop.trainer
    assert (t.d_updates, t.g_updates, t.iteration) == (2, 2, 1)
    frames = of(live.Frame, loop.take())
    assert [f.snapshot.player for f in frames] == ["D", "G", "G"]


def test_a_new_run_carries_its_epoch_and_starts_at_zero(loop, fast_cfg):
    loop.handle(live.Play())
    run_for(loop, 0.2)
    loop.handle(live.NewRun(7, fast_cfg.replace(target_mean=-3.0)))
    out = loop.take()
    assert all(m.epoch == 7 for m in out if hasattr(m, "epoch"))
    assert of(live.Frame, out)[0].snapshot.step == 0 and not loop.playing


def test_reset_replays_the_script_with_todays_knobs(fast_cfg):
    lp = LiveLoop(fast_cfg)
    lp.handle(live.NewRun(1, fast_cfg, {30: {"g_loss": "saturating"}}))
    lp.handle(live.RunUntil(40))
    lp.handle(live.Play())
    run_for(lp, 1.5)
    assert lp.trainer.cfg.g_loss == "saturating"
    lp.handle(live.SetKnobs({"lr_g": 0.002}))
    lp.handle(live.Reset(2))
    assert lp.trainer.iteration == 0 and lp.trainer.cfg.lr_g == 0.002
    assert lp.trainer.cfg.g_loss == "non_saturating" and 30 in lp.driver.schedule


def test_run_until_stops_exactly_there(loop):
    loop.handle(live.RunUntil(55))
    loop.handle(live.Play())
    run_for(loop, 1.5)
    assert loop.trainer.iteration == 55 and not loop.playing


def test_restart_from_a_frame_continues_from_the_state_the_loop_kept(loop):
    """Frames carry only what the screen shows; the loop keeps the trainer's state and restarts from it."""
    loop.handle(live.RunUntil(40))
    loop.handle(live.Play())
    run_for(loop, 1.0)
    at_40 = loop.trainer.g_params.detach().clone()
    loop.handle(live.RunUntil(80))
    loop.handle(live.Play())
    out = run_for(loop, 1.0)
    at_80 = loop.trainer.g_params.detach().clone()
    assert all(not hasattr(f.snapshot, "state") for f in of(live.Frame, out))
    loop.handle(live.Restart(3, 40))
    out = loop.take()
    assert of(live.Restarted, out)[0].step == 40
    assert loop.trainer.iteration == 40 and all(m.epoch == 3 for m in out if hasattr(m, "epoch"))
    assert (loop.trainer.g_params.detach() == at_40).all()
    loop.handle(live.RunUntil(80))
    loop.handle(live.Play())
    run_for(loop, 1.0)
    assert (loop.trainer.g_params.detach() == at_80).all()  # the same weights, optimizer and random stream


def test_a_single_step_past_a_scripted_step_applies_the_script(fast_cfg):
    """The Driver is the only way the trainer moves: "." runs the preset's script like playing does."""
    lp = LiveLoop(fast_cfg)
    lp.handle(live.NewRun(1, fast_cfg, schedule={2: {"g_loss": "saturating"}}))
    lp.take()
    for _ in range(3):
        lp.handle(live.StepOnce("iteration"))
    out = lp.take()
    assert lp.trainer.cfg.g_loss == "saturating"
    assert any(n.level == "script" for n in of(live.Notice, out))


def test_single_steps_reach_a_record_mark(fast_cfg):
    lp = LiveLoop(fast_cfg.replace(record_every=3))
    lp.take()
    for _ in range(3):
        lp.handle(live.StepOnce("iteration"))
    rows = [r for m in of(live.Records, lp.take()) for r in m.rows]
    assert [r["step"] for r in rows] == [3]


def test_the_speed_cap_is_kept(loop):
    loop.handle(live.SetSpeed(40))
    loop.handle(live.Play())
    start = loop.trainer.iteration
    run_for(loop, 1.0)
    assert 28 <= loop.trainer.iteration - start <= 46  # 40 / s, give or take the slice boundaries


def test_slow_motion_goes_update_by_update_and_names_the_player(loop):
    loop.handle(live.SetSpeed(4))
    loop.handle(live.Play())
    out = run_for(loop, 1.1)
    players = [f.snapshot.player for f in of(live.Frame, out)]
    assert "D" in players and "G" in players
    assert 3 <= loop.trainer.d_updates + loop.trainer.g_updates <= 12  # 4 iterations/s = 8 updates/s


def test_divergence_pauses_with_a_message(fast_cfg):
    lp = LiveLoop(fast_cfg.replace(optimizer="sgd", lr_d=10.0, lr_g=10.0, momentum=0.99, record_every=5))
    lp.take()
    lp.handle(live.Play())
    out = run_for(lp, 3.0)
    failed = of(live.Failed, out)
    assert failed and "diverged" in failed[0].message and not lp.playing


def test_a_refused_restart_answers_under_the_window_s_new_epoch_and_the_run_goes_on(loop):
    """The window moved to a new epoch when it asked; a refusal sent under the old one would be dropped, and
    every frame after it too: the window would fall silent."""
    loop.handle(live.RunUntil(40))
    loop.handle(live.Play())
    run_for(loop, 1.0)
    loop.handle(live.SetKnobs({"g_width": 8}))  # new nets: the states kept before no longer fit
    loop.take()
    loop.handle(live.Restart(7, 20))
    out = loop.take()
    notices = [n for n in of(live.Notice, out) if n.level == "error"]
    assert notices and "cannot restart" in notices[0].text
    assert not of(live.Restarted, out)
    assert all(m.epoch == 7 for m in out if hasattr(m, "epoch"))
    assert of(live.Frame, out) and of(live.Status, out)  # the run on screen goes on


@pytest.mark.parametrize("knobs,needle", [({"target": "ring", "noise_dim": 2}, "2-D target"),
                                          ({"g_loss": "wasserstein_gp"}, "critic")])
def test_the_four_panels_are_refused_where_there_is_no_d_star_and_the_run_goes_on(fast_cfg, knobs, needle):
    """Ctrl+1 on a run in the plane once killed the training process; a critic looped without a word."""
    lp = LiveLoop(fast_cfg.replace(record_every=20, **knobs))
    lp.take()
    lp.handle(live.FrameTaken())
    lp.handle(live.RunUntil(40))
    lp.handle(live.Play())
    run_for(lp, 1.0)
    lp.handle(live.TellStory(lp.epoch))
    out = lp.take()
    notices = [n.text for n in of(live.Notice, out) if n.level == "error"]
    assert notices and needle in notices[0] and not of(live.StoryTold, out)
    lp.handle(live.RunUntil(80))
    lp.handle(live.Play())
    assert of(live.Frame, run_for(lp, 1.0))  # still training


def test_the_four_panels_of_a_live_run_make_g_move_in_panel_c(loop):
    loop.handle(live.RunUntil(200))
    loop.handle(live.Play())
    run_for(loop, 3.0)
    loop.handle(live.TellStory(loop.epoch))
    told = of(live.StoryTold, loop.take())
    assert told
    b, c = told[0].snapshots[1:3]
    assert not (b.gz == c.gz).all()  # (c) is not (b) again
    assert "G update" in told[0].notes[2] and not told[0].notes[2].startswith("0 ")
