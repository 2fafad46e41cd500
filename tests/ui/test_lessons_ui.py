"""A lesson played in the real window (offscreen, at a projector's 1366 × 768) with the keys a clicker sends, and
a challenge played by turning the real controls."""

import pytest
from PySide6.QtCore import Qt

from ganviz.lessons import list_challenges, load_lesson
from ganviz.presets import load_preset
from ganviz.ui.lesson_view import HIGHLIGHT, esc


@pytest.fixture
def projector(window):
    window.resize(1366, 768)
    return window


def press(qtbot, w, key=Qt.Key.Key_PageDown):
    qtbot.keyClick(w, key)


@pytest.mark.parametrize("name", ["paper", "failures"])
def test_pagedown_walks_the_lesson_from_the_first_scene_to_the_last(qtbot, projector, name):
    w, lesson = projector, load_lesson(name)
    w.open_lesson(lesson)
    player = w.guide
    assert w.presenting and w.tabs.currentWidget() is w.explain_box  # presenter mode, the narration beside
    for i, scene in enumerate(lesson.scenes):
        qtbot.waitUntil(lambda: player.index == i, timeout=5000)
        text = w.explain.text()
        assert esc(scene.title) in text and scene.narration in text, (i, text[:200])
        # the training process runs the scene's knobs (its status says so)
        qtbot.waitUntil(lambda: w.session.status is not None and w.session.config == scene.config, timeout=15_000)
        preset = load_preset(scene.preset) if scene.preset and not scene.continues else None
        if preset is not None and preset.config == scene.config and preset.schedule == scene.schedule:
            assert w.preset_box.currentText() == preset.title
        while player.index == i and i + 1 < len(lesson.scenes):
            press(qtbot, w)
    for _ in range(3):  # the last scene: run it, reveal its answer, then the end
        press(qtbot, w)
    assert player.index == len(lesson.scenes) - 1 and "End of the lesson" in w.header.banner.text()


def test_a_scene_stops_at_its_condition_reveals_its_answer_and_the_next_one_continues_its_run(qtbot, projector):
    """Paper, scenes 9 and 10: the saturating loss stalls (the badge stops the run), the answer is revealed on
    the next key, the non-saturating scene turns G's loss on that very run; Home replays it from its start."""
    w, lesson = projector, load_lesson("paper")
    w.open_lesson(lesson, scene=9)
    player = w.guide
    assert player.stage == "ask" and "Predict first" in w.explain.text() and not w.session.playing
    press(qtbot, w)  # run it
    qtbot.waitUntil(lambda: player.state == "stopped", timeout=30_000)
    qtbot.waitUntil(lambda: not w.session.playing, timeout=5000)
    assert w.diagnosis == "vanishing_gradients" and "Stopped at step" in w.explain.text()
    stopped = w.session.step
    assert "Answer:" not in w.explain.text()
    press(qtbot, w)
    assert "Answer:" in w.explain.text() and esc(lesson.scenes[8].answer) in w.explain.text()
    press(qtbot, w)  # scene 10 continues the same run with the non-saturating loss
    qtbot.waitUntil(lambda: player.index == 9 and player.watch is not None, timeout=10_000)
    assert w.session.config.g_loss == "non_saturating" and player.start_step >= stopped
    assert "G loss" in w.explain.text()  # what the scene turned, named in the pane
    start = player.start_step
    press(qtbot, w)
    qtbot.waitUntil(lambda: player.state == "stopped", timeout=30_000)
    assert w.session.recording.records[-1]["jsd"] < 0.05
    press(qtbot, w, Qt.Key.Key_Home)  # replay: back to the step the scene began at, on the same run
    qtbot.waitUntil(lambda: player.watch is not None and not player._phase, timeout=10_000)
    qtbot.waitUntil(lambda: w.session.step == start, timeout=10_000)
    assert w.session.config.g_loss == "non_saturating" and player.stage == "ask"
    assert player.turned["g_loss"] == ("saturating", "non_saturating")  # not "non_saturating → non_saturating"


def test_the_controls_a_scene_turns_light_up_for_a_moment(qtbot, projector):
    w = projector
    w.open_lesson(load_lesson("paper"), scene=2)  # Figure 1 (b) turns lr G down
    label = w.controls.rows["lr_g"][0]
    assert HIGHLIGHT in label.styleSheet()
    qtbot.waitUntil(lambda: HIGHLIGHT not in label.styleSheet(), timeout=5000)
    assert w.notes_action.isChecked() is False  # one screen: the speaker notes wait for the menu
    w.notes_action.setChecked(True)
    notes = w.guide.notes
    assert notes.isVisible() and "Stops when" in notes.label.text()
    w.notes_action.setChecked(False)


def test_a_challenge_says_when_the_goal_is_met_and_which_change_did_it(qtbot, window):
    w = window
    challenge = next(c for c in list_challenges() if c.name == "fast_nash")
    w.open_challenge(challenge)
    tracker = w.guide
    qtbot.waitUntil(lambda: w.session.config == challenge.config, timeout=10_000)
    assert "Reach Nash equilibrium" in w.explain.text() and "turned 0 of 2" in w.explain.text()
    w.controls.widgets["lr_d"].set_value(0.005)
    w.controls.widgets["lr_d"].value_changed.emit(0.005)
    w.controls.widgets["lr_g"].set_value(0.0005)
    w.controls.widgets["lr_g"].value_changed.emit(0.0005)
    qtbot.waitUntil(lambda: w.session.config.lr_g == 0.0005 and w.session.config.lr_d == 0.005, timeout=10_000)
    assert "turned 2 of 2" in w.explain.text()
    w.session.run_until(800)
    qtbot.waitUntil(lambda: tracker.result != "", timeout=30_000)
    banner = w.header.banner.text()
    assert tracker.result == "met" and "Goal met at step" in banner and "lr G" in banner and "lr D" in banner
    w.controls.widgets["beta1"].setValue(0.5)  # a knob the challenge does not allow, and over the budget
    qtbot.waitUntil(lambda: w.session.config.beta1 == 0.5, timeout=10_000)
    assert "3 knobs turned; the budget is 2" in tracker.problems()


def test_a_stuck_learner_is_offered_the_hint(qtbot, window):
    import dataclasses
    challenge = dataclasses.replace(next(c for c in list_challenges() if c.name == "weak_discriminator"),
                                    hint_after=0.3)
    window.open_challenge(challenge)
    qtbot.waitUntil(lambda: challenge.hint in window.header.banner.text(), timeout=5000)
    assert "Hint:" in window.explain.text()


def test_the_arrows_still_move_the_cursor_in_a_number_field_during_a_lesson(qtbot, projector):
    w = projector
    w.open_lesson(load_lesson("failures"))
    w.set_presenter(False)  # the controls in view
    field = w.controls.widgets["lr_d"].field
    field.setFocus()
    field.setCursorPosition(3)
    qtbot.keyClick(field, Qt.Key.Key_Left)
    assert field.cursorPosition() == 2 and w.guide.index == 0  # the cursor moved, not the lesson
    qtbot.keyClick(field, Qt.Key.Key_PageDown)  # a clicker's key still moves the lesson
    assert w.guide.stage == "run" or w.guide.index == 1
