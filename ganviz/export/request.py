"""What an export is asked to make, as plain data (no torch, no Qt): the window builds these in its own
process and hands them to the export job (export/job.py) in a background one."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ganviz.config import TrainConfig


class ExportDiverged(RuntimeError):
    """The run to export diverged (NaN / inf): the message says at which step; nothing is written."""


def default_every(steps: int, fps: int, seconds: float = 10.0) -> int:
    """Iterations per frame for an animation of about ``seconds``."""
    return max(1, math.ceil(steps / (seconds * fps)))


@dataclass
class AnimationRequest:
    """An MP4 / GIF of the run you watched (``frames``) or of a fresh run re-trained from ``config``."""

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
    frames: list | None = None


@dataclass
class PanelsRequest:
    """Snapshots side by side on the same axes (the four panels, or one frame), as PNG, SVG or PDF."""

    out: str
    frames: list
    size: tuple[int, int] = (2400, 720)
    x_range: tuple[float, float] | None = None
    dark: bool = False
    letters: tuple[str, ...] = ("(a)", "(b)", "(c)", "(d)")
    notes: tuple[str, ...] = ()  # what each panel shows ("D trained alone for 400 steps …")
