"""Export a run: train from the config's seed, render a frame every ``every`` steps, write MP4 / GIF."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

from ganviz.config import TrainConfig
from ganviz.core.snapshot import take_snapshot
from ganviz.core.trainer import Trainer
from ganviz.export.frames import FrameRenderer
from ganviz.export.video import check_target, write_animation


def default_every(steps: int, fps: int) -> int:
    """Steps per frame for an animation of about 10 seconds."""
    return max(1, math.ceil(steps / (10 * fps)))


def export_run(cfg: TrainConfig, out: str | Path, steps: int, every: int, fps: int = 30,
               size: tuple[int, int] = (1280, 720), caption: bool = True, x_range=None,
               schedule: dict[int, dict] | None = None,
               progress: Callable[[int, int], bool | None] | None = None) -> int:
    """Returns the number of frames written. Needs a QApplication (offscreen is fine)."""
    check_target(out)
    n_frames = max(1, steps // every)
    trainer = Trainer(cfg)
    schedule = dict(schedule or {})
    renderer = FrameRenderer(*size, x_range=x_range, caption=caption)

    def frames():
        for _ in range(n_frames):
            target = trainer.iteration + every
            while trainer.iteration < target:
                due = [k for k in schedule if k <= trainer.iteration]
                for k in sorted(due):
                    trainer.set(**schedule.pop(k))
                upcoming = [k for k in schedule if trainer.iteration < k < target]
                trainer.train(min(upcoming + [target]) - trainer.iteration)
            yield renderer.render(take_snapshot(trainer))

    try:
        return write_animation(frames(), out, fps=fps, total=n_frames, progress=progress)
    finally:
        renderer.close()
