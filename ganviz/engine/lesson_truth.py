"""The lessons' and challenges' promises as measured tables (docs/lessons.md), never typed.

Every scene is played headless exactly as the window plays it (engine/lesson_run.py) on many seeds; a cell
says whether the scene held — its stop was reached and its promise held there — and at which step it stopped.
Every challenge is played from its start config with its reference solution and without any change: the
solution must meet the goal, doing nothing must not. `ganviz lesson --check` runs it; `make truth` writes the
page.
"""

from __future__ import annotations

import numpy as np

from ganviz.config import format_value
from ganviz.engine.lesson_run import ChallengeCheck, SceneCheck
from ganviz.lessons import Challenge, Lesson


def _span(seeds) -> str:
    seeds = list(seeds)
    if not seeds:
        return ""
    return f"{seeds[0]}–{seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else ", ".join(map(str, seeds))


def _md(text: str) -> str:
    """Text for a Markdown table cell ("mean |D − ½|" must not split the row)."""
    return text.replace("|", "\\|")


def _changes(changes: dict) -> str:
    return ", ".join(f"{k} = {format_value(k, v)}" for k, v in changes.items())


def _cell(c: SceneCheck | None) -> str:
    if c is None:
        return ""
    return ("✓ " if c.holds else "✗ ") + str(c.stop)


def lesson_table(lessons: list[Lesson], checks: list[SceneCheck], seeds: list[int], unseen: list[int] = ()) -> str:
    """One row per scene: the stop step per seed (✓ held, ✗ not), the count that held on the tuned seeds and on
    the unseen ones, and the median number of iterations the scene played."""
    by = {(c.lesson, c.scene, c.seed): c for c in checks}
    extra = f" | holds (unseen {_span(unseen)})" if unseen else ""
    lines = ["| lesson | scene | stops when | promises there | " + " | ".join(f"seed {s}" for s in seeds)
             + f" | holds{extra} | median iterations |", "|" + " --- |" * (len(seeds) + 6 + bool(unseen))]
    for lesson in lessons:
        for scene in lesson.scenes:
            row = [by.get((lesson.name, scene.index, s)) for s in seeds]
            held = sum(1 for s in seeds if _holds(by, lesson.name, scene.index, s))
            more = (f" | **{sum(1 for s in unseen if _holds(by, lesson.name, scene.index, s))}/{len(unseen)}**"
                    if unseen else "")
            played = [c.stop - c.start for c in checks if c.lesson == lesson.name and c.scene == scene.index]
            promise = scene.promise.describe() if scene.promise else "(the stop itself)"
            how = (("continues: " + _changes(scene.changes) if scene.changes else "continues the run")
                   if scene.continues else (scene.preset or "config")
                   + (" with " + _changes(scene.changes) if scene.changes else ""))
            lines.append(f"| `{lesson.name}` | {scene.index}. {_md(scene.title)} ({how}) | "
                         f"{_md(scene.stop.describe())} | {_md(promise)} | " + " | ".join(_cell(c) for c in row)
                         + f" | **{held}/{len(seeds)}**{more} | {np.median(played) if played else 0:.0f} |")
    return "\n".join(lines)


def _holds(by: dict, lesson: str, scene: int, seed: int) -> bool:
    c = by.get((lesson, scene, seed))
    return c is not None and c.holds


def challenge_table(challenges: list[Challenge], checks: list[ChallengeCheck], seeds: list[int],
                    unseen: list[int] = ()) -> str:
    """One row per challenge: how often the reference solution meets the goal (tuned and unseen seeds), how
    often the start config alone does (it must not), and the median step the goal was met at."""
    extra = f" | solution meets it (unseen {_span(unseen)})" if unseen else ""
    lines = ["| challenge | goal | knobs (budget) | reference solution | solution meets it (seeds "
             f"{_span(seeds)}){extra} | start alone meets it | median step met |", "|" + " --- |" * (7 + bool(unseen))]
    for ch in challenges:
        mine = [c for c in checks if c.challenge == ch.name]

        def count(solved: bool, seeds_) -> int:
            return sum(1 for c in mine if c.solved == solved and c.seed in seeds_ and c.met)

        steps = [c.met_at for c in mine if c.solved and c.met]
        solution = _changes(ch.solution) + (f" at step {ch.solution_at}" if ch.solution_at else "")
        alone = sum(1 for c in mine if not c.solved)
        more = f" | **{count(True, unseen)}/{len(unseen)}**" if unseen else ""
        lines.append(f"| `{ch.name}` {_md(ch.title)} | {_md(ch.goal.describe())} by step {ch.within} | "
                     f"{len(ch.knobs)} knobs ({ch.budget}) | {solution} | "
                     f"**{count(True, seeds)}/{len(seeds)}**{more} | {count(False, seeds + list(unseen))}/{alone} | "
                     f"{np.median(steps) if steps else float('nan'):.0f} |")
    return "\n".join(lines)


def lesson_detail(checks: list[SceneCheck]) -> str:
    lines = ["| lesson | scene | seed | steps | badge there | holds | JSD | d_dev | coverage | note | the badge during "
             "the scene |", "|" + " --- |" * 11]
    for c in checks:
        lines.append(f"| `{c.lesson}` | {c.scene} | {c.seed} | {c.start}→{c.stop} | {c.headline} | "
                     f"{'✓' if c.holds else '✗'} | {c.jsd:.4f} | {c.d_dev:.4f} | {c.coverage:.2f} | "
                     f"{_md(c.note)} | {_md(c.states)} |")
    return "\n".join(lines)
