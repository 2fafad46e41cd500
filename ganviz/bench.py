"""`ganviz bench`: speed measured side by side in one run; prints medians and ratios, writes JSON.

1. trainer iterations/s vs the reference loop written the usual way (bench_reference.py);
2. the real window offscreen, training through the worker and drawing every snapshot: iterations/s as a
   ratio of headless, and frames drawn per second;
3. snapshot cost (theory on the grid, p_g, D*, mapping) in ms;
4. export speed: frames/s of a 1280×720 MP4;
5. sweeps: GAN-iterations/s of N = 1, 64, 256 GANs trained at once, and the achieved fraction of this CPU's
   float32 matmul rate;
6. memory: RSS growth over a long headless run.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time

import torch

from ganviz.config import TrainConfig


def _median_rate(fn, n: int, repeats: int) -> tuple[float, list[float]]:
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(n)
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates), rates


def bench_trainer(cfg: TrainConfig, n: int, repeats: int) -> dict:
    from ganviz.bench_reference import ReferenceGAN
    from ganviz.core.trainer import Trainer

    trainer, ref = Trainer(cfg), ReferenceGAN(cfg)
    trainer.train(50)
    for _ in range(50):
        ref.step()
    mine, theirs = [], []
    for _ in range(repeats):  # interleaved, so drifts of a noisy machine hit both alike
        mine.append(_median_rate(trainer.train, n, 1)[0])
        theirs.append(_median_rate(lambda k: [ref.step() for _ in range(k)], n, 1)[0])
    a, b = statistics.median(mine), statistics.median(theirs)
    return {"trainer_its": a, "reference_its": b, "trainer_vs_reference": a / b}


def bench_snapshot(cfg: TrainConfig, repeats: int) -> float:
    from ganviz.core.snapshot import take_snapshot
    from ganviz.core.trainer import Trainer

    t = Trainer(cfg)
    t.train(200)
    times = []
    for _ in range(max(20, repeats * 10)):
        t0 = time.perf_counter()
        take_snapshot(t)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_gui(cfg: TrainConfig, seconds: float) -> dict:
    """The real window, offscreen, training in its worker; versus headless training for as long."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ganviz.core.trainer import Trainer
    from ganviz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    w = MainWindow(cfg)
    w.show()
    frames = []
    w.frame_shown.connect(lambda s: frames.append((time.perf_counter(), s.step)))
    loop = QEventLoop()

    def wait(ms: int) -> None:
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    deadline = time.perf_counter() + 60
    while not frames and time.perf_counter() < deadline:  # the training process is starting
        wait(100)
    w.worker.play()
    wait(1000)  # warm up
    start = len(frames)
    wait(int(seconds * 1000))
    window = frames[start:]
    w.close()
    app.processEvents()
    (t0, s0), (t1, s1) = window[0], window[-1]
    gui_its, fps = (s1 - s0) / (t1 - t0), (len(window) - 1) / (t1 - t0)
    trainer = Trainer(cfg)
    trainer.train(50)
    headless, _ = _median_rate(trainer.train, max(200, int(gui_its * seconds / 3)), 3)
    return {"gui_its": gui_its, "headless_its": headless, "gui_vs_headless": gui_its / headless, "gui_fps": fps}


def bench_export(cfg: TrainConfig, frames: int) -> float:
    from PySide6.QtWidgets import QApplication

    from ganviz.export.run import export_run

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841
    with tempfile.TemporaryDirectory() as d:
        export_run(cfg, os.path.join(d, "w.mp4"), steps=5, every=1, size=(1280, 720))  # warm up
        t0 = time.perf_counter()
        export_run(cfg, os.path.join(d, "b.mp4"), steps=frames, every=1, size=(1280, 720))
        return frames / (time.perf_counter() - t0)


def bench_memory(cfg: TrainConfig, steps: int) -> dict:
    import resource

    from ganviz.core.runner import run_headless

    def rss_mb() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize() / 2**20

    run_headless(cfg.replace(steps=500))
    before = rss_mb()
    run_headless(cfg.replace(steps=steps))
    return {"memory_steps": steps, "memory_growth_mb": rss_mb() - before}


def bench_sweep(cfg: TrainConfig, repeats: int, quick: bool) -> dict | None:
    try:
        from ganviz.core.ensemble import measure_sweep
    except ImportError:
        return None
    return measure_sweep(cfg, sizes=(1, 64, 256), iterations=20 if quick else 60, repeats=repeats)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            names = [line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{cpu}, {os.cpu_count()} cores, {gpu}; Python {platform.python_version()}, torch {torch.__version__}"


def run_bench(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    torch.set_num_threads(1)
    quick, repeats = args.quick, max(1, args.repeats if not args.quick else 3)
    cfg = TrainConfig(device="cpu")
    out: dict = {"machine": machine(), "quick": quick, "repeats": repeats, "config": "default TrainConfig"}
    out.update(bench_trainer(cfg, 200 if quick else 1000, repeats))
    out["snapshot_ms"] = bench_snapshot(cfg, repeats)
    out.update(bench_gui(cfg, 2.0 if quick else 8.0))
    out["export_fps"] = bench_export(cfg, 20 if quick else 90)
    out.update(bench_memory(cfg, 3000 if quick else 100_000))
    sweep = bench_sweep(cfg, repeats, quick)
    if sweep is not None:
        sweep["vs_one_gan"] = {n: v / out["trainer_its"] for n, v in sweep["gan_its"].items()}
        out["sweep"] = sweep
    if torch.cuda.is_available():
        out.update({f"cuda_{k}": v for k, v in bench_trainer(cfg.replace(device="cuda"), 1000, repeats).items()})
    print(format_table(out))
    if args.json:
        from ganviz.cli import atomic_write_text
        atomic_write_text(args.json, json.dumps(out, indent=1))
    return 0


def format_table(r: dict) -> str:
    rows = [
        ("trainer vs reference loop", f"{r['trainer_vs_reference']:.2f}×",
         f"{r['trainer_its']:.0f} vs {r['reference_its']:.0f} it/s"),
        ("GUI-driven vs headless", f"{r['gui_vs_headless']:.2f}×",
         f"{r['gui_its']:.0f} vs {r['headless_its']:.0f} it/s, {r['gui_fps']:.1f} frames/s drawn"),
        ("snapshot", f"{r['snapshot_ms']:.2f} ms", "theory on the grid, exact p_g, D*, mapping"),
        ("export 1280×720 MP4", f"{r['export_fps']:.1f} fps", "render + encode, training included"),
        ("memory growth", f"{r['memory_growth_mb']:+.1f} MB", f"over {r['memory_steps']} headless steps"),
    ]
    if "sweep" in r:
        s = r["sweep"]
        one = r["trainer_its"]  # one GAN, trained the fast single way
        for n, v in s["gan_its"].items():
            rows.append((f"sweep N = {n}", f"{v / one:.2f}×", f"{v:.0f} GAN-it/s vs {one:.0f} it/s of one Trainer "
                         f"({s.get('threads', '?')} threads)"))
        rows.append(("sweep matmul efficiency", f"{100 * s['matmul_fraction']:.0f} %",
                     f"{s['achieved_gflops']:.1f} of {s['peak_gflops']:.1f} GFLOP/s (float32 matmul peak)"))
    width = max(len(a) for a, _, _ in rows)
    lines = [f"ganviz bench — {r['machine']}", "medians of " + str(r["repeats"]) + " runs"]
    lines += [f"  {a:<{width}}  {b:>10}   {c}" for a, b, c in rows]
    return "\n".join(lines)
