"""Sweeps: a grid of GANs trained at once, each cell diagnosed like a single run (engine/grid.py: the axes).

Axis specs:  ``lr_d=1e-4:1e-1:log:16``  (lo:hi[:log|lin]:N)  or a list  ``g_loss=saturating,non_saturating``.
Any knob can be an axis. Cells that differ only in per-member knobs (learning rates, k, loss, seed,
stabiliser strengths, …) train as members of one batched Trainer; cells that differ in structure (an
architecture, the optimizer, unrolling) form groups, each its own batched Trainer. Every cell draws from its
own random stream exactly as a single run with its config would, so a cell opened as a run follows the same
trajectory.
"""

from __future__ import annotations

import math
import time

from ganviz.config import TrainConfig
from ganviz.core.trainer import Trainer, structure
from ganviz.engine.drive import Diverged, Driver, Recorded
from ganviz.engine.grid import Axis, sweep_configs
from ganviz.engine.messages import Stop, SweepGrid
from ganviz.engine.process import cpu_count
from ganviz.engine.recording import Recording

CHUNK = 256  # members per batched Trainer: beyond this the activations outgrow the caches (measured: N = 1024
# in one batch ran at half the per-GAN rate of N = 256; in chunks of 256 at the same rate)
SWEEP_RECORDS = 25  # records per cell over the sweep (the detectors' windows need a few)
SLICE = 0.25  # seconds of training per group between two looks at the window's messages
MIN_SHARD = 32  # cells: a smaller grid trains in one process (a process's start costs a second of imports)
REPORT_SECONDS = 0.5  # the grid so far goes to the window at most this often


def groups(configs: list[TrainConfig], chunk: int = CHUNK) -> list[list[int]]:
    """Indices of the cells that train as one batched Trainer: the same structure, at most ``chunk`` of them."""
    by: dict[tuple, list[int]] = {}
    for i, c in enumerate(configs):
        by.setdefault(structure(c), []).append(i)
    return [idx[k:k + chunk] for idx in by.values() for k in range(0, len(idx), chunk)]


class Shard:
    """Some of the grid's cells, trained group by group in short slices (in the sweep's process, or in a
    process of its own). ``advance`` returns the records it made: (cell index, row)."""

    def __init__(self, configs: dict[int, TrainConfig], steps: int, every: int, schedule: dict | None = None):
        self.steps = steps
        cells = sorted(configs)
        self.drivers = []
        for part in groups([configs[i] for i in cells]):
            idx = [cells[k] for k in part]
            self.drivers.append((idx, Driver(Trainer([configs[i] for i in idx]), dict(schedule or {}),
                                             record_every=every)))
        self.done = 0

    def advance(self, seconds: float = SLICE) -> list[tuple[int, dict]]:
        rows: list[tuple[int, dict]] = []
        for idx, driver in self.drivers:
            if driver.trainer.iteration >= self.steps:
                continue
            for e in driver.advance(seconds=seconds, stop=self.steps):
                if isinstance(e, Recorded):
                    for i, snap in zip(idx, e.snapshots):
                        row = snap.record()
                        if i in driver.diverged:
                            row["jsd"] = math.nan
                        rows.append((i, row))
                elif isinstance(e, Diverged):
                    rows.append((idx[e.member], {"step": e.step, "jsd": math.nan}))
        self.done = min(d.trainer.iteration for _, d in self.drivers)
        return rows


def shard_worker(conn, configs: dict, steps: int, every: int, schedule: dict | None) -> None:
    """A shard in a process of its own (one torch thread): its records go up the pipe as they are made, until
    the shard is done or the sweep goes away."""
    import torch

    torch.set_num_threads(1)
    try:
        shard = Shard(configs, steps, every, schedule)
        conn.send(([], 0))  # built: the sweep's first report need not wait for a record
        while shard.done < steps:
            rows = shard.advance()
            conn.send((rows, shard.done))
            if conn.poll() and isinstance(conn.recv(), Stop):
                break
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass
    finally:
        conn.close()


def shard_count(cells: int) -> int:
    """Processes for a sweep of ``cells`` cells: one per core (processes, not threads — measured, a busy core
    elsewhere slows threads that wait on each other to a third, processes to two thirds: the fair share),
    none extra for a grid so small that starting a process costs more than it saves."""
    return max(1, min(cpu_count(), math.ceil(cells / MIN_SHARD)))


class Sweep:
    """The grid: its cells trained in ``shards`` processes (or here, with one shard), each cell's records in a
    Recording of its own (the badge judges them as in a single run); ``result()`` is the grid so far."""

    def __init__(self, base: TrainConfig, x: Axis, y: Axis, steps: int | None = None,
                 schedule: dict | None = None, shards: int | None = None):
        self.base, self.x, self.y = base, x, y
        self.steps = steps or base.steps
        self.configs = sweep_configs(base, x, y)
        self.recordings = [Recording(c) for c in self.configs]
        every = max(1, self.steps // SWEEP_RECORDS)
        n = shards or shard_count(len(self.configs))
        parts = [{i: c for i, c in enumerate(self.configs) if i % n == k} for k in range(n)]
        self.local = Shard(parts[0], self.steps, every, schedule) if n == 1 else None
        self.workers = [] if n == 1 else [_start_shard(p, self.steps, every, schedule) for p in parts]
        self.worker_done = [0] * len(self.workers)
        self.done = 0

    @property
    def drivers(self) -> list:
        return self.local.drivers if self.local is not None else []

    @property
    def complete(self) -> bool:
        return self.done >= self.steps

    def advance(self, seconds: float = SLICE) -> bool:
        """Train (or wait for the shards' records) for about ``seconds``; False once complete."""
        if self.complete:
            return False
        if self.local is not None:
            self._add(self.local.advance(seconds))
            self.done = self.local.done
            return True
        from multiprocessing.connection import wait
        for conn in wait([c for c, _ in self.workers], timeout=seconds):
            k = next(i for i, (c, _) in enumerate(self.workers) if c is conn)
            try:
                while conn.poll():
                    rows, self.worker_done[k] = conn.recv()
                    self._add(rows)
            except EOFError:
                proc = self.workers[k][1]
                proc.join(1.0)
                if self.worker_done[k] < self.steps:
                    raise RuntimeError(f"a sweep process stopped at step {self.worker_done[k]} "
                                       f"(exit code {proc.exitcode})") from None
        self.done = min(self.worker_done)
        return True

    def _add(self, rows: list[tuple[int, dict]]) -> None:
        for i, row in rows:
            self.recordings[i].add_records([row])

    def close(self) -> None:
        """Stop the shard processes (a sweep stopped early, or finished)."""
        for conn, proc in self.workers:
            try:
                conn.send(Stop())
            except (OSError, EOFError):
                pass
            proc.join(2.0)
            if proc.is_alive():
                proc.terminate()
                proc.join(1.0)
            conn.close()
        self.workers = []

    def result(self) -> dict:
        cells = []
        nx = len(self.x.values)
        for i, (cfg, rec) in enumerate(zip(self.configs, self.recordings)):
            found, outcome = rec.diagnosis()
            last = rec.records[-1] if rec.records else {}
            cells.append({self.x.key: getattr(cfg, self.x.key), self.y.key: getattr(cfg, self.y.key),
                          "row": i // nx, "col": i % nx, "outcome": outcome, "diagnosis": found,
                          "jsd": _finite(last.get("jsd")), "d_dev": _finite(last.get("d_dev")),
                          "coverage": _finite(last.get("coverage")),
                          "modes_covered": (bin(int(last["covered"])).count("1") if last.get("dim") == 2 else None)})
        return {"config": self.base.to_dict(), "steps": self.done, "total_steps": self.steps,
                "axes": {"x": {"key": self.x.key, "values": self.x.values, "log": self.x.log},
                         "y": {"key": self.y.key, "values": self.y.values, "log": self.y.log}},
                "cells": cells}


def _start_shard(configs: dict, steps: int, every: int, schedule: dict | None):
    """(pipe, process) of a shard in a process of its own (spawned, like every ganviz job)."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    conn, child = ctx.Pipe()
    proc = ctx.Process(target=shard_worker, args=(child, configs, steps, every, schedule), daemon=True,
                       name="ganviz-sweep-shard")
    proc.start()
    child.close()
    return conn, proc


def run_sweep(base: TrainConfig, x: Axis, y: Axis, steps: int | None = None, progress=None,
              cancel=None) -> dict:
    sweep = Sweep(base, x, y, steps)
    try:
        while sweep.advance():
            if cancel is not None:
                cancel.check()
            if progress:
                progress(sweep.done, sweep.steps)
    finally:
        sweep.close()
    return sweep.result()


def _finite(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


class SweepJob:
    """The sweep as a background job (engine/process.py): trains in short slices and sends the grid so far
    (at once, then at most every REPORT_SECONDS), so the sweep lab fills in from its first second."""

    def __init__(self, request: dict):
        self.sweep = Sweep(request["config"], request["x"], request["y"], request.get("steps"))
        self.stopped = False
        self.out: list = [SweepGrid(self.sweep.result())]
        self._sent = time.perf_counter()

    def handle(self, message) -> None:
        if isinstance(message, Stop):
            self.stopped = True

    def close(self) -> None:
        self.sweep.close()

    def tick(self) -> None:
        self.sweep.advance()
        done = self.sweep.complete
        if done or time.perf_counter() - self._sent >= REPORT_SECONDS:
            self.out.append(SweepGrid(self.sweep.result(), done))
            self._sent = time.perf_counter()
        self.stopped = done

    def take(self) -> list:
        out, self.out = self.out, []
        return out

    def idle_seconds(self) -> float:
        return 0.0


def sweep_job(request: dict) -> SweepJob:
    """Built in the sweep's process, which hands the training to its shard processes (one thread each)."""
    import torch

    torch.set_num_threads(1)
    return SweepJob(request)
