"""The paper's Figure 1, told the paper's way, from a run's own states.

Goodfellow et al.'s caption: (a) a pair near convergence — p_g close to p_data, D a partially accurate
classifier; (b) D trained in the inner loop until it converges to D* = p_data / (p_data + p_g), with G held
fixed; (c) after an update of G, the gradient of D has moved G(z) towards regions more likely classified as
data; (d) after several steps of training, p_g = p_data and D = ½.

``tell`` builds exactly that: (a) is a kept state of the run where it was near convergence (``pick_a``);
(b) continues from it with D's updates alone until max |D − D*| (where D* is drawn) is small, and says how
close it got; (c) makes G's updates against that D, G's only — at least one, more while D(G(z)) still
rises; (d) is the run's end.
Every move goes through the Driver. Each panel's note says what was done and what it measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer
from ganviz.engine.drive import Diverged, Driver, Recorded
from ganviz.engine.states import StateStore

A_JSD = 0.1  # (a): the first record with JSD at most this (or twice the run's final JSD, if larger) …
A_START = 0.05  # … after this share of the run (the start is no "pair near convergence")
D_STAR_TOL = 0.02  # (b): D trained alone until the mean |D − D*| under (p_data + p_g)/2 is below this …
D_MAX_STEPS = 3000  # … or for at most this many updates
D_CHECK = 25  # … measured every this many updates
G_STEPS = 25  # (c): at most this many G updates against the converged D (while E_g[D] rises)


class StoryDiverged(RuntimeError):
    """The run diverged before its end: there is no story to tell (the message says at which step)."""


@dataclass
class Story:
    snapshots: list[Snapshot]
    notes: list[str]
    steps: list[int] = field(default_factory=list)


def pick_a(records: list[dict]) -> int:
    """The step of panel (a): the first record past the start that is near convergence."""
    rows = [r for r in records if isinstance(r.get("jsd"), float) and math.isfinite(r["jsd"])]
    if not rows:
        return 0
    end = rows[-1]["step"]
    goal = max(A_JSD, 2 * rows[-1]["jsd"])
    for r in rows:
        if r["step"] >= A_START * end and r["jsd"] <= goal and r["step"] < end:
            return int(r["step"])
    early = [r for r in rows if r["step"] < end] or rows
    return int(min(early, key=lambda r: r["jsd"])["step"])


def d_star_gap(snap: Snapshot) -> tuple[float, float]:
    """How far D is from D*, where the figure draws D* (both densities resolvable, away from their edges):
    (mean of |D − D*| under (p_data + p_g)/2, its maximum)."""
    keep = np.isfinite(snap.d_star)
    if not np.any(keep):
        return math.nan, math.nan
    gap = np.abs(snap.d[keep] - snap.d_star[keep])
    p, q = snap.masses()
    w = (p + q)[keep]
    return float((w * gap).sum() / max(w.sum(), 1e-300)), float(gap.max())


def d_on_fakes(snap: Snapshot) -> float:
    """E_{p_g}[D(x)]: how much like data D finds G's samples (the paper's (c): G moves towards where it is high)."""
    _, q = snap.masses()
    return float((q * snap.d).sum() / max(q.sum(), 1e-300))


def tell(trainer_a: Trainer, end: Snapshot, extent=None) -> Story:
    """The four panels from a trainer in the state of panel (a) (it is moved: pass a fresh one) and the
    snapshot of the run's end."""
    driver = Driver(trainer_a, {}, extent=extent)
    a = driver.snapshot()
    note_a = f"near convergence (step {a.step})\nJSD {a.jsd:.3f} · mean |D − ½| {a.d_dev:.3f}"
    n, (gap, top) = 0, d_star_gap(a)
    b = a
    while n < D_MAX_STEPS and not gap < D_STAR_TOL:
        for _ in range(D_CHECK):
            driver.update("D")
        n += D_CHECK
        b = driver.snapshot()
        gap, top = d_star_gap(b)
    note_b = f"D trained alone, G fixed: {n} D updates\n|D − D*|: mean {gap:.3f}, max {top:.3f}"
    driver.update("G")  # (c): at least one update of G against that D, then more while G still gains against it
    c, k = driver.snapshot(), 1
    while k < G_STEPS:
        driver.update("G")
        nxt = driver.snapshot()
        if not d_on_fakes(nxt) > d_on_fakes(c):
            break
        c, k = nxt, k + 1
    note_c = (f"{k} G update{'s' if k != 1 else ''} against that D: D(G(z)) {d_on_fakes(b):.3f} → "
              f"{d_on_fakes(c):.3f}\nJSD {b.jsd:.3f} → {c.jsd:.3f}")
    note_d = (f"after more training (step {end.step})\nJSD {end.jsd:.3f} · mean |D − ½| {end.d_dev:.3f}"
              + (": p_g = p_data, D = ½" if end.jsd < 0.02 and end.d_dev < 0.05 else ""))
    return Story([a, b, c, end], [note_a, note_b, note_c, note_d], [a.step, a.step, a.step, end.step])


def trainer_at(cfg, target, state: dict) -> Trainer:
    """A fresh single-run trainer in a kept state."""
    t = Trainer(cfg, target=target)
    t.load_state(state)
    return t


def tell_from_config(cfg, schedule: dict | None = None, extent=None, cancel=None) -> Story:
    """Train ``cfg`` from its seed to its end (keeping a state at every record), then ``tell``."""
    trainer = Trainer(cfg)
    driver = Driver(trainer, dict(schedule or {}), extent=extent)
    states = StateStore()
    first = driver.record()
    records, end = [first.snapshots[0].record()], first.snapshots[0]
    states.keep(0, trainer.state())
    for event in driver.run(cfg.steps):
        if isinstance(event, Diverged):
            raise StoryDiverged(event.message)
        if isinstance(event, Recorded):
            end = event.snapshots[0]
            records.append(end.record())
            states.keep(event.step, trainer.state())
        if cancel is not None:
            cancel.check()
    at, state = states.at_or_before(pick_a(records))
    return tell(trainer_at(trainer.cfg, trainer.target, state), end, driver.seen())
