"""SIGINT / SIGTERM as a cancel flag: long jobs check ``cancel.is_set()`` between units of work.

Python's default SIGINT handler raises KeyboardInterrupt wherever the main thread happens to be, which can be
inside Qt's paint code or an encoder's pipe; a flag is read only where the job can stop cleanly (between
frames, between training slices), so temporary files are removed and the exit code says what happened.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator


class Cancelled(Exception):
    """The job was cancelled (a signal, the Cancel button, the window closing)."""

    def __init__(self, message: str = "cancelled", signum: int | None = None):
        super().__init__(message)
        self.signum = signum


class CancelFlag:
    """Set by a signal (or a Stop); also the ledger of the outputs replaced while it was live, so that a
    signal arriving after a command's files were written is never reported as "nothing written"."""

    def __init__(self):
        self._event = threading.Event()
        self.signum: int | None = None
        self.written: list[str] = []  # appended by io/atomic.py right after each replace

    def set(self, signum: int | None = None) -> None:
        if self.signum is None:
            self.signum = signum
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wrote(self, path: str) -> None:
        self.written.append(path)

    def check(self) -> None:
        """Raise Cancelled if the flag is set."""
        if self._event.is_set():
            name = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}.get(self.signum, "cancelled")
            raise Cancelled(name, self.signum)


@contextlib.contextmanager
def cancel_on_signals(flag: CancelFlag) -> Iterator[CancelFlag]:
    """Within the block, SIGINT and SIGTERM set ``flag`` instead of interrupting (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, lambda signum, frame: flag.set(signum))
    try:
        yield flag
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def exit_code(signum: int | None) -> int:
    """The shell's convention: 128 + the signal number (130 for Ctrl+C, 143 for SIGTERM)."""
    return 128 + signum if signum else 130
