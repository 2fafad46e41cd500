"""`ganviz run`: train headless, show a progress bar, print a one-line summary, write metrics / the frame."""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

from ganviz.cli.common import RunFailed, TerminalProgress, add_config_args, build_config, single_thread_torch
from ganviz.io.atomic import Transaction, check_output
from ganviz.io.metrics import metrics_text, table_csv


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="train headless, print a summary, write metrics")
    add_config_args(p)
    p.add_argument("--metrics", metavar="OUT.json|OUT.csv", help="write config, history and summary")
    p.add_argument("--frame", metavar="OUT.csv", help="write the final frame: each cell's x, edges, densities, "
                   "D, D* and probability masses (each mass column sums to 1); for a 2-D target each cell of the "
                   "plane: x, y, p_data, p_g (estimated), D and the two masses")
    p.add_argument("--no-schedule", action="store_true", help="ignore a preset's scheduled knob changes")
    p.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from ganviz.engine.headless import run_headless

    single_thread_torch()
    cfg, preset = build_config(args)
    metrics = check_output(args.metrics, (".json", ".csv")) if args.metrics else None
    frame = check_output(args.frame, (".csv",)) if args.frame else None
    bar = TerminalProgress()
    run = run_headless(cfg, schedule=preset.schedule if preset and not args.no_schedule else None,
                       progress=lambda d, t, row: bar(d, t, f"JSD {row.get('jsd', float('nan')):.4f}"),
                       cancel=args.cancel)
    bar.close()
    if run.error:  # a diverged run replaces nothing: its metrics would end in NaN, its frame be a bare header
        raise RunFailed(run.error + ("; nothing written" if metrics or frame else ""))
    with Transaction(args.cancel) as outputs:  # both written and verified, then both replaced, or neither
        if metrics:
            outputs.write_text(metrics, metrics_text(run.document(), metrics.suffix))
        if frame and run.last is not None:
            outputs.write_text(frame, frame_csv(run.last))
    s = run.summary()
    diag = ", ".join(s["diagnosis"]) or "none"  # every state whose detector fires now; the badge shows the first
    cov = f"  coverage {s['mode_coverage']:.2f}" if s["mode_coverage"] is not None else ""
    def num(key: str, label: str, fmt: str = ".4f") -> str:
        v = s.get(key)
        return f"  {label} {v:{fmt}}" if isinstance(v, (int, float)) and math.isfinite(v) else ""
    d_dev = num("d_dev", "d_dev") or "  d_dev n/a (a critic)"
    modes = ""
    if s.get("modes_covered") is not None:
        modes = f"  modes covered {s['modes_covered']}/{s['n_modes']}{num('quality', 'high-quality', '.2f')}"
    print(f"steps {s['steps']}{num('jsd', 'JSD')}{num('c_g', 'C(G)')}{num('w1', 'W1')}{num('sw1', 'sliced W1')}{d_dev}"
          f"{cov if not modes else ''}{modes}  {s['steps_per_second']:.0f} steps/s on {s['device']}  detectors: {diag}  "
          f"badge: {s['headline']}")
    sys.stdout.flush()
    return 0


FRAME_COLUMNS = ["x", "x_lo", "x_hi", "p_data", "p_g", "d", "d_star", "p_data_mass", "p_g_mass"]


FRAME_COLUMNS_2D = ["x", "y", "p_data", "p_g", "d", "p_data_mass", "p_g_mass"]


def frame_csv(snap) -> str:
    """The final frame, one row per cell: its centre and edges, the two densities (cell averages), D and D* at
    the centre, and each cell's probability under p_data and p_g — sum a mass column, not a trapezoid over a
    density (p_g may pile an integrable spike at the end of G's range)."""
    p_mass, q_mass = snap.masses()
    if snap.kind == "2d":  # one row per cell of the plane, x fastest (p_g from G on a dense z grid: its note)
        cx, cy = snap.centres()
        xx, yy = np.meshgrid(cx, cy)
        return table_csv(FRAME_COLUMNS_2D, [a.ravel() for a in (xx, yy, snap.p_data, snap.p_g, snap.d, p_mass, q_mass)])
    return table_csv(FRAME_COLUMNS, [snap.x, snap.edges[:-1], snap.edges[1:], snap.p_data, snap.p_g, snap.d,
                                     snap.d_star, p_mass, q_mass])
