"""The paper's Figure 1 as four panels (a)–(d) from your own run, in one row on the same axes.

By default the panels tell the paper's story from the run's own states (engine/story.py): (a) a kept state
near convergence, (b) that G with D trained alone until D ≈ D*, (c) after G's updates against that D, (d) the
run's end — each panel's caption says what was done and what it measured. ``--at S1,S2,S3,S4`` shows plain
snapshots of the run at those steps instead (the Driver records at them).
"""

from __future__ import annotations

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer
from ganviz.engine.drive import Diverged, Driver, Recorded
from ganviz.engine.story import StoryDiverged, tell_from_config
from ganviz.export.panels import SUFFIXES, write_panels
from ganviz.export.request import ExportDiverged
from ganviz.io.atomic import check_output


def snapshots_at(cfg: TrainConfig, steps: list[int], schedule: dict | None = None, extent=None,
                 cancel=None) -> list[Snapshot]:
    """Re-train from the seed; the snapshots the Driver records at ``steps``."""
    driver = Driver(Trainer(cfg), dict(schedule or {}), extent=extent, marks=set(steps))
    shots = {0: driver.record().snapshots[0]}
    for event in driver.run(max(steps)):
        if isinstance(event, Diverged):
            raise ExportDiverged(event.message)
        if isinstance(event, Recorded):
            shots[event.step] = event.snapshots[0]
        if cancel is not None:
            cancel.check()
    return [shots[s] for s in steps]


def figure1(cfg: TrainConfig, out: str, at: list[int] | None = None, schedule: dict | None = None,
            size: tuple[int, int] = (2400, 720), x_range=None, cancel=None) -> list[str]:
    """Train and write the four panels; returns what each panel shows (one line each)."""
    check_output(out, SUFFIXES)
    if at is not None:
        snaps, notes = snapshots_at(cfg, at, schedule, x_range, cancel), ()
        shown = [f"step {s}" for s in at]
    else:
        try:
            story = tell_from_config(cfg, schedule, x_range, cancel)
        except StoryDiverged as exc:
            raise ExportDiverged(str(exc)) from None
        snaps, notes = story.snapshots, story.notes
        shown = [n.replace("\n", ": ") for n in notes]
    write_panels(snaps, out, size, x_range, notes=notes, cancel=cancel)
    return shown
