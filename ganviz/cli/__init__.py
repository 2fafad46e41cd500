"""Command line: `ganviz` (the app), `ganviz run|gui|export|figure|sweep|bench|presets|lesson`.

A leaf: nothing imports it. Exit codes: 0 ok, 1 internal error or an output that could not be written
(a full disk), 2 bad input (one line on stderr, no traceback), 3 the run diverged, 130 / 143 interrupted by
Ctrl+C / SIGTERM (nothing partial left behind). Every failure is one short line on stderr (``one_line``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from typing import Iterator

from ganviz.cli.common import EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERNAL, RunFailed, UsageError, one_line
from ganviz.config import ConfigError
from ganviz.io.atomic import OutputError
from ganviz.io.limits import InputError, clip
from ganviz.io.signals import CancelFlag, Cancelled, cancel_on_signals, exit_code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse would print the usage too)
        print(f"ganviz: error: {one_line(message)}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def make_parser() -> argparse.ArgumentParser:
    from ganviz.cli import bench, export, gui, lesson, presets, run, sweep

    parser = _Parser(prog="ganviz", description="Watch a 1D GAN train, live (Goodfellow et al. 2014, Fig. 1).")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for add in (run.add_parser, presets.add_parser, gui.add_parser, export.add_parser, export.add_figure_parser,
                sweep.add_parser, bench.add_parser, lesson.add_parser):
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
        with cancel_on_signals(args.cancel), _no_numpy_warnings():
            code = int(args.func(args) or 0)
        if args.cancel.is_set():  # a signal after the command's last check (its outputs, if any, are whole)
            return _interrupted(args.cancel)
        return code
    except (ConfigError, UsageError, InputError) as exc:
        return _fail(exc, EXIT_BAD_INPUT)
    except OutputError as exc:
        return _fail(exc, EXIT_INTERNAL)
    except RunFailed as exc:
        return _fail(exc, EXIT_DIVERGED)
    except Cancelled as exc:
        return _interrupted(args.cancel, exc.signum)
    except KeyboardInterrupt:
        return _interrupted(args.cancel, signal.SIGINT)
    except Exception as exc:  # noqa: BLE001 — the last line of defence: one line, exit 1
        print(f"ganviz: internal error: {type(exc).__name__}: {one_line(str(exc))}", file=sys.stderr)
        if os.environ.get("GANVIZ_DEBUG"):
            raise
        return EXIT_INTERNAL


def _fail(exc: Exception, code: int) -> int:
    print(f"ganviz: {one_line(str(exc))}", file=sys.stderr)
    return code


def _interrupted(flag: CancelFlag, signum: int | None = None) -> int:
    """Exit 130 / 143 with a line that says truthfully what was written: nothing, unless the signal came
    after the outputs had replaced their targets (the flag's ledger, kept by io/atomic.py)."""
    signum = signum or flag.signum
    what = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}.get(signum, "cancelled")
    if flag.written:
        print(f"ganviz: {what} after writing {', '.join(clip(w, 60) for w in flag.written[:4])} (complete)",
              file=sys.stderr)
    else:
        print(f"ganviz: {what}; nothing written", file=sys.stderr)
    return exit_code(signum)


@contextlib.contextmanager
def _no_numpy_warnings() -> Iterator[None]:
    """No numpy floating-point warning on stderr (one line per failure, nothing else): overflow and invalid
    values are checked explicitly where they matter — a run that diverges has NaN / inf in its records and
    exits 3, a CSV's values are range-checked (a column holding ±1e308 overflowed np.ptp with a warning
    before its ±1e6 check refused it)."""
    import numpy as np

    with np.errstate(all="ignore"):
        yield


if __name__ == "__main__":
    sys.exit(main())
