"""`ganviz presets`: list the presets; `--check` measures each on many seeds and can write docs/presets.md."""

from __future__ import annotations

import argparse
import datetime
import multiprocessing as mp
import os
import platform
import sys

from ganviz.cli.common import TerminalProgress, UsageError
from ganviz.io.atomic import atomic_write_text, check_output

PAGE = """# Presets — measured, not typed

Each preset is `resources/presets/NAME.json`: a `TrainConfig`, a title, a one-line summary, a two-sentence
explanation shown under the figure, the Algorithm 1 line in use, optionally a script of knob changes (as a
lecturer would turn a knob) and a fixed x range. A preset *promises* a phenomenon: the headline of the status
badge (core/diagnose.py) when the run ends (a preset with a script is judged before its switch, and must be
rescued after it).

The table below is **generated** by `{command}` on {machine}, {date}: every preset run exactly as
`ganviz run --preset P --seed S` runs it, on seeds {seeds} (the columns) and on seeds that no tuning looked at
(the "unseen" count). ✓ = the badge showed the promised headline at the end — judged as a viewer saw it,
record by record with the badge's hysteresis (the last column of the second table is the badge's whole
timeline: each state it showed, from which step) — and, for `old_faithful`, p_g covers both eruption types — ≥ 70 % of p_data's mass below 2.6 min and above
3.4 min — with at most 1.5 × p_data's own mass in the valley between them; a preset that rescues a mode
collapse must also end with every mode covered; a preset whose script switches a knob must end with JSD < 0.1.
`make test` checks a majority over 3 seeds per preset (tests/engine/test_truth.py; one seed for the eleven
whose runs take longest, to keep the suite under ten minutes), so a regression shows on any CPU; this table is
where the promise is measured.

{table}

## Every run

{detail}
"""


def add_parser(sub) -> None:
    p = sub.add_parser("presets", help="list the presets; --check measures each on many seeds")
    p.add_argument("--check", action="store_true", help="run every preset on --seeds and tabulate what it shows")
    p.add_argument("--seeds", default="0-9", help="seeds to check, e.g. 0-9 or 0,3,7 (default 0-9)")
    p.add_argument("--unseen", help="more seeds no tuning looked at, counted in their own column (e.g. 10-19)")
    p.add_argument("--only", help="comma-separated preset names (default: all)")
    p.add_argument("--write", metavar="PAGE.md", help="write the generated page (docs/presets.md)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes in parallel")
    p.set_defaults(func=cmd_presets)


def parse_seeds(text: str) -> list[int]:
    seeds: list[int] = []
    try:
        for part in text.split(","):
            if "-" in part:
                a, b = (int(v) for v in part.split("-", 1))
                seeds += list(range(a, b + 1))
            elif part.strip():
                seeds.append(int(part))
    except ValueError:
        raise UsageError(f"--seeds must look like 0-9 or 0,3,7, got '{text}'") from None
    if not seeds or len(seeds) > 100 or min(seeds) < 0:
        raise UsageError(f"--seeds must name 1 to 100 seeds ≥ 0, got '{text}'")
    return seeds


def _check(args):
    import torch
    torch.set_num_threads(1)
    from ganviz.engine.truth import check
    from ganviz.presets import load_preset
    name, seed = args
    return check(load_preset(name), seed)


def cmd_presets(args: argparse.Namespace) -> int:
    from ganviz.presets import list_presets

    presets = list_presets()
    if not args.check:
        width = max(len(p.name) for p in presets)
        for p in presets:
            print(f"{p.name:<{width}}  {p.title} — {p.summary}")
        return 0
    from ganviz.engine.truth import detail, table

    seeds = parse_seeds(args.seeds)
    unseen = [s for s in parse_seeds(args.unseen) if s not in seeds] if args.unseen else []
    if args.only:
        wanted = {n.strip() for n in args.only.split(",")}
        unknown = wanted - {p.name for p in presets}
        if unknown:
            raise UsageError(f"unknown preset(s): {', '.join(sorted(unknown))}")
        presets = [p for p in presets if p.name in wanted]
    out = check_output(args.write, (".md",)) if args.write else None
    jobs = [(p.name, s) for p in presets for s in seeds + unseen]
    bar = TerminalProgress("presets ")
    results = []
    with mp.get_context("spawn").Pool(max(1, args.jobs)) as pool:
        for r in pool.imap_unordered(_check, jobs):
            args.cancel.check()
            results.append(r)
            bar(len(results), len(jobs), f"{r.preset} seed {r.seed}: {r.headline}")
    bar.close()
    order = {(p.name, s): i for i, (p, s) in enumerate((p, s) for p in presets for s in seeds + unseen)}
    results.sort(key=lambda c: order[(c.preset, c.seed)])
    text = table(presets, results, seeds, unseen)
    print(text)
    if out:
        command = ("ganviz presets --check --seeds " + args.seeds + (f" --unseen {args.unseen}" if unseen else "")
                   + " --write " + args.write)
        machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        atomic_write_text(out, PAGE.format(command=command, machine=_cpu() or machine, seeds=args.seeds,
                                           date=datetime.date.today().isoformat(), table=text,
                                           detail=detail(results)), cancel=args.cancel)
        print(f"wrote {out}", file=sys.stderr)
    return 0


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            names = [line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")]
        return f"{names[0]}, {os.cpu_count()} cores" if names else ""
    except OSError:
        return ""
