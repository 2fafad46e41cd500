"""Bench measurements that need processes of their own: the sweep's shards (and threads, for comparison)
with and without a competing busy process, a single run beside a busy process, and the app's start against
the floor of any program that loads the same libraries. Every ratio is measured side by side in one run."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time

from ganviz.config import TrainConfig

FLOOR = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import torch, numpy as np, pyqtgraph as pg
from PySide6.QtWidgets import QApplication
app = QApplication([])
w = pg.PlotWidget()
w.plot(np.linspace(0, 1, 100), np.sin(np.linspace(0, 6, 100)))
w.resize(800, 600)
w.grab().save(sys.argv[1])
"""


@contextlib.contextmanager
def busy_core():
    """Another program keeping one core busy (a Python busy loop) for the duration of the block."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    time.sleep(0.3)
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


def _members(cfg: TrainConfig, n: int, threads: int, iters: int, queue) -> None:
    import torch

    torch.set_num_threads(threads)
    from ganviz.core.trainer import Trainer
    from ganviz.engine.sweep import groups

    configs = [cfg.replace(seed=i) for i in range(n)]
    trainers = [Trainer([configs[i] for i in idx]) for idx in groups(configs)]  # as a shard batches them
    for t in trainers:
        t.train(2)
    queue.put("ready")
    queue.get()  # every process starts timing together
    t0 = time.perf_counter()
    for t in trainers:
        t.train(iters)
    queue.put(n * iters / (time.perf_counter() - t0))


def gan_rate(cfg: TrainConfig, n: int, processes: int, threads: int, iters: int) -> float:
    """GAN-iterations per second of n GANs trained by ``processes`` processes of ``threads`` threads each."""
    ctx = mp.get_context("spawn")
    ready, go = ctx.Queue(), ctx.Queue()
    share = [n // processes + (1 if k < n % processes else 0) for k in range(processes)]
    procs = [ctx.Process(target=_members, args=(cfg, m, threads, iters, _Duplex(ready, go))) for m in share]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()
    for _ in procs:
        go.put(True)
    rates = [ready.get() for _ in procs]
    for p in procs:
        p.join()
    return float(sum(rates))


class _Duplex:
    """One side of two queues: put goes up, get comes down (picklable into a spawned process)."""

    def __init__(self, up, down):
        self.up, self.down = up, down

    def put(self, value) -> None:
        self.up.put(value)

    def get(self):
        return self.down.get()


def bench_sweep_processes(cfg: TrainConfig, quick: bool) -> dict:
    """The sweep as it trains: its cells split between one process per core (engine/sweep.py)."""
    from ganviz.engine.sweep import shard_count

    rates = {}
    for n in ((1, 64, 256) if quick else (1, 64, 256, 1024)):
        iters = max(5, min(200, int(4000 / n))) if not quick else max(3, min(60, int(1500 / n)))
        procs = shard_count(n)
        rates[str(n)] = statistics.median(gan_rate(cfg, n, procs, 1, iters) for _ in range(2 if quick else 3))
    return {"gan_its": rates, "processes": shard_count(256)}


def bench_under_load(cfg: TrainConfig, quick: bool) -> dict:
    """With one core busy: the sweep (N = 256, processes as the sweep runs them; and as two threads, for the
    record) and a single run, each as a fraction of its own rate on the idle machine, measured just before."""
    from ganviz.engine.sweep import shard_count

    iters = 40 if quick else 80
    procs = shard_count(256)
    idle = {"sweep": gan_rate(cfg, 256, procs, 1, iters), "threads": gan_rate(cfg, 256, 1, os.cpu_count() or 1, iters),
            "single": gan_rate(cfg, 1, 1, 1, 300 if quick else 1000)}
    with busy_core():
        loaded = {"sweep": gan_rate(cfg, 256, procs, 1, iters),
                  "threads": gan_rate(cfg, 256, 1, os.cpu_count() or 1, iters),
                  "single": gan_rate(cfg, 1, 1, 1, 300 if quick else 1000)}
    return {"sweep_under_load": loaded["sweep"] / idle["sweep"],
            "sweep_threads_under_load": loaded["threads"] / idle["sweep"],
            "single_under_load": loaded["single"] / idle["single"],
            "under_load_its": loaded, "idle_its": idle,
            # the fair share: with one of the machine's cores busy, a job using every core gets (c − 1 + c/(c+1))/c
            "fair_share": fair_share(os.cpu_count() or 1)}


def fair_share(cores: int) -> float:
    """The share of the machine a job that keeps every core busy gets beside one busy-loop process: the
    scheduler gives c + 1 runnable processes c cores, each c / (c + 1) of one."""
    return cores / (cores + 1)


def bench_startup(repeats: int) -> dict:
    """Seconds from `ganviz gui --steps 1 --screenshot` to its picture of the first frame, against the floor: one
    process that imports torch, Qt and pyqtgraph and saves one plotted curve. Interleaved, medians."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app, floor = [], []
    with tempfile.TemporaryDirectory() as d:
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ganviz", "gui", "--steps", "1", "--screenshot",
                            os.path.join(d, "s.png")], env=env, check=True, capture_output=True)
            app.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", FLOOR, os.path.join(d, "f.png")], env=env, check=True,
                           capture_output=True)
            floor.append(time.perf_counter() - t0)
    a, f = statistics.median(app), statistics.median(floor)
    return {"startup_s": a, "startup_floor_s": f, "startup_vs_floor": a / f}
