"""The child-process side of every background job (live training, a sweep, an export).

A job is an object with ``handle(message)``, ``tick()``, ``take() -> list`` of messages out, ``idle_seconds()``
and ``stopped``; messages both ways are the dataclasses of engine/messages.py. ``serve`` runs it: wait for
messages (at most ``idle_seconds``), handle them all, tick, send what the job produced.

The job is named by a string, ``"module:function"``, and built in the child: the window's process never
imports the job's module, so it never loads torch (the trainer, the sweep and the renderer live in the child).
In its own process a job never competes with the window for Python's GIL: measured on a 2-core machine,
training in the GUI process ran at 0.35× its headless speed, in a child process 0.8×.
"""

from __future__ import annotations

import importlib
import os
import traceback
from dataclasses import dataclass
from typing import Any

from ganviz.engine.messages import JobEnded, JobFailed

LIVE_JOB = "ganviz.engine.live:live_job"
SWEEP_JOB = "ganviz.engine.sweep:sweep_job"
EXPORT_JOB = "ganviz.export.job:export_job"


def live_request(config, max_fps: float = 60.0) -> dict:
    """What the live training process is started with (the app may start it before the window exists)."""
    return {"config": config, "max_fps": max_fps}


def build(factory: str, request: Any):
    """The job ``"module:function"`` makes from ``request``."""
    module, name = factory.split(":")
    return getattr(importlib.import_module(module), name)(request)


@dataclass
class Started:
    """A job's process, started (its end of the pipe kept here); a bridge adopts it."""

    conn: Any
    proc: Any
    error: str = ""


def start(factory: str, request: Any, daemon: bool = True) -> Started:
    """Start the job ``factory`` in a new process (spawned, never forked: the parent may run Qt and torch
    threads). The app calls this before it even imports Qt, so the training process loads torch while the
    window is being built. A job that starts processes of its own (a sweep's shards) must not be a daemon;
    it still ends when the pipe from the window closes."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    conn, child = ctx.Pipe()
    proc = ctx.Process(target=serve, args=(child, factory, request), daemon=daemon, name="ganviz-job")
    try:
        proc.start()
    except (RuntimeError, OSError) as exc:  # e.g. no resources for a process: the window says so
        return Started(conn, proc, f"cannot start the background process: {exc}")
    finally:
        child.close()
    return Started(conn, proc)


def serve(conn, factory: str, request: Any) -> None:
    """Child-process main: build the job and run it until it stops, a Stop arrives or the pipe closes (a job
    with a ``close()`` is closed in every case: an export removes its temporary file)."""
    job = None
    try:
        job = build(factory, request)
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
        if job is not None and hasattr(job, "close"):
            job.close()
        conn.close()


def cpu_count() -> int:
    return os.cpu_count() or 1
