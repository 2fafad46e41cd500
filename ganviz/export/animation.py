"""Export a run as an animation, from one of two sources:

- **the run you watched**: the recording's frames, in the order they were shown (knob changes and restarts as
  they happened; a frame every ``stride`` recorded frames);
- **re-trained from the config**: a fresh run from the seed (with the preset's script), a frame every
  ``every`` iterations.

Snapshots are collected first, then drawn on one set of axes fitted to all of them (the axes never jump
between frames), then encoded; ffmpeg encodes in its own process while the next frame renders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer
from ganviz.engine.drive import Diverged, Driver
from ganviz.export.frames import PanelsRenderer
from ganviz.export.video import check_video_target, write_animation
from ganviz.draw.axes import fit_all


class ExportDiverged(RuntimeError):
    pass


def default_every(steps: int, fps: int, seconds: float = 10.0) -> int:
    """Iterations per frame for an animation of about ``seconds``."""
    return max(1, math.ceil(steps / (seconds * fps)))


@dataclass
class Request:
    out: str
    fps: int = 30
    size: tuple[int, int] = (1280, 720)
    caption: bool = True
    x_range: tuple[float, float] | None = None
    dark: bool = False
    # re-train from the config:
    config: TrainConfig | None = None
    schedule: dict = field(default_factory=dict)
    steps: int = 0
    every: int = 1
    # or the run you watched:
    frames: list[Snapshot] | None = None


def retrain_snapshots(cfg: TrainConfig, steps: int, every: int, schedule: dict | None = None,
                      extent=None, progress=None, cancel=None) -> list[Snapshot]:
    """A fresh run from the seed: a snapshot every ``every`` iterations (the first at step 0)."""
    driver = Driver(Trainer(cfg), dict(schedule or {}), record_every=every, extent=extent)
    snaps = [driver.snapshot()]
    n = max(1, steps // every)
    while driver.trainer.iteration < steps:
        for e in driver.advance(stop=steps):
            if isinstance(e, Diverged):
                raise ExportDiverged(e.message)
        if driver.trainer.iteration % every == 0 or driver.trainer.iteration == steps:
            snaps.append(driver.snapshot())
            if progress:
                progress(len(snaps) - 1, n)
        if cancel is not None:
            cancel.check()
    return snaps


def export(request: Request, progress: Callable[[str, int, int], None] | None = None, cancel=None) -> int:
    """Write the animation; progress(phase, done, total) with phase "training" or "rendering"."""
    check_video_target(request.out, request.fps)
    if request.frames is not None:
        snaps = [s for s in request.frames if s.x.size]
    else:
        snaps = retrain_snapshots(request.config, request.steps, request.every, request.schedule, request.x_range,
                                  progress=(lambda d, t: progress("training", d, t)) if progress else None,
                                  cancel=cancel)
    if not snaps:
        raise ExportDiverged("nothing to export: the run has no frames yet")
    renderer = PanelsRenderer(*request.size, caption=request.caption, dark=request.dark)
    try:
        renderer.fix_axes(*fit_all(snaps, request.x_range))
        frames = (renderer.render(s) for s in snaps)
        return write_animation(frames, request.out, request.fps, total=len(snaps),
                               progress=(lambda d, t: progress("rendering", d, t)) if progress else None,
                               cancel=cancel)
    finally:
        renderer.close()
