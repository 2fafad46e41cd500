"""The paper's Figure 1 as four panels (a)–(d) from your own run, in one row on the same axes:

(a) near the start; (b) after D has learned (D most confident, before G has moved much); (c) after G has
moved (JSD halfway from (b) to the end); (d) at the end. Or the steps you give (``--at``).
"""

from __future__ import annotations

import numpy as np

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer
from ganviz.draw.axes import fit_all
from ganviz.engine.drive import Diverged, Driver, Recorded
from ganviz.export.animation import ExportDiverged
from ganviz.export.frames import PanelsRenderer
from ganviz.io.atomic import atomic_path, check_output

SUFFIXES = (".png", ".svg", ".pdf")
LETTERS = ("(a)", "(b)", "(c)", "(d)")


def choose_steps(records: list[dict]) -> list[int]:
    """Four steps of a run that tell the paper's story (from its records)."""
    steps = [r["step"] for r in records]
    if len(steps) < 4:
        return (steps + steps[-1:] * 4)[:4] if steps else [0, 0, 0, 0]
    jsd = np.array([r.get("jsd", np.nan) for r in records], dtype=float)
    dev = np.array([r.get("d_dev", np.nan) for r in records], dtype=float)
    half = max(2, len(steps) // 2)
    b = 1 + int(np.nanargmax(np.nan_to_num(dev[1:half], nan=-1.0)))
    target = 0.5 * (jsd[b] + jsd[-1])
    later = [i for i in range(b + 1, len(steps) - 1) if jsd[i] <= target]
    c = later[0] if later else min(len(steps) - 2, b + max(1, (len(steps) - b) // 2))
    return [steps[0], steps[b], steps[c], steps[-1]]


def snapshots_at(cfg: TrainConfig, steps: list[int], schedule: dict | None = None,
                 extent=None, cancel=None) -> tuple[list[Snapshot], list[dict]]:
    """Re-train from the seed; snapshots at ``steps`` (sorted, distinct) and every record on the way."""
    driver = Driver(Trainer(cfg), dict(schedule or {}), extent=extent)
    wanted = sorted(set(steps))
    shots: dict[int, Snapshot] = {}
    records = [s.record() for s in driver.record().snapshots]
    if 0 in wanted:
        shots[0] = driver.snapshot()
    for at in wanted:
        while driver.trainer.iteration < at:
            for e in driver.advance(stop=at):
                if isinstance(e, Recorded):
                    records.append(e.snapshots[0].record())
                if isinstance(e, Diverged):
                    raise ExportDiverged(e.message)
            if cancel is not None:
                cancel.check()
        shots[at] = driver.snapshot()
    return [shots[s] for s in steps], records


def write_panels(snaps: list[Snapshot], out: str, size: tuple[int, int] = (2400, 720),
                 x_range=None, dark: bool = False, letters: tuple[str, ...] = LETTERS, cancel=None) -> None:
    """Panels in one row on the same axes, written atomically as PNG, SVG or PDF and verified before they
    replace ``out`` (QPdfWriter reports nothing on a full disk: io/atomic.py checks the PDF's %%EOF)."""
    target = check_output(out, SUFFIXES)
    scale = size[1] / 720 * (0.9 if len(snaps) > 1 else 1.0)
    renderer = PanelsRenderer(*size, n=len(snaps), letters=letters, scale=scale, dark=dark)
    try:
        renderer.fix_axes(*fit_all(snaps, x_range))
        with atomic_path(target, cancel=cancel) as tmp:
            if target.suffix.lower() == ".png":
                from PIL import Image
                Image.fromarray(renderer.render(snaps)).save(tmp, format="PNG")
            else:
                renderer.save_vector(tmp, snaps)
    finally:
        renderer.close()


def figure1(cfg: TrainConfig, out: str, at: list[int] | None = None, schedule: dict | None = None,
            size: tuple[int, int] = (2400, 720), x_range=None, cancel=None) -> list[int]:
    """Train and write the four panels; returns the steps shown. (Without ``at`` the run is trained twice from
    its seed: once to choose the steps from its records, once to take those frames — the same trajectory.)"""
    check_output(out, SUFFIXES)
    if at is None:
        _, records = snapshots_at(cfg, [cfg.steps], schedule, x_range, cancel)
        at = choose_steps(records)
    snaps, _ = snapshots_at(cfg, at, schedule, x_range, cancel)
    write_panels(snaps, out, size, x_range, cancel=cancel)
    return at
