"""Lessons and challenges without a window: every scene played headless as the window plays it, and judged.

``run_lesson`` plays a lesson's scenes in order on one seed: a fresh scene starts new nets from its config with
its script (the Driver's schedule), a continuing scene turns its knobs on the run as it is; each plays until its
stop condition holds (conditions.py ``Watch``: the badge's own logic, record by record) or its ``within`` runs
out. A scene *holds* when its stop was reached and its promise holds there. `ganviz lesson --check` tabulates
that on many seeds (engine/lesson_truth.py), the export renders the same runs (export/lesson_video.py).

``run_challenge`` plays a challenge's start config, with or without its reference solution, until the goal
holds or the run ends: the tests replay every shipped solution on several seeds, and check that doing nothing
does not meet the goal.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Iterator

from ganviz.conditions import Condition, Watch
from ganviz.core.diagnose import LABELS, timeline
from ganviz.engine.drive import Diverged, Driver, Recorded, Scheduled
from ganviz.engine.recording import Recording
from ganviz.lessons import Challenge, Lesson, Scene

@dataclass
class SceneCheck:
    lesson: str
    scene: int
    title: str
    seed: int
    start: int  # the run's step when the scene began
    stop: int  # … and where it stopped
    reached: bool  # the stop condition held (not only the scene's ``within`` ran out)
    headline: str  # the badge there
    holds: bool  # reached, and the promise holds there
    jsd: float
    d_dev: float
    coverage: float
    note: str = ""
    states: str = ""  # the badge during the scene: "converging@300 → at Nash equilibrium@650"
    seconds: float = 0.0


@dataclass
class ChallengeCheck:
    challenge: str
    seed: int
    solved: bool  # the reference solution was applied (False: the start config alone)
    met_at: int | None  # the step where the goal held first
    headline: str
    seconds: float = 0.0

    @property
    def met(self) -> bool:
        return self.met_at is not None


@dataclass
class Played:
    """How one stretch of a run went: where it started and stopped, the badge there, any divergence."""

    start: int
    stop: int
    met_at: int | None
    shown: str
    error: str | None


def play(driver: Driver, recording: Recording, condition: Condition, limit: int, marks: set | None = None,
         on_frame: Callable[[object], None] | None = None, cancel=None) -> Played:
    """Train from where the driver is until ``condition`` holds (judged on the recording's records, the
    badge seeing every record in turn) or the run reaches ``limit``. Records go into ``recording`` at the
    config's record marks, exactly as the window's run makes them; ``marks`` are extra frames for ``on_frame``
    (an export), which never change what the badge sees."""
    t = driver.trainer
    start = t.iteration
    watch = Watch(condition, start)
    watch.feed(recording.records)
    driver.marks = set(marks or ())
    error = None
    for event in driver.run(limit):
        if isinstance(event, Recorded):
            snap = event.snapshots[0]
            if on_frame is not None and event.step in driver.marks:
                on_frame(snap)
            if event.step % t.cfg.record_every == 0 or event.step == limit:
                recording.add_records([snap.record()])
                if watch.feed(recording.records) is not None:
                    break
        elif isinstance(event, Scheduled):
            recording.note(event.step, event.text, "script")
        elif isinstance(event, Diverged):
            error = event.message
        if cancel is not None:
            cancel.check()
    return Played(start, t.iteration, watch.met_at, watch.shown, error)


def fresh(config, schedule: dict, x_range=None) -> tuple[Driver, Recording]:
    """New nets from ``config``'s seed and the run's first record (step 0), as the window's NewRun makes them.
    (The trainer is imported here: reading lesson files never loads torch.)"""
    from ganviz.core.trainer import Trainer

    driver = Driver(Trainer(config), dict(schedule), extent=x_range)
    recording = Recording(config)
    recording.add_records([driver.record().snapshots[0].record()])
    return driver, recording


def scenes_played(lesson: Lesson, seed: int | None = None, frames: int = 0,
                  cancel=None) -> Iterator[tuple[Scene, SceneCheck, list]]:
    """Play every scene in order (``seed`` replaces each fresh scene's seed; None keeps the file's) and yield
    each scene with its check and, when ``frames`` > 0, about that many snapshots spread over the scene's
    ``within`` (the first at its start, the last where it stopped) for an export to draw."""
    driver = recording = None
    for scene in lesson.scenes:
        began = time.perf_counter()
        if scene.continues and driver is not None:
            driver.trainer.set(**scene.changes)
        else:
            config = scene.config if seed is None else scene.config.replace(seed=seed)
            driver, recording = fresh(config, scene.schedule, scene.x_range)
        start = driver.trainer.iteration
        snaps = [driver.snapshot()] if frames else []
        spacing = max(1, -(-scene.within // frames)) if frames else 0
        marks = set(range(start + spacing, start + scene.within + 1, spacing)) if frames else None
        played = play(driver, recording, scene.stop, start + scene.within, marks, snaps.append if frames else None,
                      cancel)
        if frames and snaps[-1].step != played.stop:
            snaps.append(driver.snapshot())  # where it stopped (a record between two frame marks)
        yield scene, _judge(lesson, scene, seed, played, recording, time.perf_counter() - began), snaps


def run_lesson(lesson: Lesson, seed: int | None = None, cancel=None) -> list[SceneCheck]:
    """Every scene of the lesson played and judged on ``seed`` (`ganviz lesson --check`, the tests)."""
    return [check for _, check, _ in scenes_played(lesson, seed, cancel=cancel)]


def _judge(lesson: Lesson, scene: Scene, seed: int | None, played: Played, recording: Recording,
           seconds: float) -> SceneCheck:
    last = recording.records[-1]
    reached = played.met_at is not None and played.error is None
    kept = scene.promise is None or scene.promise.holds(last, played.shown, played.start)
    note = played.error or ("" if reached else f"stop not reached within {scene.within} iterations")
    if reached and not kept:
        note = f"promise not kept: {scene.promise.describe()}"
    return SceneCheck(lesson.name, scene.index, scene.title, -1 if seed is None else seed, played.start,
                      played.stop, reached, played.shown, reached and kept, _f(last.get("jsd")),
                      _f(last.get("d_dev")), _f(last.get("coverage")), note,
                      _states(recording.records, played.start), seconds)


def run_challenge(challenge: Challenge, seed: int, solved: bool, cancel=None) -> ChallengeCheck:
    """The challenge's start config on ``seed``, with its reference solution turned at its step (``solved``) or
    untouched, until the goal holds or the run reaches the challenge's ``within``."""
    began = time.perf_counter()
    config = challenge.config.replace(seed=seed)
    schedule: dict = {}
    if solved and challenge.solution_at == 0:
        config = config.replace(**challenge.solution)
    elif solved:
        schedule = {challenge.solution_at: dict(challenge.solution)}
    driver, recording = fresh(config, schedule, challenge.x_range)
    played = play(driver, recording, challenge.goal, challenge.within, cancel=cancel)
    met = played.met_at if played.error is None else None
    return ChallengeCheck(challenge.name, seed, solved, met, played.shown, time.perf_counter() - began)


def _states(records: list[dict], start: int) -> str:
    """The badge's states from the scene's start on ("converging@300 → at Nash equilibrium@650")."""
    changes = timeline(records)
    before = [h for s, h in changes if s <= start][-1:]
    during = [(s, h) for s, h in changes if s > start]
    parts = [_short(h) + f"@{start}" for h in before] + [f"{_short(h)}@{s}" for s, h in during]
    return " → ".join(parts)


def _short(head: str) -> str:
    return LABELS.get(head, head).split(" —")[0]


def _f(v) -> float:
    return float(v) if isinstance(v, (int, float)) else math.nan
