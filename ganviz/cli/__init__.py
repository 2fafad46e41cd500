"""Command line: `ganviz` (the app), `ganviz run|gui|export|figure|sweep|bench|presets`.

A leaf: nothing imports it. Exit codes: 0 ok, 1 internal error or an output that could not be written
(a full disk), 2 bad input (one line on stderr, no
traceback), 3 the run diverged, 130 / 143 interrupted by Ctrl+C / SIGTERM (nothing partial left behind).
"""

from __future__ import annotations

import argparse
import os
import sys

from ganviz.cli.common import EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERNAL, RunFailed, UsageError
from ganviz.config import ConfigError
from ganviz.io.atomic import OutputError
from ganviz.io.limits import InputError
from ganviz.io.signals import CancelFlag, Cancelled, cancel_on_signals, exit_code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse would print the usage too)
        print(f"ganviz: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def make_parser() -> argparse.ArgumentParser:
    from ganviz.cli import bench, export, gui, presets, run, sweep

    parser = _Parser(prog="ganviz", description="Watch a 1D GAN train, live (Goodfellow et al. 2014, Fig. 1).")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for add in (run.add_parser, presets.add_parser, gui.add_parser, export.add_parser, export.add_figure_parser,
                sweep.add_parser, bench.add_parser):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = make_parser().parse_args(argv)
    if args.command is None:
        from ganviz.cli.gui import start_app
        flag = CancelFlag()
        with cancel_on_signals(flag):
            return start_app(cancel=flag)
    args.cancel = CancelFlag()  # Ctrl+C and SIGTERM set it from here on; commands stop where they can stop cleanly
    try:
        with cancel_on_signals(args.cancel):
            code = int(args.func(args) or 0)
        args.cancel.check()
        return code
    except (ConfigError, UsageError, InputError) as exc:
        print(f"ganviz: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputError as exc:
        print(f"ganviz: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    except RunFailed as exc:
        print(f"ganviz: {exc}", file=sys.stderr)
        return EXIT_DIVERGED
    except Cancelled as exc:
        print(f"ganviz: {exc}; nothing written", file=sys.stderr)
        return exit_code(exc.signum)
    except KeyboardInterrupt:
        print("ganviz: interrupted; nothing written", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — the last line of defence: one line, exit 1
        print(f"ganviz: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("GANVIZ_DEBUG"):
            raise
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
