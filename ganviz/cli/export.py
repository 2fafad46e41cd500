"""`ganviz export`: render a run to MP4 / GIF headless; `ganviz figure`: the four panels (a)–(d)."""

from __future__ import annotations

import argparse
import os
import sys

from ganviz.cli.common import (RunFailed, TerminalProgress, UsageError, add_config_args, build_config, check_range,
                               parse_size, single_thread_torch)
from ganviz.config import PLANE_TARGETS, four_panels_refusal
from ganviz.io.limits import clip


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="render a run to MP4 / GIF (re-trained from the config)")
    add_config_args(p)
    p.add_argument("--out", required=True, metavar="run.mp4|run.gif")
    p.add_argument("--fps", type=int, default=30, help="frames per second (1–120; a GIF at most 50)")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--every", type=int, metavar="M", help="training iterations per frame (default: ~10 s of video)")
    p.add_argument("--no-caption", action="store_true", help="leave out the step / loss / JSD caption")
    p.set_defaults(func=cmd_export)


def offscreen_app():
    """A QApplication for offscreen rendering, with Qt's harmless plugin chatter kept off stderr."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ganviz.draw.style import quiet_qt_messages
    quiet_qt_messages()
    return QApplication.instance() or QApplication(sys.argv[:1])


def cmd_export(args: argparse.Namespace) -> int:
    from ganviz.export.animation import export
    from ganviz.export.request import AnimationRequest, ExportDiverged, default_every
    from ganviz.export.video import check_video_target

    single_thread_torch()
    cfg, preset = build_config(args)
    size = parse_size(args.size)
    check_range("--fps", args.fps, 1, 120)
    check_range("--every", args.every, 1, 10_000_000)
    check_video_target(args.out, args.fps)
    every = args.every or default_every(cfg.steps, args.fps)
    app = offscreen_app()  # noqa: F841
    bar = TerminalProgress("export ")
    request = AnimationRequest(out=args.out, fps=args.fps, size=size, caption=not args.no_caption, config=cfg,
                      schedule=preset.schedule if preset else {}, steps=cfg.steps, every=every,
                      x_range=preset.x_range if preset else None)
    try:
        n = export(request, progress=lambda phase, d, t: bar(d, t, phase), cancel=args.cancel)
    except ExportDiverged as exc:
        raise RunFailed(f"{exc}; nothing written") from None
    finally:
        bar.close()
    print(f"wrote {args.out}: {n} frames, {size[0]}x{size[1]}, {args.fps} fps, {every} steps per frame")
    return 0


def add_figure_parser(sub) -> None:
    p = sub.add_parser("figure", help="the paper's Figure 1 as four panels (a)-(d) from your own run: (a) near "
                       "convergence, (b) D trained alone to D*, (c) G's updates, (d) the end (1-D targets only: the figure "
                       "is the paper's, on a line; a 2-D run exports with `ganviz export`)")
    add_config_args(p)
    p.add_argument("--out", required=True, metavar="fig.png|fig.svg|fig.pdf")
    p.add_argument("--at", metavar="S1,S2,S3,S4", help="plain snapshots at these four steps instead of the story")
    p.add_argument("--size", default="2400x720", metavar="WxH")
    p.set_defaults(func=cmd_figure)


def parse_at(text: str, steps: int) -> list[int]:
    """``--at S1,S2,S3,S4``: four increasing steps within the run (a step past ``steps`` would silently train
    that far — 100 000 steps for a run of 50)."""
    try:
        at = [int(v) for v in text.split(",")]
    except ValueError:
        raise UsageError(f"--at must be four step numbers like 0,200,800,3000, got '{clip(text)}'") from None
    if len(at) != 4 or any(s < 0 for s in at):
        raise UsageError(f"--at must be four step numbers from 0 to {steps}, got '{clip(text)}'")
    if any(b <= a for a, b in zip(at, at[1:])):
        raise UsageError(f"--at steps must increase from panel (a) to (d), got '{clip(text)}'")
    if at[-1] > steps:
        raise UsageError(f"--at step {at[-1]} is beyond the run's {steps} steps (raise --steps or lower --at)")
    return at


def cmd_figure(args: argparse.Namespace) -> int:
    from ganviz.export.figure1 import SUFFIXES, figure1
    from ganviz.export.request import ExportDiverged
    from ganviz.io.atomic import check_output

    single_thread_torch()
    cfg, preset = build_config(args)
    if cfg.target in PLANE_TARGETS:
        raise UsageError(f"the four-panel figure is the paper's 1-D Figure 1; '{cfg.target}' is a 2-D target "
                         "(export its animation or a frame with `ganviz export`)")
    refusal = four_panels_refusal(cfg)
    if refusal and args.at is None:  # a critic: no D* for panel (b); plain snapshots are still a figure
        raise UsageError(refusal.replace("(save the frame with Ctrl+S)", "(plain snapshots: --at S1,S2,S3,S4)"))
    size = parse_size(args.size)
    check_output(args.out, SUFFIXES)
    at = parse_at(args.at, cfg.steps) if args.at else None
    app = offscreen_app()  # noqa: F841
    try:
        steps = figure1(cfg, args.out, at, preset.schedule if preset else None, size,
                        preset.x_range if preset else None, cancel=args.cancel)
    except ExportDiverged as exc:
        raise RunFailed(f"{exc}; nothing written") from None
    print(f"wrote {args.out}: " + "; ".join(f"{letter} {what}" for letter, what in zip("abcd", steps)))
    return 0
