"""Conditions on a run: where a lesson's scene stops, what it promises, what a challenge's goal is.

A condition is judged on the run's records with the badge's own logic (core/diagnose.py ``Badge``, every record
in turn with its hysteresis), so "when the badge says mode collapse" means exactly what the window's badge
shows — one detector, never a second one. Its clauses, all of which must hold:

- ``{"step": N}``: N iterations into the scene (or the challenge's run);
- ``{"badge": "mode_collapse"}`` or ``{"badge": ["converging", "equilibrium"]}``: the badge shows one of these;
- ``{"jsd_below": 0.05}``, ``{"coverage_above": 0.99}``, …: a number of the record (``METRICS``);
- ``{"hold": 5}``: the rest must hold on this many records in a row (a goal that must last).

``Watch`` feeds the records to a condition as they come — in the window, in the headless lesson runner and in
the challenge tests alike. Torch-free and Qt-free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ganviz.core.diagnose import LABELS, Badge

METRICS = {"jsd": "JSD", "c_g": "C(G)", "d_dev": "mean |D − ½|", "coverage": "mode coverage", "spread": "spread",
           "sat_ratio": "sat_ratio", "d_real": "D(real)", "d_fake": "D(G(z))", "mode_low": "weakest mode's share"}
BADGES = tuple(k for k in LABELS if k != "ready")
MAX_HOLD = 100


class ConditionError(ValueError):
    """A condition that cannot be judged; the message names the clause (the caller adds the file and scene)."""


@dataclass(frozen=True)
class Condition:
    step: int | None = None  # iterations since the start
    badge: tuple[str, ...] = ()  # the badge shows one of these
    below: tuple[tuple[str, float], ...] = ()  # (metric, bound): the record's value is below the bound
    above: tuple[tuple[str, float], ...] = ()
    hold: int = 1  # records in a row

    @classmethod
    def parse(cls, data: object) -> "Condition":
        """From the file's object; ConditionError names the clause that is wrong."""
        if not isinstance(data, dict) or not data:
            raise ConditionError("must be an object such as {\"step\": 400}, {\"badge\": \"mode_collapse\"} or "
                                 "{\"jsd_below\": 0.05}")
        step, badge, below, above, hold = None, (), [], [], 1
        for key, value in data.items():
            if key == "step":
                step = _whole(key, value, 1, 10_000_000)
            elif key == "hold":
                hold = _whole(key, value, 1, MAX_HOLD)
            elif key == "badge":
                badge = _badges(value)
            elif key.endswith(("_below", "_above")) and key.rsplit("_", 1)[0] in METRICS:
                bound = _number(key, value)
                (below if key.endswith("_below") else above).append((key.rsplit("_", 1)[0], bound))
            else:
                raise ConditionError(f"unknown clause '{key}'; use step, badge, hold, or METRIC_below / "
                                     f"METRIC_above with METRIC one of {', '.join(METRICS)}")
        if step is None and not badge and not below and not above:
            raise ConditionError("needs a step, a badge or a METRIC_below / METRIC_above clause")
        return cls(step, badge, tuple(below), tuple(above), hold)

    @property
    def only_step(self) -> bool:
        """A stop at a step and nothing else (it needs a promise to be measured)."""
        return self.step is not None and not (self.badge or self.below or self.above)

    def holds(self, record: dict, shown: str, start: int = 0) -> bool:
        """Whether this record (with the badge showing ``shown``) satisfies every clause."""
        if self.step is not None and record.get("step", 0) < start + self.step:
            return False
        if self.badge and shown not in self.badge:
            return False
        for key, bound in self.below:
            if not _finite(record.get(key)) or not record[key] < bound:
                return False
        for key, bound in self.above:
            if not _finite(record.get(key)) or not record[key] > bound:
                return False
        return True

    def describe(self) -> str:
        """For people: "the badge says mode collapse", "JSD < 0.05 for 5 records", "step 400"."""
        parts = []
        if self.badge:
            parts.append("the badge says " + " or ".join(LABELS[b].split(" —")[0] for b in self.badge))
        parts += [f"{METRICS[k]} < {v:g}" for k, v in self.below] + [f"{METRICS[k]} > {v:g}" for k, v in self.above]
        text = " and ".join(parts)
        if self.step is not None:
            text = f"{text}, after {self.step} iterations" if text else f"{self.step} iterations"
        return text + (f" for {self.hold} records in a row" if self.hold > 1 else "")


@dataclass
class Watch:
    """Judges a condition record by record, as the badge does: ``feed`` the run's records (all of them, the
    badge needs the history) whenever more arrived; ``met_at`` is the step where it first held. Records at or
    before ``start`` (the scene's first step) feed the badge but cannot meet the condition."""

    condition: Condition
    start: int = 0
    badge: Badge = field(default_factory=Badge)
    seen: int = 0
    streak: int = 0
    met_at: int | None = None
    shown: str = "ready"  # the badge after the last record fed

    def feed(self, records: list[dict]) -> int | None:
        if len(records) < self.seen:  # a restart cut the run: judge its current line afresh
            self.badge, self.seen, self.streak, self.met_at = Badge(), 0, 0, None
        for i in range(self.seen, len(records)):
            self.shown = self.badge.update(records[: i + 1])
            record = records[i]
            if record.get("step", 0) <= self.start:
                continue
            ok = self.condition.holds(record, self.shown, self.start)
            self.streak = self.streak + 1 if ok else 0
            if self.met_at is None and self.streak >= self.condition.hold:
                self.met_at = int(record["step"])
        self.seen = len(records)
        return self.met_at


def _whole(key: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConditionError(f"'{key}' must be a whole number from {lo} to {hi:,}, got {value!r:.40}")
    return value


def _number(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConditionError(f"'{key}' must be a number, got {value!r:.40}")
    return float(value)


def _badges(value: object) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ConditionError("'badge' must be a badge state or a list of them")
    for n in names:
        if n not in BADGES:
            raise ConditionError(f"'badge': '{n[:40]}' is not a badge state; one of: {', '.join(BADGES)}")
    return tuple(names)


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
