"""Every message between the window and a background job (live training, a sweep, an export), as dataclasses.

One protocol for every job (engine/process.py runs them): the window sends messages *in*, the job sends
messages *out*, each a dataclass handled with ``match``. This module imports neither torch nor Qt: the
window's process builds and reads messages without loading either. Messages out of the live loop carry the
``epoch`` of the run they belong to; the window drops those of a run it has left behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SLOW_MOTION = 10.0  # at or below this many iterations per second, training goes update by update


# --- to every job ------------------------------------------------------------------------------------
@dataclass
class Stop:
    """End the job: a live run stops, a sweep stops where it is, an export is cancelled (no file left)."""


# --- from every job ----------------------------------------------------------------------------------
@dataclass
class JobEnded:
    """The job finished on its own (the window tells this from a process that died)."""


@dataclass
class JobFailed:
    """The job raised: the one-line reason (the window shows it; the traceback goes to stderr)."""

    message: str


# --- to the live loop ----------------------------------------------------------------------------------
@dataclass
class Play:
    pass


@dataclass
class Pause:
    pass


@dataclass
class StepOnce:
    kind: str = "iteration"  # "iteration", "D" or "G"


@dataclass
class SetKnobs:
    changes: dict


@dataclass
class NewRun:
    """Start a run: new nets from ``config``'s seed, its script, its fixed x range."""

    epoch: int
    config: Any  # TrainConfig
    schedule: dict = field(default_factory=dict)
    extent: tuple | None = None


@dataclass
class Reset:
    """New nets from the seed with the knobs as they are now; the run's script plays again."""

    epoch: int


@dataclass
class Restart:
    """Continue from the state the loop kept at ``step`` (the nearest earlier one it kept), with today's
    knobs: weights, optimizer state and random stream. The loop answers ``Restarted`` with the step it used."""

    epoch: int
    step: int


@dataclass
class SetSpeed:
    steps_per_second: float  # 0: as fast as possible


@dataclass
class RunUntil:
    step: int


@dataclass
class FrameTaken:
    pass


@dataclass
class TellStory:
    """Build the paper's Figure 1 (a)–(d) from this run's kept states (engine/story.py)."""

    epoch: int


# --- from the live loop --------------------------------------------------------------------------------
@dataclass
class Frame:
    epoch: int
    snapshot: Any  # Snapshot: what the screen shows, nothing more (the trainer's state stays in the loop)


@dataclass
class Records:
    epoch: int
    rows: list


@dataclass
class Status:
    epoch: int
    playing: bool
    iteration: int
    config: Any  # TrainConfig
    rate: float  # iterations per second while playing, 0 when paused
    device: str
    updates: int = 0  # D and G updates so far (0: the run has not moved yet)


@dataclass
class Notice:
    epoch: int
    text: str
    level: str = "info"  # "info", "knob", "script", "error"


@dataclass
class Failed:
    """Training stopped: it diverged (or the process hit an internal error)."""

    epoch: int
    message: str


@dataclass
class StoryTold:
    """The four panels' snapshots and what each shows."""

    epoch: int
    snapshots: list
    notes: list


@dataclass
class Restarted:
    """The run continues from the state kept at ``step``."""

    epoch: int
    step: int


# --- from the sweep ------------------------------------------------------------------------------------
@dataclass
class SweepGrid:
    """The grid so far (engine/sweep.py ``Sweep.result``); ``done`` when every cell reached the last step."""

    result: dict
    done: bool = False


# --- from an export ------------------------------------------------------------------------------------
@dataclass
class ExportProgress:
    phase: str  # "training" or "rendering"
    done: int
    total: int


@dataclass
class ExportDone:
    frames: int
    path: str
    steps: list = field(default_factory=list)  # the four-panel figure: the steps its panels show
    note: str = ""


@dataclass
class ExportCancelled:
    pass


@dataclass
class ExportFailed:
    message: str
