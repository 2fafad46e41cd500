"""Export a run as an animation, from one of two sources:

- **the run you watched**: the recording's frames, in the order they were shown (knob changes and restarts as
  they happened);
- **re-trained from the config**: a fresh run from the seed (with the preset's script), a frame every
  ``every`` iterations — the Driver records at those marks, so the frames are the run's own records.

Snapshots are collected first, then drawn on one set of axes fitted to all of them (the axes never jump
between frames), then encoded; ffmpeg encodes in its own process while the next frame renders.
``export_steps`` is a generator that yields its progress after every unit of work, so a background job can
send it, and look at its messages, between frames; ``export`` runs it to the end (the CLI).
"""

from __future__ import annotations

from typing import Callable, Generator

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot
from ganviz.draw.axes import fit_all
from ganviz.engine.messages import ExportProgress
from ganviz.export.frames import PanelsRenderer
from ganviz.export.request import AnimationRequest, ExportDiverged
from ganviz.export.video import AnimationWriter, check_video_target

Steps = Generator[ExportProgress, None, int]


def retrain_steps(cfg: TrainConfig, steps: int, every: int, schedule: dict | None = None, extent=None,
                  cancel=None, out: list | None = None) -> Generator[ExportProgress, None, list[Snapshot]]:
    """A fresh run from the seed, recorded every ``every`` iterations (and at step 0); yields progress. (The
    trainer is imported here: an export of frames already made never loads torch.)"""
    from ganviz.core.trainer import Trainer
    from ganviz.engine.drive import Diverged, Driver, Recorded

    driver = Driver(Trainer(cfg), dict(schedule or {}), record_every=every, extent=extent)
    snaps = out if out is not None else []
    snaps.append(driver.record().snapshots[0])
    total = max(1, -(-steps // every))
    for event in driver.run(steps):
        if isinstance(event, Diverged):
            raise ExportDiverged(event.message)
        if isinstance(event, Recorded):
            snaps.append(event.snapshots[0])
            yield ExportProgress("training", len(snaps) - 1, total)
        if cancel is not None:
            cancel.check()
    return snaps


def retrain_snapshots(cfg: TrainConfig, steps: int, every: int, schedule: dict | None = None,
                      extent=None, cancel=None) -> list[Snapshot]:
    snaps: list[Snapshot] = []
    for _ in retrain_steps(cfg, steps, every, schedule, extent, cancel, snaps):
        pass
    return snaps


def export_steps(request: AnimationRequest, cancel=None) -> Steps:
    """Write the animation, yielding progress ("training", then "rendering"); returns the frame count."""
    check_video_target(request.out, request.fps)
    if request.frames is not None:
        snaps = [s for s in request.frames if not s.diverged()]
    else:
        snaps = yield from retrain_steps(request.config, request.steps, request.every, request.schedule,
                                         request.x_range, cancel)
    if not snaps:
        raise ExportDiverged("nothing to export: the run has no frames yet")
    renderer = PanelsRenderer(*request.size, caption=request.caption, dark=request.dark, kind=snaps[0].kind)
    try:
        if snaps[0].kind == "1d":  # one x range and density scale for every frame (a plane's is the target's)
            renderer.fix_axes(*fit_all(snaps, request.x_range))
        with AnimationWriter(request.out, request.fps, cancel) as writer:
            for snap in snaps:
                writer.add(renderer.render(snap))
                yield ExportProgress("rendering", writer.n, len(snaps))
        return writer.n
    finally:
        renderer.close()


def export(request: AnimationRequest, progress: Callable[[str, int, int], None] | None = None,
           cancel=None) -> int:
    """Run ``export_steps`` to the end; progress(phase, done, total)."""
    steps = export_steps(request, cancel)
    while True:
        try:
            p = next(steps)
        except StopIteration as done:
            return done.value
        if progress:
            progress(p.phase, p.done, p.total)
