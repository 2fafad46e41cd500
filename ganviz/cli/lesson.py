"""`ganviz lesson`: list the lessons and challenges; `NAME` opens the app playing it; `NAME --export out.mp4`
renders it with the narration as captions (burned in and as out.srt) and a chapter per scene; `--check`
measures every scene's and challenge's promise on many seeds and can write docs/lessons.md."""

from __future__ import annotations

import argparse
import datetime
import multiprocessing as mp
import os
import platform
import sys

from ganviz.cli.common import TerminalProgress, UsageError, check_range, parse_size
from ganviz.cli.presets import _cpu, parse_seeds
from ganviz.io.atomic import atomic_write_text, check_output

PAGE = """# Lessons and challenges — measured, not typed

A lesson is `resources/lessons/NAME.json` and a challenge `resources/challenges/NAME.json`;
[lessons_guide.md](lessons_guide.md) says how to write one. Each scene of a lesson stops at a condition (a step,
"when the badge says X", "when JSD < y") and *promises* what the class sees there; each challenge has a goal
judged by the same badge and a reference solution.

The tables below are **generated** by `{command}` on {machine}, {date}. Every scene is played headless exactly as
the window plays it — fresh scenes from their seed with their script, continuing scenes on the run the scene
before left, knobs turned at the scene's start — on seeds {seeds} (the columns) and on seeds no tuning looked at
(the "unseen" count). A cell is ✓ when the scene's stop was reached within its iterations and its promise held
there, judged record by record with the badge's hysteresis (core/diagnose.py), and shows the step where it
stopped. A challenge's reference solution must meet the goal; the start config alone must not. `make test`
replays every challenge's solution on 3 seeds (tests/engine/test_challenges.py).

## Lessons

{lessons}

## Challenges

{challenges}

## Every scene, every seed

{detail}
"""


def add_parser(sub) -> None:
    p = sub.add_parser("lesson", help="lessons and challenges: list them, open one in the app, export one as "
                                      "MP4 + SRT with chapters, or --check every promise on many seeds")
    p.add_argument("name", nargs="?", help="a shipped lesson (see `ganviz lesson`) or a lesson file, NAME.json")
    p.add_argument("--export", metavar="LESSON.mp4", help="render the lesson: captions burned in, LESSON.srt "
                                                         "beside it, a chapter per scene")
    p.add_argument("--fps", type=int, default=30, help="frames per second of the export (1–120)")
    p.add_argument("--size", default="1280x720", metavar="WxH", help="the export's size")
    p.add_argument("--seed", type=int, help="train every fresh scene from this seed (default: the file's)")
    p.add_argument("--scene", type=int, default=1, metavar="N", help="the scene to open the lesson at")
    p.add_argument("--screenshot", metavar="PATH.png", help="play the lesson with PageDown from its first scene to "
                                                            "--scene's stop, save the window, exit")
    p.add_argument("--check", action="store_true", help="play every scene and challenge on --seeds and tabulate")
    p.add_argument("--seeds", default="0-9", help="seeds to check, e.g. 0-9 or 0,3,7 (default 0-9)")
    p.add_argument("--unseen", help="more seeds no tuning looked at, counted in their own column (e.g. 10-19)")
    p.add_argument("--write", metavar="PAGE.md", help="write the generated page (docs/lessons.md)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes in parallel")
    p.set_defaults(func=cmd_lesson)


def cmd_lesson(args: argparse.Namespace) -> int:
    from ganviz.lessons import list_challenges, list_lessons

    if args.check:
        return _check(args)
    if args.name is None:
        if args.export or args.screenshot:
            raise UsageError("name the lesson to export or show (see `ganviz lesson`)")
        for lesson in list_lessons():
            print(f"{lesson.name:<18} {lesson.title} — {len(lesson.scenes)} scenes")
        for ch in list_challenges():
            print(f"challenge {ch.name:<18} {ch.title}")
        return 0
    lesson = _load(args.name)
    if args.export:
        return _export(args, lesson)
    check_range("--scene", args.scene, 1, len(lesson.scenes))
    if args.screenshot:
        check_output(args.screenshot, (".png",))
    from ganviz.cli.gui import start_app
    return start_app(lesson=lesson, scene=args.scene, screenshot=args.screenshot, cancel=args.cancel)


def _load(name: str):
    """A shipped lesson by name, or a lesson file by its path (NAME.json: a lecturer's own)."""
    from pathlib import Path

    from ganviz.lessons import load_lesson, load_lesson_file
    return load_lesson_file(Path(name)) if name.endswith(".json") else load_lesson(name)


def _export(args: argparse.Namespace, lesson) -> int:
    from ganviz.cli.common import RunFailed, single_thread_torch
    from ganviz.cli.export import offscreen_app
    from ganviz.export.lesson_video import export_lesson, srt_path
    from ganviz.export.request import ExportDiverged
    from ganviz.export.video import check_video_target

    size = parse_size(args.size)
    check_range("--fps", args.fps, 1, 120)
    check_range("--seed", args.seed, 0, 2**31 - 1)
    if not args.export.lower().endswith(".mp4"):
        raise UsageError(f"--export must name an .mp4 file (the captions go to an .srt beside it), got "
                         f"'{args.export}'")
    check_video_target(args.export, args.fps)
    check_output(srt_path(args.export), (".srt",))
    single_thread_torch()
    app = offscreen_app()  # noqa: F841
    bar = TerminalProgress("lesson ")
    try:
        done = export_lesson(lesson, args.export, args.fps, size, args.seed,
                             progress=lambda d, t, text: bar(d, t, text), cancel=args.cancel)
    except ExportDiverged as exc:
        raise RunFailed(f"{exc}; nothing written") from None
    finally:
        bar.close()
    print(f"wrote {args.export} and {srt_path(args.export)}: {done.frames} frames, {done.seconds:.0f} s, "
          f"{len(lesson.scenes)} chapters")
    return 0


def _job(job):
    import torch
    torch.set_num_threads(1)
    from ganviz.engine.lesson_run import run_challenge, run_lesson
    from ganviz.lessons import load_challenge, load_lesson

    kind, name, seed, solved = job
    if kind == "lesson":
        return run_lesson(load_lesson(name), seed)
    return [run_challenge(load_challenge(name), seed, solved)]


def _check(args: argparse.Namespace) -> int:
    from ganviz.engine.lesson_truth import challenge_table, lesson_detail, lesson_table
    from ganviz.lessons import list_challenges, list_lessons

    lessons, challenges = list_lessons(), list_challenges()
    if args.name:
        lessons = [lesson for lesson in lessons if lesson.name == args.name]
        challenges = [c for c in challenges if c.name == args.name]
        if not lessons and not challenges:
            raise UsageError(f"unknown lesson or challenge '{args.name}'")
    seeds = parse_seeds(args.seeds)
    unseen = [s for s in parse_seeds(args.unseen) if s not in seeds] if args.unseen else []
    out = check_output(args.write, (".md",)) if args.write else None
    jobs = ([("lesson", lesson.name, s, False) for lesson in lessons for s in seeds + unseen]
            + [("challenge", c.name, s, solved) for c in challenges for s in seeds + unseen
               for solved in (True, False)])
    bar = TerminalProgress("lessons ")
    results = []
    with mp.get_context("spawn").Pool(max(1, args.jobs)) as pool:
        for i, r in enumerate(pool.imap(_job, jobs), start=1):
            args.cancel.check()
            results += r
            bar(i, len(jobs), f"{jobs[i - 1][1]} seed {jobs[i - 1][2]}")
    bar.close()
    scenes = [r for r in results if hasattr(r, "scene")]
    solved = [r for r in results if hasattr(r, "challenge")]
    text_l = lesson_table(lessons, scenes, seeds, unseen)
    text_c = challenge_table(challenges, solved, seeds, unseen)
    print(text_l + "\n\n" + text_c)
    if out:
        command = ("ganviz lesson --check --seeds " + args.seeds + (f" --unseen {args.unseen}" if unseen else "")
                   + f" --jobs {args.jobs} --write " + args.write)
        machine = _cpu() or f"{platform.machine()}, {os.cpu_count()} cores"
        atomic_write_text(out, PAGE.format(command=command, machine=machine, seeds=args.seeds,
                                           date=datetime.date.today().isoformat(), lessons=text_l,
                                           challenges=text_c, detail=lesson_detail(scenes)), cancel=args.cancel)
        print(f"wrote {out}", file=sys.stderr)
    return 0
