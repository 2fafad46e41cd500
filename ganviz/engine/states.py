"""Trainer states kept by step, within a byte budget: "restart from here" and the paper's four panels
continue from them. No torch (a state is numpy arrays)."""

from __future__ import annotations

STATE_BUDGET = 32 * 2**20  # bytes of trainer states kept


class StateStore:
    """The trainer's state at the steps the window was shown (frames and records), within a byte budget: when
    full, every other state of the older half is dropped, so the whole run stays restartable at a coarser
    step (a restart uses the nearest kept state at or before the step asked for)."""

    def __init__(self, budget: int = STATE_BUDGET):
        self.budget, self.nbytes = budget, 0
        self.states: dict[int, dict] = {}

    def keep(self, step: int, state: dict) -> None:
        if step in self.states:
            self.nbytes -= _size(self.states.pop(step))
        self.states[step] = state
        self.nbytes += _size(state)
        while self.nbytes > self.budget and len(self.states) > 8:
            steps = sorted(self.states)
            for s in steps[: len(steps) // 2: 2]:
                self.nbytes -= _size(self.states.pop(s))

    def at_or_before(self, step: int) -> tuple[int, dict] | None:
        kept = [s for s in self.states if s <= step]
        return (max(kept), self.states[max(kept)]) if kept else None

    def cut_after(self, step: int) -> None:
        """A restart at ``step`` abandons the later states (that future is gone)."""
        for s in [s for s in self.states if s > step]:
            self.nbytes -= _size(self.states.pop(s))


def _size(state) -> int:
    """Bytes of a kept state: its arrays, nested dicts and lists (batch norm's buffers) counted whole."""
    if isinstance(state, dict):
        return sum(_size(v) for v in state.values())
    if isinstance(state, (list, tuple)):
        return sum(_size(v) for v in state) + 64
    return getattr(state, "nbytes", 64)
