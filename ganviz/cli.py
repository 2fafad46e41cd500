"""Command line: `ganviz` (the app), `ganviz run|gui|export|sweep|bench|presets`.

Exit codes: 0 ok, 2 bad input (one line on stderr, no traceback), 1 internal error.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from pathlib import Path

from ganviz.config import ConfigError, TrainConfig


class UsageError(Exception):
    """Bad input detected by the CLI itself (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse would print the usage too)
        print(f"ganviz: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def add_config_args(p: argparse.ArgumentParser, steps: bool = True) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--preset", help="start from a preset (see `ganviz presets`)")
    src.add_argument("--config", help="start from a config JSON (an exported config or metrics file works)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="change one knob (repeatable)")
    if steps:
        p.add_argument("--steps", type=int, help="iterations to train (default: the config's steps)")
    p.add_argument("--seed", type=int, help="random seed")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], help="torch device")


def build_config(args: argparse.Namespace):
    """(TrainConfig, Preset or None) from --preset/--config, --set, --seed, --device, --steps."""
    preset = None
    if getattr(args, "preset", None):
        from ganviz.presets import load_preset
        preset = load_preset(args.preset)
        cfg = preset.config
    elif getattr(args, "config", None):
        cfg = TrainConfig.from_json_file(args.config)
    else:
        cfg = TrainConfig()
    cfg = cfg.with_assignments(args.set)
    extra = {k: getattr(args, k) for k in ("seed", "device", "steps") if getattr(args, k, None) is not None}
    return cfg.replace(**extra), preset


class TerminalProgress:
    """A one-line bar on stderr when it is a terminal; silent otherwise (logs stay clean)."""

    def __init__(self, label: str = ""):
        self.enabled = sys.stderr.isatty()
        self.label = label

    def __call__(self, done: int, total: int, text: str = "") -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{self.label}[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {text}\x1b[K")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write via a temp file in the same folder, then rename: never a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def metrics_text(result, suffix: str) -> str:
    if suffix == ".csv":
        import csv
        import io
        keys: list[str] = []
        for row in result.history:
            keys += [k for k in row if k not in keys]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(result.history)
        return buf.getvalue()
    return json.dumps(_json_safe(result.to_dict()), indent=1)


def _json_safe(obj):
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_json_safe(v) for v in obj]
    return obj


def check_output_path(path: str, suffixes: tuple[str, ...]) -> Path:
    from ganviz.paths import output_problem

    problem = output_problem(path, suffixes)
    if problem:
        raise UsageError(problem)
    return Path(path)


# --- commands -------------------------------------------------------------------------------------
def single_thread_torch() -> None:
    """Tiny nets run fastest on one thread (no OpenMP hand-offs); sweeps set their own count."""
    import torch
    torch.set_num_threads(1)


def cmd_run(args: argparse.Namespace) -> int:
    from ganviz.core.runner import run_headless

    single_thread_torch()

    cfg, preset = build_config(args)
    out = check_output_path(args.metrics, (".json", ".csv")) if args.metrics else None
    bar = TerminalProgress()
    result = run_headless(cfg, progress=lambda d, t, s: bar(d, t, f"JSD {s.jsd:.4f}"),
                          schedule=preset.schedule if preset and not args.no_schedule else None)
    bar.close()
    s = result.summary
    if out:
        try:
            atomic_write_text(out, metrics_text(result, out.suffix.lower()))
        except OSError as exc:
            raise UsageError(f"cannot write '{out}': {exc.strerror or exc}") from None
    if result.error:
        print(f"ganviz: {result.error}", file=sys.stderr)
        return 2
    diag = ", ".join(s["diagnosis"]) or "none"
    cov = f"  coverage {s['mode_coverage']:.2f}" if s["mode_coverage"] is not None else ""
    print(f"steps {s['steps']}  JSD {s['jsd']:.4f}  C(G) {s['c_g']:.4f}  d_dev {s['d_dev']:.4f}{cov}  "
          f"{s['steps_per_second']:.0f} steps/s on {s['device']}  diagnosis: {diag}")
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    from ganviz.presets import list_presets

    presets = list_presets()
    width = max(len(p.name) for p in presets)
    for p in presets:
        print(f"{p.name:<{width}}  {p.title} — {p.summary}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    cfg, preset = build_config(args) if (args.preset or args.config or args.set) else (None, None)
    from ganviz.app import main as app_main
    return app_main(config=cfg, preset=preset, steps=args.steps, screenshot=args.screenshot)


def cmd_export(args: argparse.Namespace) -> int:
    from ganviz.export.cli import run_export

    single_thread_torch()
    return run_export(args, build_config)


def cmd_sweep(args: argparse.Namespace) -> int:
    from ganviz.sweep import run_sweep_cli
    return run_sweep_cli(args, build_config)


def cmd_bench(args: argparse.Namespace) -> int:
    from ganviz.bench import run_bench
    return run_bench(args)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ganviz", description="Watch a 1D GAN train, live (Goodfellow et al. 2014, Fig. 1).")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("run", help="train headless, print a summary, write metrics")
    add_config_args(p)
    p.add_argument("--metrics", metavar="OUT.json|OUT.csv", help="write config, history and summary")
    p.add_argument("--no-schedule", action="store_true", help="ignore a preset's scheduled knob changes")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("presets", help="list the presets")
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser("gui", help="open the app (optionally train N steps, save a screenshot and exit)")
    add_config_args(p)
    p.add_argument("--screenshot", metavar="PATH.png", help="train --steps, save the window as PNG, exit")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("export", help="render a run to MP4 / GIF")
    add_config_args(p)
    p.add_argument("--out", required=True, metavar="run.mp4|run.gif")
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--every", type=int, metavar="M", help="training steps per frame")
    p.add_argument("--no-caption", action="store_true", help="leave out the step / loss / JSD caption")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("sweep", help="train a grid of GANs at once and map the outcomes")
    add_config_args(p)
    p.add_argument("--x", required=True, metavar="KEY=LO:HI[:log]:N")
    p.add_argument("--y", required=True, metavar="KEY=LO:HI[:log]:N")
    p.add_argument("--out", required=True, metavar="grid.json|grid.png")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("bench", help="measure speed side by side; print medians and ratios")
    p.add_argument("--json", metavar="OUT.json")
    p.add_argument("--quick", action="store_true", help="short runs (for tests)")
    p.add_argument("--repeats", type=int, default=5)
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from ganviz.app import main as app_main
        return app_main()
    try:
        return int(args.func(args) or 0)
    except (ConfigError, UsageError) as exc:
        print(f"ganviz: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ganviz: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — the last line of defence: one line, exit 1
        print(f"ganviz: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("GANVIZ_DEBUG"):
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
