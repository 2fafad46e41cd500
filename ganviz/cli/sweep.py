"""`ganviz sweep`: train a grid of GANs at once and map the outcomes (JSON or PNG)."""

from __future__ import annotations

import argparse
import json

from ganviz.cli.common import TerminalProgress, add_config_args, build_config
from ganviz.io.atomic import atomic_path, atomic_write_text, check_output


def add_parser(sub) -> None:
    p = sub.add_parser("sweep", help="train a grid of GANs at once and map the outcomes")
    add_config_args(p)
    p.add_argument("--x", required=True, metavar="KEY=LO:HI[:log]:N", help="e.g. lr_d=1e-4:1e-1:log:16")
    p.add_argument("--y", required=True, metavar="KEY=LO:HI[:log]:N", help="e.g. g_loss=saturating,non_saturating")
    p.add_argument("--out", required=True, metavar="grid.json|grid.png")
    p.set_defaults(func=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    import torch

    from ganviz.engine.grid import parse_axis, summary_line, sweep_configs
    from ganviz.engine.sweep import run_sweep
    from ganviz.export.sweep_png import render_png

    cfg, _ = build_config(args)
    x, y = parse_axis(args.x), parse_axis(args.y)
    out = check_output(args.out, (".json", ".png"))
    sweep_configs(cfg, x, y)  # refuse bad combinations before training
    torch.set_num_threads(1)  # the shards train in processes of their own, one thread each (engine/sweep.py)
    bar = TerminalProgress("sweep ")
    result = run_sweep(cfg, x, y, progress=lambda d, t: bar(d, t), cancel=args.cancel)
    bar.close()
    if out.suffix.lower() == ".png":
        with atomic_path(out, cancel=args.cancel) as tmp:
            render_png(result, tmp)
    else:
        atomic_write_text(out, json.dumps(result, indent=1), cancel=args.cancel)
    print(f"wrote {out}: {len(x.values)}×{len(y.values)} cells after {result['steps']} steps — {summary_line(result)}")
    return 0
