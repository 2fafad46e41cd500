"""The one driver: train to the next mark, apply the schedule, record — for every front end.

Marks are the iterations where something must happen: a record is due (every ``record_every``, or at one of
the extra ``marks`` an export or the four-panel figure asks for), the schedule changes a knob (a preset's
script: what a lecturer would turn live), or the run ends. The trainer moves only through the driver:
``advance`` trains towards the next mark (`ganviz run`, the live app playing, export, the sweep, the bench),
``update`` makes one update (the app's ".", "D" and "G" keys, and slow motion) — so a script, a record mark
and the divergence check apply whichever way the run moves, and a run recorded by any front end has the
same records at the same steps.
"""

from __future__ import annotations

import math
import time

import numpy as np
from dataclasses import dataclass, field

from ganviz.config import ConfigError
from ganviz.core.measure import take_snapshot
from ganviz.core.snapshot import Snapshot
from ganviz.core.trainer import Trainer

SLICE_SECONDS = 0.004  # a live slice trains about this long between looks at the commands


@dataclass
class Recorded:
    """A record mark was reached: one snapshot per member (a single run has one)."""

    step: int
    snapshots: list[Snapshot]


@dataclass
class Scheduled:
    """The schedule changed knobs at this step."""

    step: int
    changes: dict
    text: str = ""


@dataclass
class Diverged:
    """A member produced NaN / inf; for a single run training stops here."""

    step: int
    member: int
    message: str


@dataclass
class Driver:
    trainer: Trainer
    schedule: dict[int, dict] = field(default_factory=dict)
    record_every: int | None = None
    extent: tuple[float, float] | None = None  # the plot's fixed x range, kept inside the theory's cells
    marks: set = field(default_factory=set)  # extra iterations to record at (an export's frames, the panels)
    diverged: set = field(default_factory=set)

    def __post_init__(self) -> None:
        self.schedule = {int(k): dict(v) for k, v in (self.schedule or {}).items()}
        self.record_every = self.record_every or self.trainer.cfg.record_every
        self.marks = {int(m) for m in self.marks}
        self._rate = 0.0  # measured iterations per second (sizes the live slices)
        self._seen = tuple(self.extent) if self.extent else None  # the x range frames of this run covered
        self._recorded = -1  # the iteration recorded last (a mark is recorded once)

    # --- marks ----------------------------------------------------------------------------------
    def next_mark(self, stop: int | None = None) -> int:
        it = self.trainer.iteration
        marks = [(it // self.record_every + 1) * self.record_every]
        marks += [k for k in self.schedule if k > it] + [k for k in self.marks if k > it]
        if stop is not None and stop > it:
            marks.append(stop)
        return min(marks)

    def at_mark(self, stop: int | None = None) -> bool:
        """The iteration just completed is one to record (and was not recorded yet)."""
        t = self.trainer
        due = t.iteration % self.record_every == 0 or t.iteration == stop or t.iteration in self.marks
        return due and t.phase == 0 and t.iteration != self._recorded

    def apply_schedule(self) -> list[Scheduled]:
        """Knob changes due at (or before) the current iteration, applied now."""
        out = []
        for at in sorted(k for k in self.schedule if k <= self.trainer.iteration):
            changes = self.schedule.pop(at)
            try:
                self.trainer.set(**changes)
            except ConfigError as exc:
                raise ConfigError(f"the schedule's change at step {at} is refused: {exc}") from None
            text = ", ".join(f"{k} = {v}" for k, v in changes.items())
            out.append(Scheduled(self.trainer.iteration, changes, f"step {self.trainer.iteration}: {text}"))
        return out

    # --- training -------------------------------------------------------------------------------
    def advance(self, max_iterations: int | None = None, seconds: float | None = None,
                stop: int | None = None) -> list:
        """Train towards the next mark: at most ``max_iterations``, or about ``seconds`` of work. Returns the
        events of this advance (Scheduled, Recorded, Diverged). The last iteration computes the stats a
        snapshot shows."""
        events: list = list(self.apply_schedule())
        t = self.trainer
        n = self.next_mark(stop) - t.iteration
        if max_iterations is not None:
            n = min(n, max_iterations)
        if seconds is not None:
            n = min(n, max(1, int(seconds * self._rate)) if self._rate else 1)
        started = time.perf_counter()
        t.train(n)
        elapsed = time.perf_counter() - started
        if elapsed > 0:
            rate = n / elapsed
            self._rate = rate if not self._rate else 0.7 * self._rate + 0.3 * rate
        if self.at_mark(stop):
            events.append(self.record())
        return events + self._divergence(events)

    def update(self, kind: str = "next") -> list:
        """One move, by hand or in slow motion: "D" or "G" (one extra update of that player), "iteration"
        (k D updates then the G updates, finishing one under way), or "next" (the next single update of
        Algorithm 1). The schedule, the record marks and the divergence check apply as when playing."""
        events: list = list(self.apply_schedule())
        t = self.trainer
        if kind == "D":
            t.d_step(stats=True)
        elif kind == "G":
            t.g_step(stats=True)
        elif kind == "iteration":
            t.step(stats=True)
        else:
            t.update(stats=True)
        if self.at_mark():
            events.append(self.record())
        elif not self.diverged and t.n == 1 and not t.stats_finite():
            events.append(self.record())  # a NaN between marks: record it, so it is reported at once
        return events + self._divergence(events)

    def seen(self) -> tuple[float, float] | None:
        """The x range this run's frames have covered (a driver that takes over the run keeps covering it)."""
        return self._seen

    def record(self) -> Recorded:
        self._recorded = self.trainer.iteration
        return Recorded(self.trainer.iteration, [self.snapshot(i) for i in range(self.trainer.n)])

    def snapshot(self, member: int = 0) -> Snapshot:
        """The current frame of a member (NaN numbers, not an exception, when it diverged). Its cells cover
        every x range this run's frames have covered (padded), so a plot that keeps a wider range for a while,
        or an export drawn on the union of all frames, shows every curve across its whole width."""
        t = self.trainer
        stats = t.metrics_all()
        snap = take_snapshot(t, member, metrics={k: float(v[member]) for k, v in stats.items()},
                             extent=self._seen if t.n == 1 else self.extent)
        if t.n == 1 and snap.kind == "1d" and snap.x.size:  # (a plane's grid is the target's own)
            lo, hi = snap.extent
            pad = 0.1 * (hi - lo)
            seen = (lo - pad, hi + pad)
            if self._seen is not None:
                seen = (min(seen[0], self._seen[0]), max(seen[1], self._seen[1]))
            self._seen = seen
        return snap

    def _divergence(self, events: list) -> list[Diverged]:
        """Events for members whose snapshot has a non-finite number (JSD, D on the grid, a stat)."""
        out = []
        for e in events:
            if not isinstance(e, Recorded):
                continue
            for i, snap in enumerate(e.snapshots):
                bad = [k for k, v in snap.metrics.items() if isinstance(v, float) and math.isinf(v)]
                if i not in self.diverged and (not (math.isfinite(snap.jsd) and _finite_d(snap)) or bad or _nan_stats(snap)):
                    self.diverged.add(i)
                    c = self.trainer.configs[i]
                    what = ", ".join(bad or _nan_stats(snap) or ["the generator's output"])
                    out.append(Diverged(e.step, i, f"training diverged at step {e.step}: {what} became "
                                                   f"NaN or infinite (learning rates lr_d={c.lr_d:g}, "
                                                   f"lr_g={c.lr_g:g} may be too high)"))
        return out

    def run(self, until: int):
        """Drive to iteration ``until``, yielding every event; a single run stops at divergence."""
        while self.trainer.iteration < until:
            events = self.advance(stop=until)
            yield from events
            if self.trainer.n == 1 and self.diverged:
                return


def _nan_stats(snap: Snapshot) -> list[str]:
    """Stats that were measured and became NaN (an unmeasured stat is NaN too, but then all of a side are)."""
    measured = {k: v for k, v in snap.metrics.items() if isinstance(v, float)}
    return [k for k, v in measured.items() if math.isnan(v) and any(math.isfinite(w) for w in measured.values())]


def _finite_d(snap) -> bool:
    """D on the grid is finite (d_dev is NaN by design for a Wasserstein critic, so it is not the test)."""
    return bool(np.all(np.isfinite(snap.d)))
