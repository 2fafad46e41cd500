"""`ganviz export`: headless rendering of a run to MP4 / GIF with a terminal progress bar."""

from __future__ import annotations

import os
import re
import sys

from ganviz.cli import TerminalProgress, UsageError
from ganviz.export.video import ExportCancelled, ExportError, check_target


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        raise UsageError(f"--size must look like 1280x720, got '{text}'")
    w, h = int(m.group(1)), int(m.group(2))
    if not (64 <= w <= 3840 and 64 <= h <= 2160):
        raise UsageError(f"--size {w}x{h} is out of range; allowed: 64x64 … 3840x2160")
    return w, h


def run_export(args, build_config) -> int:
    cfg, preset = build_config(args)
    size = parse_size(args.size)
    if not 1 <= args.fps <= 120:
        raise UsageError(f"--fps {args.fps} is out of range; allowed: 1 ≤ fps ≤ 120")
    try:
        check_target(args.out)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ganviz.export.run import default_every, export_run

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (widgets need it)
    steps = cfg.steps
    every = args.every or default_every(steps, args.fps)
    if every < 1:
        raise UsageError(f"--every must be ≥ 1, got {every}")
    bar = TerminalProgress("export ")
    try:
        n = export_run(cfg, args.out, steps, every, fps=args.fps, size=size, caption=not args.no_caption,
                       x_range=preset.view.get("x") if preset else None,
                       schedule=preset.schedule if preset else None,
                       progress=lambda d, t: bar(d, t))
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    except ExportCancelled:
        bar.close()
        print("ganviz: export cancelled; no file written", file=sys.stderr)
        return 130
    bar.close()
    print(f"wrote {args.out}: {n} frames, {size[0]}x{size[1]}, {args.fps} fps, {every} steps per frame")
    return 0
