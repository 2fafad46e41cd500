"""History: snapshots recorded during a run, in bounded memory whatever the run's length.

Recent snapshots are kept dense; when the budget is exceeded the older half is thinned (every other one is
dropped), so a long run keeps its whole arc at a coarser and coarser step. The config (with its seed) is kept
too: replaying it reproduces the run exactly on the CPU.
"""

from __future__ import annotations

from ganviz.config import TrainConfig
from ganviz.core.snapshot import Snapshot


class History:
    def __init__(self, config: TrainConfig, budget_bytes: int = 64 * 2**20):
        self.config = config
        self.budget = budget_bytes
        self.snapshots: list[Snapshot] = []
        self.nbytes = 0

    def add(self, snap: Snapshot) -> None:
        if self.snapshots and snap.step <= self.snapshots[-1].step:
            self.truncate(snap.step)  # a reset (step 0) or a restart from a recorded step: drop that future
        self.snapshots.append(snap)
        self.nbytes += snap.nbytes()
        while self.nbytes > self.budget and len(self.snapshots) > 2:
            self._thin()

    def _thin(self) -> None:
        """Drop every other snapshot of the older half (the first and the newest are always kept)."""
        half = len(self.snapshots) // 2
        old, recent = self.snapshots[:half], self.snapshots[half:]
        kept = old[::2]
        self.nbytes -= sum(s.nbytes() for s in old[1::2])
        self.snapshots = kept + recent

    def truncate(self, step: int) -> None:
        """Keep only the snapshots before ``step``."""
        keep = [s for s in self.snapshots if s.step < step]
        self.nbytes -= sum(s.nbytes() for s in self.snapshots[len(keep):])
        self.snapshots = keep

    def clear(self) -> None:
        self.snapshots.clear()
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self.snapshots)

    def __getitem__(self, i: int) -> Snapshot:
        return self.snapshots[i]

    def steps(self) -> list[int]:
        return [s.step for s in self.snapshots]

    def records(self) -> list[dict]:
        return [s.record() for s in self.snapshots]
