"""`ganviz run`: train headless, show a progress bar, print a one-line summary, write metrics / the frame."""

from __future__ import annotations

import argparse
import sys

from ganviz.cli.common import RunFailed, TerminalProgress, add_config_args, build_config, single_thread_torch
from ganviz.io.atomic import Transaction, check_output
from ganviz.io.metrics import metrics_text, table_csv


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="train headless, print a summary, write metrics")
    add_config_args(p)
    p.add_argument("--metrics", metavar="OUT.json|OUT.csv", help="write config, history and summary")
    p.add_argument("--frame", metavar="OUT.csv", help="write the final frame: each cell's x, edges, densities, "
                   "D, D* and probability masses (each mass column sums to 1)")
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
    diag = ", ".join(s["diagnosis"]) or "none"
    cov = f"  coverage {s['mode_coverage']:.2f}" if s["mode_coverage"] is not None else ""
    print(f"steps {s['steps']}  JSD {s['jsd']:.4f}  C(G) {s['c_g']:.4f}  d_dev {s['d_dev']:.4f}{cov}  "
          f"{s['steps_per_second']:.0f} steps/s on {s['device']}  diagnosis: {diag}  badge: {s['headline']}")
    sys.stdout.flush()
    return 0


FRAME_COLUMNS = ["x", "x_lo", "x_hi", "p_data", "p_g", "d", "d_star", "p_data_mass", "p_g_mass"]


def frame_csv(snap) -> str:
    """The final frame, one row per cell: its centre and edges, the two densities (cell averages), D and D* at
    the centre, and each cell's probability under p_data and p_g — sum a mass column, not a trapezoid over a
    density (p_g may pile an integrable spike at the end of G's range)."""
    p_mass, q_mass = snap.masses()
    return table_csv(FRAME_COLUMNS, [snap.x, snap.edges[:-1], snap.edges[1:], snap.p_data, snap.p_g, snap.d,
                                     snap.d_star, p_mass, q_mass])
