"""Lesson and challenge files: a broken one is refused with one line that names the file, the scene (number and
title) and the field; the shipped ones load and tell the paper's story in its order; conditions are judged by
the badge record by record."""

import json

import pytest

from ganviz.conditions import Condition, ConditionError, Watch
from ganviz.config import ConfigError
from ganviz.lessons import list_challenges, list_lessons, load_challenge_file, load_lesson_file
from tests.core.test_diagnose import history


def scene(**changes):
    body = {"title": "Warm", "preset": "nash", "stop": {"step": 100}, "promise": {"badge": "equilibrium"},
            "narration": "Watch D."}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def lesson(*scenes, **top):
    return {"title": "Test lesson", "scenes": list(scenes), **top}


def refused(tmp_path, body, loader=load_lesson_file) -> str:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(body) if not isinstance(body, str) else body)
    with pytest.raises(ConfigError) as info:
        loader(path)
    message = str(info.value)
    assert "\n" not in message and len(message) < 300, message
    return message


SECOND = {"title": "Then", "continue": True, "set": {"lr_g": 1e-4}, "stop": {"badge": "converging"}, "narration": "x"}


@pytest.mark.parametrize("body,where,needle", [
    (lesson(scene(narations="typo")), "scene 1 ('Warm')", "'narations' is not a field"),
    (lesson(scene(stop=None)), "scene 1 ('Warm')", "'stop' is missing"),
    (lesson(scene(stop={"badge": "colapse"})), "scene 1 ('Warm')", "'stop' 'badge': 'colapse' is not a badge state"),
    (lesson(scene(stop={"jsd_bellow": 0.1})), "scene 1 ('Warm')", "'stop' unknown clause 'jsd_bellow'"),
    (lesson(scene(stop={"step": -5})), "scene 1 ('Warm')", "'step' must be a whole number"),
    (lesson(scene(set={"lr_d": -1})), "scene 1 ('Warm')", "'set' lr_d=-1.0 is out of range"),
    (lesson(scene(script={"100": {"g_loss": "hinge"}})), "scene 1 ('Warm')", "'script' g_loss='hinge' is not allowed"),
    (lesson(scene(preset="nope")), "scene 1 ('Warm')", "'preset' unknown preset 'nope'"),
    (lesson(scene(config={"lr_d": 0.01})), "scene 1 ('Warm')", "'preset' or 'config'"),
    (lesson(scene(promise=None)), "scene 1 ('Warm')", "'promise' is needed with a stop at a step"),
    (lesson(scene(question="Why?")), "scene 1 ('Warm')", "'answer' comes with"),
    (lesson(scene(within=50)), "scene 1 ('Warm')", "'within' (50) ends the run before its step 100"),
    (lesson(scene(preset=None, title=None, **{"continue": True})), "scene 1:", "'title' must be non-empty text"),
    (lesson(scene(preset=None, **{"continue": True})), "scene 1 ('Warm')", "'continue' cannot be true in the first"),
    (lesson(scene(), dict(SECOND, set={"seed": 3})), "scene 2 ('Then')", "'set' seed starts new networks"),
    (lesson(scene(), dict(SECOND, preset="nash")), "scene 2 ('Then')", "'preset' is not for a scene that continues"),
    (lesson(scene(), dict(SECOND, set={"lr_g": "fast"})), "scene 2 ('Then')", "'set' lr_g must be a number"),
    (lesson(scene(), "not a scene"), "scene 2:", "'scene' must be an object"),
])
def test_a_broken_lesson_names_the_scene_and_the_field_in_one_line(tmp_path, body, where, needle):
    message = refused(tmp_path, body)
    assert message.startswith("lesson 'broken', " + where), message
    assert needle in message, message


@pytest.mark.parametrize("body,needle", [
    (lesson(), "lesson 'broken': 'scenes' must be a list of 1 to 40 scenes"),
    ({"scenes": [scene()]}, "lesson 'broken': 'title' must be non-empty text"),
    ('{"title": "x", "scenes": [', "is not valid JSON"),
    ([scene()], "lesson 'broken' must be a JSON object"),
])
def test_a_broken_lesson_file_is_one_line_too(tmp_path, body, needle):
    assert needle in refused(tmp_path, body)


def challenge(**changes):
    body = {"title": "Faster", "task": "Reach it.", "preset": "nash", "goal": {"badge": "equilibrium"},
            "knobs": ["lr_d", "lr_g"], "budget": 1, "solution": {"set": {"lr_d": 0.01}}}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.mark.parametrize("body,needle", [
    (challenge(solution={"set": {"beta1": 0.5}}), "'solution' turns beta1, which is not one of the challenge's"),
    (challenge(solution={"set": {"lr_d": 0.01, "lr_g": 0.01}}), "'solution' turns 2 knobs; the budget is 1"),
    (challenge(solution={"set": {"lr_d": 0.005}}), "'solution' changes nothing"),
    (challenge(knobs=["lr_d", "steps"]), "'knobs' 'steps' is not a knob with a control"),
    (challenge(budget=3), "'budget' must be a whole number from 1 to 2"),
    (challenge(goal=None), "'goal' is missing"),
    (challenge(goal={"coverage_above": "all"}), "'goal' 'coverage_above' must be a number"),
])
def test_a_broken_challenge_names_the_field(tmp_path, body, needle):
    message = refused(tmp_path, body, load_challenge_file)
    assert message.startswith("challenge 'broken': ") and needle in message, message


def test_the_shipped_lessons_tell_the_papers_story_and_the_failures_each_with_its_rescue():
    lessons = {lesson.name: lesson for lesson in list_lessons()}
    paper, failures = lessons["paper"], lessons["failures"]
    assert paper.title == "Goodfellow et al. 2014 in fifteen minutes"
    titles = [s.title for s in paper.scenes]
    order = ["Figure 1 (a)", "Figure 1 (b)", "Figure 1 (c)", "Figure 1 (d)", "D*", "−log 4", "Nash",
             "too weak", "saturating", "non-saturating"]
    found = [next(i for i, t in enumerate(titles) if key in t) for key in order]
    assert found == sorted(found), titles  # the lecture's order
    assert failures.title == "Why GANs fail and how they are fixed"
    kinds = [s.title.startswith("Rescue") for s in failures.scenes]
    assert kinds == [False, True] * 3  # collapse, oscillation, vanishing: each followed by its rescue
    for one in lessons.values():
        for s in one.scenes:
            assert s.narration and (s.promise is not None or s.stop.step is None), (one.name, s.title)
            assert len(s.narration) <= 260, (one.name, s.title)  # short: it is read from the back of the room
    # a continuing scene turns its knobs on the run as it is: Figure 1 (b) freezes G on (a)'s run
    assert paper.scenes[1].continues and paper.scenes[1].changes == {"lr_g": 1e-6}


def test_the_shipped_challenges_have_a_goal_a_budget_a_hint_and_a_solution_within_it():
    challenges = list_challenges()
    assert len(challenges) >= 6
    for ch in challenges:
        assert ch.hint and ch.explanation and ch.task, ch.name
        assert set(ch.solution) <= set(ch.knobs) and len(ch.solution) <= ch.budget, ch.name
        assert "g_loss" not in ch.knobs or ch.name != "rescue_vanishing"
    titles = " / ".join(c.title for c in challenges)
    for needle in ("collapse onto one mode", "without changing the loss", "under 800 iterations", "too weak"):
        assert needle in titles


def test_the_guides_examples_are_files_that_load(tmp_path):
    """docs/lessons_guide.md's annotated lesson and its challenge are valid files, as printed."""
    import re
    from pathlib import Path
    text = (Path(__file__).parent.parent / "docs" / "lessons_guide.md").read_text(encoding="utf-8")
    lesson_text, challenge_text = re.findall(r"```json\n(.*?)```", text, re.S)[1:3]
    (tmp_path / "example.json").write_text(lesson_text)
    (tmp_path / "challenge.json").write_text(challenge_text)
    example = load_lesson_file(tmp_path / "example.json")
    assert [s.continues for s in example.scenes] == [False, True, False] and example.scenes[0].schedule == {}
    assert load_challenge_file(tmp_path / "challenge.json").budget == 2


def test_a_condition_reads_as_a_sentence_and_refuses_what_it_cannot_judge():
    assert Condition.parse({"badge": "mode_collapse"}).describe() == "the badge says mode collapse"
    assert Condition.parse({"jsd_below": 0.05, "hold": 3}).describe() == "JSD < 0.05 for 3 records in a row"
    assert Condition.parse({"step": 400}).describe() == "400 iterations"
    with pytest.raises(ConditionError, match="needs a step, a badge"):
        Condition.parse({"hold": 2})
    with pytest.raises(ConditionError, match="'badge' must be"):
        Condition.parse({"badge": []})


def test_a_badge_stop_holds_where_the_badge_shows_it_and_not_before_the_scene_began():
    rows = history(jsd=0.3, d_dev=0.2, mode_low=0.02, coverage=0.5, n_modes=2, d_real=0.6, d_fake=0.35, start=10)
    watch = Watch(Condition.parse({"badge": "mode_collapse"}))
    assert watch.feed(rows[:5]) is None  # warming up: the badge has not said it yet
    met = watch.feed(rows)
    assert met is not None and watch.shown == "mode_collapse"
    late = Watch(Condition.parse({"badge": "mode_collapse"}), start=rows[-3]["step"])
    assert late.feed(rows) == rows[-2]["step"]  # only records after the scene's start can stop it
    held = Watch(Condition.parse({"coverage_below": 0.9, "hold": 4}))
    assert held.feed(rows[:3]) is None and held.feed(rows) == rows[3]["step"]
