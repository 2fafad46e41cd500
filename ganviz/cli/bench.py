"""`ganviz bench`: speed measured side by side in one run; prints medians and ratios, writes JSON.
(The measurements that need processes of their own — sweeps, a competing busy core, the app's start — are in
bench_load.py.)

1. trainer iterations/s vs the reference loop written the usual way (bench_reference.py), on the default
   config (Adam) and on figure1's (SGD + momentum), interleaved so a noisy machine hits both alike;
2. the real window offscreen, training in its process and drawing every frame: iterations/s as a ratio of
   headless, frames drawn per second;
3. export frames/s at 1280×720 MP4: from a recorded run, and re-trained (training included);
4. the window's event-loop latency (p95) while an export renders in the background;
5. sweeps: GAN-iterations/s of N = 1, 64, 256, 1024 GANs trained at once, and the fraction of this CPU's
   float32 matmul rate reached at N = 256;
6. memory: RSS growth over a long headless run;
7. with one core kept busy by another program: the sweep and a single run as fractions of their idle rates;
8. the app's start to its first drawn frame against the floor of loading torch, Qt and pyqtgraph;
9. the frame message's size and the window's CPU time per frame.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

from ganviz.cli.common import check_range
from ganviz.config import TrainConfig
from ganviz.io.atomic import atomic_write_text, check_output


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="measure speed side by side; print medians and ratios")
    p.add_argument("--json", metavar="OUT.json", help="write the numbers as JSON")
    p.add_argument("--quick", action="store_true", help="short runs (about a minute)")
    p.add_argument("--repeats", type=int, default=5)
    p.set_defaults(func=run_bench)


def _rate(fn, n: int) -> float:
    t0 = time.perf_counter()
    fn(n)
    return n / (time.perf_counter() - t0)


def bench_trainer(cfg: TrainConfig, n: int, repeats: int) -> dict:
    from ganviz.cli.bench_reference import ReferenceGAN
    from ganviz.core.trainer import Trainer

    trainer, ref = Trainer(cfg), ReferenceGAN(cfg)
    trainer.train(50)
    for _ in range(50):
        ref.step()
    mine, theirs = [], []
    for _ in range(repeats):  # interleaved
        mine.append(_rate(trainer.train, n))
        theirs.append(_rate(lambda k: [ref.step() for _ in range(k)], n))
    a, b = statistics.median(mine), statistics.median(theirs)
    return {"trainer_its": a, "reference_its": b, "trainer_vs_reference": a / b}


def bench_snapshot(cfg: TrainConfig, repeats: int) -> float:
    from ganviz.core.measure import take_snapshot
    from ganviz.core.trainer import Trainer

    t = Trainer(cfg)
    t.train(200)
    times = []
    for _ in range(max(20, repeats * 10)):
        t0 = time.perf_counter()
        take_snapshot(t)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def bench_gui(cfg: TrainConfig, seconds: float) -> dict:
    """The real window, offscreen, training in its process; versus headless training for as long. Also the
    window's own CPU time per frame (its thread's time, not wall time: the scheduler is not measured)."""
    from ganviz.core.trainer import Trainer
    from ganviz.ui.main_window import MainWindow

    w = MainWindow(cfg)
    w.show()
    frames, costs = [], []
    w.frame_shown.connect(lambda s: frames.append((time.perf_counter(), s.step)))
    original = w._on_frame

    def timed(snap) -> None:
        t0 = time.thread_time()
        original(snap)
        costs.append(time.thread_time() - t0)

    w.session.frame_ready.disconnect(w._on_frame)
    w.session.frame_ready.connect(timed)
    deadline = time.perf_counter() + 60
    while not frames and time.perf_counter() < deadline:  # the training process is starting
        _wait(100)
    w.session.play()
    _wait(1000)  # warm up
    start = len(frames)
    _wait(int(seconds * 1000))
    window = frames[start:]
    w.close()
    (t0, s0), (t1, s1) = window[0], window[-1]
    gui_its, fps = (s1 - s0) / (t1 - t0), (len(window) - 1) / (t1 - t0)
    trainer = Trainer(cfg)
    trainer.train(50)
    headless = statistics.median(_rate(trainer.train, max(200, int(gui_its * seconds / 3))) for _ in range(3))
    return {"gui_its": gui_its, "headless_its": headless, "gui_vs_headless": gui_its / headless, "gui_fps": fps,
            "gui_ms_per_frame": 1000 * statistics.median(costs[len(costs) // 4:])}


PLANE_PRESET = "ring_hopping"  # the 2-D rates are measured on the ring preset a lecture plays live


def bench_plane(repeats: int, seconds: float) -> dict:
    """The plane: headless iterations per second of the ring preset's trainer, its Snapshot2D's cost, and the
    real window drawing the 2-D figure while it trains (frames per second drawn, and the iterations it kept)."""
    from ganviz.core.trainer import Trainer
    from ganviz.presets import load_preset

    try:
        cfg = load_preset(PLANE_PRESET).config.replace(device="cpu")
    except Exception:  # (a checkout without the preset: the default ring)
        cfg = TrainConfig(target="ring", device="cpu")
    t = Trainer(cfg)
    t.train(50)
    its = statistics.median(_rate(t.train, 300) for _ in range(repeats))
    gui = bench_gui(cfg, seconds)
    return {"trainer_2d_its": its, "snapshot_2d_ms": bench_snapshot(cfg, repeats), "gui_fps_2d": gui["gui_fps"],
            "gui_its_2d": gui["gui_its"], "gui_2d_vs_headless": gui["gui_vs_headless"],
            "gui_ms_per_frame_2d": gui["gui_ms_per_frame"]}


def bench_export(cfg: TrainConfig, frames: int) -> dict:
    from ganviz.export.animation import export, retrain_snapshots
    from ganviz.export.request import AnimationRequest

    snaps = retrain_snapshots(cfg, frames * 10, 10)[:frames]
    with tempfile.TemporaryDirectory() as d:
        export(AnimationRequest(out=os.path.join(d, "w.mp4"), frames=snaps[:5]))  # warm up
        t0 = time.perf_counter()
        export(AnimationRequest(out=os.path.join(d, "r.mp4"), frames=snaps))
        recorded = len(snaps) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        n = export(AnimationRequest(out=os.path.join(d, "t.mp4"), config=cfg, steps=frames * 10, every=10))
        trained = n / (time.perf_counter() - t0)
    return {"export_fps": recorded, "export_train_fps": trained, "export_frames": len(snaps)}


def bench_gui_during_export(cfg: TrainConfig, seconds: float) -> float:
    """p95 lateness (ms) of a 10 ms timer in the window while an export renders in the background."""
    from PySide6.QtCore import QTimer

    from ganviz.engine.messages import ExportCancelled, ExportDone, ExportFailed
    from ganviz.engine.process import EXPORT_JOB
    from ganviz.export.request import AnimationRequest
    from ganviz.ui.bridge import ProcessBridge
    from ganviz.ui.main_window import MainWindow

    w = MainWindow(cfg)
    w.show()
    _wait(500)
    with tempfile.TemporaryDirectory() as d:
        bridge = ProcessBridge(w)
        done = []
        bridge.message_received.connect(
            lambda m: done.append(m) if isinstance(m, (ExportDone, ExportFailed, ExportCancelled)) else None)
        bridge.start(EXPORT_JOB, AnimationRequest(out=os.path.join(d, "e.mp4"), config=cfg, steps=3000, every=10))
        late, last = [], [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            late.append(max(0.0, (now - last[0]) * 1000 - 10))
            last[0] = now

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(10)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and not done:
            _wait(50)
        timer.stop()
        bridge.stop()
    w.close()
    late.sort()
    return late[int(0.95 * (len(late) - 1))] if late else float("nan")


def bench_memory(cfg: TrainConfig, steps: int) -> dict:
    import resource

    from ganviz.engine.headless import run_headless

    def rss_mb() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize() / 2**20

    run_headless(cfg.replace(steps=500))
    before = rss_mb()
    run_headless(cfg.replace(steps=steps))
    return {"memory_steps": steps, "memory_growth_mb": rss_mb() - before}


def bench_sweep(cfg: TrainConfig, quick: bool) -> dict:
    """N GANs at once, trained as the sweep trains them (in one process per core), and the fraction of this
    machine's matmul rate (all cores) they reach at N = 256."""
    from ganviz.cli.bench_load import bench_sweep_processes

    out = bench_sweep_processes(cfg, quick)
    rates = out["gan_its"]
    peak = peak_matmul_gflops()
    achieved = rates["256"] * flops_per_iteration(cfg) / 1e9
    out.update({"achieved_gflops": achieved, "peak_gflops": peak, "matmul_fraction": achieved / peak,
                # GAN-iterations per second at N = 1024 over those at N = 256: ≥ 1 means no slower per GAN
                "per_gan_1024_vs_256": rates.get("1024", float("nan")) / rates["256"]})
    return out


def bench_frames(cfg: TrainConfig) -> dict:
    """What one frame costs the pipe: the pickled Frame message (what the screen shows, nothing more)."""
    import pickle

    from ganviz.engine.live import LiveLoop
    from ganviz.engine.messages import Frame, Play

    loop = LiveLoop(cfg)
    loop.handle(Play())
    for _ in range(30):
        loop.tick()
    frames = [m for m in loop.take() if isinstance(m, Frame)]
    return {"frame_bytes": len(pickle.dumps(frames[-1], protocol=pickle.HIGHEST_PROTOCOL))}


def flops_per_iteration(cfg: TrainConfig) -> float:
    """Matmul FLOPs of one Algorithm 1 iteration of one GAN: forward + both backward matmuls of every net
    update (D step: G forward on m, D on 2m; G step: G and D on m)."""
    def macs(n_in: int, layers: int, width: int) -> int:
        dims = [n_in] + [width] * layers + [1]
        return sum(a * b for a, b in zip(dims, dims[1:]))
    m = cfg.batch_size
    g, d = macs(cfg.noise_dim, cfg.g_layers, cfg.g_width), macs(1, cfg.d_layers, cfg.d_width)
    return 2.0 * (cfg.d_steps * (m * g + 3 * 2 * m * d) + cfg.g_steps * 3 * m * (g + d))


def peak_matmul_gflops(seconds: float = 0.5) -> float:
    """This machine's float32 matmul rate on a large square product, all cores (the sweep's roof)."""
    import torch
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    a @ b
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        a @ b
        n += 1
    return n * 2 * 1024**3 / (time.perf_counter() - t0) / 1e9


def machine() -> str:
    import torch
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            names = [line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{cpu}, {os.cpu_count()} cores, {gpu}; Python {platform.python_version()}, torch {torch.__version__}"


def run_bench(args: argparse.Namespace) -> int:
    out_path = check_output(args.json, (".json",)) if args.json else None  # before minutes of measuring
    check_range("--repeats", args.repeats, 1, 50)
    from ganviz.cli.export import offscreen_app
    import torch

    app = offscreen_app()  # noqa: F841
    torch.set_num_threads(1)
    started = time.perf_counter()
    quick, repeats = args.quick, (3 if args.quick else args.repeats)
    cfg = TrainConfig(device="cpu")
    from ganviz.presets import load_preset
    sgd = load_preset("figure1").config.replace(device="cpu")
    out: dict = {"machine": machine(), "quick": quick, "repeats": repeats, "config": "default TrainConfig"}
    args.cancel.check()
    out.update(bench_trainer(cfg, 300 if quick else 1000, repeats))
    sgd_result = bench_trainer(sgd, 300 if quick else 1000, repeats)
    out.update({f"sgd_{k}": v for k, v in sgd_result.items()})
    out["snapshot_ms"] = bench_snapshot(cfg, repeats)
    args.cancel.check()
    out.update(bench_gui(cfg, 3.0 if quick else 8.0))
    args.cancel.check()
    out.update(bench_plane(repeats, 3.0 if quick else 8.0))
    out.update(bench_export(cfg, 40 if quick else 120))
    out["gui_p95_ms_export"] = bench_gui_during_export(cfg, 6.0 if quick else 12.0)
    args.cancel.check()
    out.update(bench_memory(cfg, 5000 if quick else 100_000))
    args.cancel.check()
    out["sweep"] = bench_sweep(cfg, quick)
    out["sweep"]["vs_one_gan"] = {n: v / out["trainer_its"] for n, v in out["sweep"]["gan_its"].items()}
    args.cancel.check()
    from ganviz.cli.bench_load import bench_startup, bench_under_load
    out.update(bench_under_load(cfg, quick))
    out.update(bench_startup(3 if quick else 5))
    out.update(bench_frames(cfg))
    if torch.cuda.is_available():
        out.update({f"cuda_{k}": v for k, v in bench_trainer(cfg.replace(device="cuda"), 1000, repeats).items()})
    out["seconds"] = time.perf_counter() - started
    print(format_table(out))
    if out_path:
        atomic_write_text(out_path, json.dumps(out, indent=1), cancel=args.cancel)
    sys.stdout.flush()
    return 0


def format_table(r: dict) -> str:
    s = r["sweep"]
    rows = [
        ("trainer vs reference (Adam)", f"{r['trainer_vs_reference']:.2f}×",
         f"{r['trainer_its']:.0f} vs {r['reference_its']:.0f} it/s"),
        ("trainer vs reference (SGD)", f"{r['sgd_trainer_vs_reference']:.2f}×",
         f"{r['sgd_trainer_its']:.0f} vs {r['sgd_reference_its']:.0f} it/s (figure1's config)"),
        ("GUI-driven vs headless", f"{r['gui_vs_headless']:.2f}×",
         f"{r['gui_its']:.0f} vs {r['headless_its']:.0f} it/s, {r['gui_fps']:.1f} frames/s drawn"),
        ("window's time per frame", f"{r['gui_ms_per_frame']:.1f} ms", "its thread's CPU time, median"),
        ("2-D: trainer", f"{r['trainer_2d_its']:.0f} it/s", f"the {PLANE_PRESET} preset, headless"),
        ("2-D: frames drawn", f"{r['gui_fps_2d']:.1f} fps",
         f"the window training {PLANE_PRESET}: {r['gui_its_2d']:.0f} it/s ({r['gui_2d_vs_headless']:.2f}× headless), "
         f"{r['gui_ms_per_frame_2d']:.1f} ms of the window's time per frame, Snapshot2D {r['snapshot_2d_ms']:.1f} ms"),
        ("frame message", f"{r['frame_bytes'] / 1024:.1f} KB", "pickled Frame (what the screen shows)"),
        ("start to first frame", f"{r['startup_vs_floor']:.2f}×",
         f"{r['startup_s']:.2f} s vs {r['startup_floor_s']:.2f} s floor (import torch + Qt + pyqtgraph, plot, save)"),
        ("snapshot", f"{r['snapshot_ms']:.2f} ms", "theory on the cells, exact p_g, D*, mapping, samples"),
        ("export, recorded run", f"{r['export_fps']:.1f} fps", "1280×720 MP4: render + encode"),
        ("export, re-trained", f"{r['export_train_fps']:.1f} fps", "training included"),
        ("GUI p95 during export", f"{r['gui_p95_ms_export']:.1f} ms", "event-loop lateness of a 10 ms timer"),
        ("memory growth", f"{r['memory_growth_mb']:+.1f} MB", f"over {r['memory_steps']} headless steps"),
    ]
    one = r["trainer_its"]
    for n, v in s["gan_its"].items():
        rows.append((f"sweep N = {n}", f"{v / one:.2f}×", f"{v:.0f} GAN-it/s vs {one:.0f} it/s of one run "
                     f"({s['processes'] if n != '1' else 1} process(es), one thread each)"))
    rows.append(("sweep matmul fraction", f"{100 * s['matmul_fraction']:.0f} %",
                 f"{s['achieved_gflops']:.1f} of {s['peak_gflops']:.1f} GFLOP/s at N = 256"))
    rows += [
        ("sweep under load", f"{r['sweep_under_load']:.2f}×",
         f"N = 256 with one core busy ÷ idle (fair share {r['fair_share']:.2f}); as threads: "
         f"{r['sweep_threads_under_load']:.2f}×"),
        ("single run under load", f"{r['single_under_load']:.2f}×", "with one core busy ÷ idle"),
    ]
    width = max(len(a) for a, _, _ in rows)
    lines = [f"ganviz bench — {r['machine']}", f"medians of {r['repeats']} runs, {r['seconds']:.0f} s"]
    lines += [f"  {a:<{width}}  {b:>10}   {c}" for a, b, c in rows]
    return "\n".join(lines)
