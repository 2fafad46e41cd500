"""Recording: one run as it happened — its records, its frames, its notes — in bounded memory.

The timeline, the metrics plots, export ("the run I watched"), "save metrics" and the badge all read the one
Recording of the current run:

- ``records``: one metrics row per record mark (every ``record_every`` iterations), on the current line of the
  run: "restart from here" at step S drops the records after S (that future was abandoned) and keeps the rest;
- ``frames``: the snapshots that were shown, in the order they were shown (a restart's jump back included),
  each knowing whether it is still on the current line (the timeline shows those);
- ``notes``: knob changes, scripted changes and restarts, with the step they happened at.

When the frames exceed the byte budget, every other frame is dropped (the first and the newest kept), so a
long run keeps its whole arc, evenly, at a coarser step; records beyond ``max_records`` are thinned the same
way in their older half (the detectors read the recent ones).

The badge reads the records through core/diagnose.py's ``Badge``: every record is judged as it arrives, with
the same hysteresis the preset table and the sweep use (a new headline shows once it has been found on three
records in a row), so what the window shows is what `ganviz run` and `make truth` report. (After a restart
cut the records, the badge re-reads the last 40 of them from scratch: the window must not stall on a long
run's history.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ganviz.config import TrainConfig
from ganviz.core.diagnose import Badge
from ganviz.core.snapshot import Snapshot


@dataclass
class Note:
    step: int
    text: str
    kind: str = "knob"  # "knob", "script", "restart"
    seq: int = 0  # the number of frames shown before it (places it in the watched sequence)


@dataclass
class Recording:
    config: TrainConfig
    budget_bytes: int = 64 * 2**20
    max_records: int = 20_000
    records: list[dict] = field(default_factory=list)
    frames: list[Snapshot] = field(default_factory=list)
    on_line: list[bool] = field(default_factory=list)  # frames[i] is on the current line of the run
    notes: list[Note] = field(default_factory=list)
    nbytes: int = 0
    version: int = 0  # bumped whenever records are removed (a restart, thinning): column caches rebuild
    badge: Badge = field(default_factory=Badge)
    _judged: tuple = (-1, 0)  # (record count, last step) the badge has judged
    _columns: dict = field(default_factory=dict)

    # --- adding ---------------------------------------------------------------------------------
    def add_records(self, rows: list[dict]) -> None:
        for row in rows:
            if self.records and row["step"] <= self.records[-1]["step"]:
                self._cut_records(row["step"])  # a record at an earlier step only follows a restart
            self.records.append(row)
        if len(self.records) > self.max_records:
            half = len(self.records) // 2
            self.records = self.records[:half:2] + self.records[half:]
            self.version += 1

    def add_frame(self, snap: Snapshot) -> None:
        self.frames.append(snap)
        self.on_line.append(True)
        self.nbytes += snap.nbytes()
        while self.nbytes > self.budget_bytes and len(self.frames) > 4:
            self._thin()

    def note(self, step: int, text: str, kind: str = "knob") -> None:
        self.notes.append(Note(step, text, kind, len(self.frames)))

    def restart(self, step: int) -> None:
        """Training continues from step ``step``: the records and frames after it leave the current line."""
        self._cut_records(step + 1)
        for i, snap in enumerate(self.frames):
            if snap.step > step:
                self.on_line[i] = False
        self.note(step, f"restarted from step {step}", "restart")

    def _cut_records(self, step: int) -> None:
        kept = [r for r in self.records if r["step"] < step]
        if len(kept) != len(self.records):
            self.records = kept
            self.version += 1

    def _thin(self) -> None:
        """Drop every other frame (the first and the newest are kept): the arc stays even in time."""
        drop = set(range(1, len(self.frames) - 1, 2))
        self.nbytes -= sum(self.frames[i].nbytes() for i in drop)
        self.frames = [f for i, f in enumerate(self.frames) if i not in drop]
        self.on_line = [f for i, f in enumerate(self.on_line) if i not in drop]

    # --- reading --------------------------------------------------------------------------------
    def timeline(self) -> list[Snapshot]:
        """The frames on the current line of the run, by step (one per step: the latest shown)."""
        by_step: dict[int, Snapshot] = {}
        for snap, on in zip(self.frames, self.on_line):
            if on:
                by_step[snap.step] = snap
        return [by_step[s] for s in sorted(by_step)]

    def watched(self) -> list[Snapshot]:
        """Every frame kept, in the order it was shown (what "export the run I watched" replays)."""
        return list(self.frames)

    def column(self, key: str) -> np.ndarray:
        """One metric over the records as a float array (NaN where missing), cached and extended in place."""
        arr, n, version = self._columns.get(key, (np.empty(0), 0, -1))
        if version != self.version or n > len(self.records):
            arr, n = np.empty(max(1024, len(self.records))), 0
        if len(self.records) > arr.size:
            arr = np.concatenate([arr[:n], np.empty(2 * len(self.records))])
        for i in range(n, len(self.records)):
            v = self.records[i].get(key)
            arr[i] = v if isinstance(v, (int, float)) and v is not None else np.nan
        self._columns[key] = (arr, len(self.records), self.version)
        return arr[: len(self.records)]

    def diagnosis(self) -> tuple[list[str], str]:
        """(phenomena found, the badge's headline) after the current records (each record judged once)."""
        key = (len(self.records), self.records[-1]["step"] if self.records else 0)
        if key != self._judged:
            if key[0] < self._judged[0]:
                self.badge = Badge()  # a restart or thinning removed records: judge the line afresh
                for i in range(max(0, len(self.records) - 40), len(self.records)):
                    self.badge.update(self.records[: i + 1])
            else:  # every new record in turn, however many arrived at once: what `judge` would say
                for i in range(self._judged[0], len(self.records)):
                    self.badge.update(self.records[: i + 1])
            self._judged = key
        return self.badge.found, self.badge.shown

    def summary(self, seconds: float | None = None, device: str = "") -> dict:
        last = self.records[-1] if self.records else {}
        found, head = self.diagnosis()
        steps = int(last.get("step", 0))
        return {
            "steps": steps, "jsd": last.get("jsd"), "c_g": last.get("c_g"), "d_dev": last.get("d_dev"), "w1": last.get("w1"),
            "mode_coverage": last.get("coverage"), "spread": last.get("spread"),
            "steps_per_second": steps / seconds if seconds else None, "seconds": seconds, "device": device,
            "diagnosis": found, "headline": head,
            **({"sw1": last.get("sw1"), "quality": last.get("quality"), "n_modes": last.get("n_modes"),
                "modes_covered": bin(int(last["covered"])).count("1")} if last.get("dim") == 2 else {}),
        }

    def document(self, config: TrainConfig, summary: dict) -> dict:
        """{config, history, summary}: what `ganviz run --metrics` and "Save metrics" write."""
        return {"config": config.to_dict(), "history": self.records, "summary": summary,
                "notes": [{"step": n.step, "text": n.text, "kind": n.kind} for n in self.notes]}

