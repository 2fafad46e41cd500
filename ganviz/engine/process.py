"""The child-process side of every background job (live training, a sweep, an export).

A job is an object with ``handle(message)``, ``tick()``, ``take() -> list`` of messages out, ``idle_seconds()``
and ``stopped``. ``serve`` runs it: wait for messages (at most ``idle_seconds``), handle them all, tick, send
what the job produced. In its own process a job never competes with the window for Python's GIL: measured
on a 2-core machine, training in the GUI process ran at 0.35× its headless speed, in a child process 0.8×.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class JobEnded:
    """The job finished on its own (the window tells this from a process that died)."""


@dataclass
class JobFailed:
    """The job raised: the one-line reason (the window shows it; the traceback goes to stderr)."""

    message: str


def serve(conn, factory: Callable[[Any], Any], request: Any, threads: int = 1) -> None:
    """Child-process main: build the job from ``request`` and run it until Stop or a closed pipe."""
    import torch

    torch.set_num_threads(threads)  # tiny nets: one thread is fastest and leaves a core to the window
    try:
        job = factory(request)
        while not job.stopped:
            if conn.poll(job.idle_seconds()):
                while conn.poll():
                    job.handle(conn.recv())
            if not job.stopped:
                job.tick()
            out = job.take()
            if out:
                conn.send(out)
        conn.send([JobEnded()])
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass  # the window went away: nothing to report to
    except Exception as exc:  # noqa: BLE001 — reported to the window as one line, never a silent death
        traceback.print_exc()
        try:
            conn.send([JobFailed(f"{type(exc).__name__}: {exc}")])
        except (OSError, EOFError):
            pass
    finally:
        conn.close()


def live_job(request: dict):
    """Factory for the live loop (module level, so a spawned child can import it)."""
    from ganviz.engine.live import LiveLoop
    return LiveLoop(request["config"], request.get("max_fps", 60.0))


def cpu_count() -> int:
    return os.cpu_count() or 1
