"""What every command shares: the config arguments, the progress bar, the one-line errors."""

from __future__ import annotations

import argparse
import re
import sys

from ganviz.config import ConfigError, TrainConfig
from ganviz.io.limits import MAX_SHOWN, clip


class UsageError(Exception):
    """Bad input detected by the CLI itself (exit 2)."""


class RunFailed(Exception):
    """The run itself failed (it diverged): exit 3 with the message."""


EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_DIVERGED = 0, 1, 2, 3
MAX_MESSAGE = 1000  # characters in an error line (room for the list of known names; user text is clipped to 80)
_QUOTED = re.compile("'([^']{%d,})'" % (MAX_SHOWN + 1))


def one_line(message: str) -> str:
    """``message`` as one short line: user text quoted in it is clipped (a 128 KB column name must not become
    a 131 KB error line, whichever layer wrote the message), control characters are escaped, and the whole
    stays under MAX_MESSAGE characters."""
    return clip(_QUOTED.sub(lambda m: f"'{clip(m.group(1))}'", message), MAX_MESSAGE)


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
        from ganviz.presets import load_preset, preset_names
        try:
            preset = load_preset(args.preset)
        except OSError:  # a name no file system takes (128 KB): pathlib raises where it means "no such file"
            raise UsageError(f"unknown preset '{clip(args.preset)}'; known presets: "
                             f"{', '.join(preset_names())}") from None
        cfg = preset.config
    elif getattr(args, "config", None):
        cfg = TrainConfig.from_json_file(args.config)
    else:
        cfg = TrainConfig()
    cfg = cfg.with_assignments(args.set)
    extra = {k: getattr(args, k) for k in ("seed", "device", "steps") if getattr(args, k, None) is not None}
    return cfg.replace(**extra), preset


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        raise UsageError(f"--size must look like 1280x720, got '{clip(text)}'")
    w, h = int(m.group(1)), int(m.group(2))
    if not (64 <= w <= 3840 and 64 <= h <= 2160):
        raise UsageError(f"--size {w}x{h} is out of range; allowed: 64x64 … 3840x2160")
    return w, h


def check_range(name: str, value: int | None, lo: int, hi: int) -> None:
    if value is not None and not lo <= value <= hi:
        raise UsageError(f"{name} {value} is out of range; allowed: {lo} ≤ {name.lstrip('-')} ≤ {hi}")


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


def single_thread_torch() -> None:
    """Tiny nets run fastest on one thread (no OpenMP hand-offs); sweeps set their own count."""
    import torch
    torch.set_num_threads(1)


__all__ = ["ConfigError", "UsageError", "RunFailed", "add_config_args", "build_config", "parse_size",
           "TerminalProgress", "single_thread_torch", "check_range", "one_line"]
