"""TrainingWorker: a QObject in a QThread that runs the TrainingLoop, in a child process by default.

The loop never waits on the GUI and the GUI never waits on the loop:
- commands (play, pause, single steps, reset, knob changes, speed) go into a mutex-guarded box; knob
  changes merge, so the newest value wins; the loop applies them between steps;
- results come back through an outbox that the GUI drains with a timer (``collect()``): at most ``max_fps``
  Snapshots a second (time-based), and a new one only once the GUI has taken the previous one, so a slow
  view can never queue up frames.

``mode="process"`` (the default) trains in a child process and the QThread only shuttles messages: the GUI's
Python (pyqtgraph) and the training's Python (torch dispatch) then no longer take turns on one GIL, which
otherwise cost training about half its speed. ``mode="thread"`` trains in the QThread itself (no process
start-up; used where a child process is not wanted).

Why an outbox and not signals carrying Python objects: queued cross-thread signals with ``object``
arguments have crashed PySide6 intermittently (a refcount error, "deallocating None"); plain data behind a
mutex cannot. The only signal crossing threads is the argument-less ``finished``.
"""

from __future__ import annotations

import multiprocessing as mp
from typing import Any

from PySide6.QtCore import QMutex, QMutexLocker, QObject, QWaitCondition, Signal, Slot

from ganviz.config import TrainConfig
from ganviz.engine.loop import TrainingLoop

POLL_SECONDS = 0.005


def serve(conn, cfg: TrainConfig, max_fps: float) -> None:
    """Child-process main: run the loop, reading commands from and sending events to ``conn``."""
    import torch

    torch.set_num_threads(1)  # tiny nets: one thread is fastest and leaves the other core to the GUI
    try:
        loop = TrainingLoop(cfg, max_fps)
        conn.send(loop.apply([("state", None)], {}) + loop.apply([("pause", None)], {}))
        while True:
            commands, knobs, stop = [], {}, False
            if conn.poll(loop.idle_seconds()):
                while conn.poll():
                    kind, arg = conn.recv()
                    if kind == "stop":
                        stop = True
                    elif kind == "knobs":
                        knobs.update(arg)
                    else:
                        commands.append((kind, arg))
            if stop:
                break
            events = loop.apply(commands, knobs) if (commands or knobs) else []
            events += loop.advance()
            if events:
                conn.send(events)
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        conn.close()


class TrainingWorker(QObject):
    finished = Signal()

    def __init__(self, cfg: TrainConfig, max_fps: float = 60.0, mode: str = "process"):
        super().__init__()
        self._mutex = QMutex()
        self._wake = QWaitCondition()
        self._commands: list[tuple[str, Any]] = []
        self._knobs: dict[str, Any] = {}
        self._events: list[tuple[str, Any]] = []
        self._stop = False
        self._cfg = cfg
        self.max_fps = max_fps
        self.mode = mode
        self.playing = False  # as last reported by the loop (GUI-thread view)

    # --- called from the GUI thread ------------------------------------------------------------
    def _post(self, name: str, arg: Any = None) -> None:
        with QMutexLocker(self._mutex):
            self._commands.append((name, arg))
            self._wake.wakeAll()

    def play(self) -> None:
        self._post("play")

    def pause(self) -> None:
        self._post("pause")

    def step_d(self) -> None:
        self._post("step_d")

    def step_g(self) -> None:
        self._post("step_g")

    def step_once(self) -> None:
        self._post("step")

    def reset(self, cfg: TrainConfig | None = None) -> None:
        self._post("reset", cfg)

    def rewind(self, cfg: TrainConfig, weights: dict, step: int) -> None:
        """Continue training from recorded weights (a frame of the timeline)."""
        self._post("rewind", (cfg, weights, step))

    def set_schedule(self, schedule: dict[int, dict]) -> None:
        """Knob changes to make when training reaches given iterations (a preset's script)."""
        self._post("schedule", dict(schedule))

    def set_speed(self, steps_per_second: float) -> None:
        self._post("speed", float(steps_per_second))

    def play_until(self, iteration: int) -> None:
        self._post("until", int(iteration))
        self._post("play")

    def request_state(self) -> None:
        self._post("state")

    def set_knobs(self, **knobs: Any) -> None:
        """Newest value wins: several changes before the next step merge into one set()."""
        with QMutexLocker(self._mutex):
            self._knobs.update(knobs)
            self._wake.wakeAll()

    def collect(self) -> list[tuple[str, Any]]:
        """Take the events posted since the last call; taking a Snapshot frees the loop to make the next."""
        with QMutexLocker(self._mutex):
            events, self._events = self._events, []
        for kind, value in events:
            if kind == "state":
                self.playing = value
        if any(kind == "snapshot" for kind, _ in events):
            self._post("taken")
        return events

    def stop(self) -> None:
        with QMutexLocker(self._mutex):
            self._stop = True
            self._wake.wakeAll()

    # --- worker thread --------------------------------------------------------------------------
    def _take(self):
        with QMutexLocker(self._mutex):
            commands, self._commands = self._commands, []
            knobs, self._knobs = self._knobs, {}
            return commands, knobs, self._stop

    def _out(self, events: list[tuple[str, Any]]) -> None:
        if not events:
            return
        with QMutexLocker(self._mutex):
            if any(kind == "snapshot" for kind, _ in events):  # only the newest frame is worth drawing
                self._events = [e for e in self._events if e[0] != "snapshot"]
            self._events.extend(events)

    def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with QMutexLocker(self._mutex):
            if not self._commands and not self._knobs and not self._stop:
                self._wake.wait(self._mutex, max(1, int(seconds * 1000)))

    @Slot()
    def run(self) -> None:
        try:
            self._run_process() if self.mode == "process" else self._run_thread()
        finally:
            self.finished.emit()

    def _run_thread(self) -> None:
        loop = TrainingLoop(self._cfg, self.max_fps)
        self._out(loop.apply([("state", None)], {}) + loop.apply([("pause", None)], {}))
        while True:
            commands, knobs, stop = self._take()
            if stop:
                return
            events = loop.apply(commands, knobs) if (commands or knobs) else []
            events += loop.advance()
            self._out(events)
            self._sleep(loop.idle_seconds())

    def _run_process(self) -> None:
        ctx = mp.get_context("spawn")  # never fork a process that runs Qt and torch threads
        conn, child = ctx.Pipe()
        proc = ctx.Process(target=serve, args=(child, self._cfg, self.max_fps), daemon=True, name="ganviz-train")
        proc.start()
        child.close()
        try:
            while True:
                commands, knobs, stop = self._take()
                if stop:
                    conn.send(("stop", None))
                    return
                for command in commands:
                    conn.send(command)
                if knobs:
                    conn.send(("knobs", knobs))
                if conn.poll(POLL_SECONDS):
                    while conn.poll():
                        self._out(conn.recv())
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._out([("diverged", "the training process stopped unexpectedly; press Reset to start again")])
        finally:
            proc.join(0.8)
            if proc.is_alive():
                proc.terminate()
                proc.join(0.5)
            conn.close()
