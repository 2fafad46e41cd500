"""The one bridge between the window and a background job (live training, a sweep, an export).

A worker QThread owns the job's child process: it sends the window's messages down the pipe and puts what
comes back into an inbox, then wakes the window with an argument-less queued signal. On the window's thread
the bridge drains the inbox and re-emits each message as a typed signal (``frame_ready``, ``records_ready``,
``status_changed``, …) that the plots connect to. No Python object crosses threads inside a Qt signal: plain
data behind a mutex cannot trip PySide's reference counting, which queued ``object`` signals have done.

Knob changes merge in the outbox (newest value wins); messages from a run the window has left behind (an
older ``epoch``) are dropped here, so they never reach the screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QMutex, QMutexLocker, QObject, QThread, Signal, Slot

from ganviz.engine import messages as msg
from ganviz.engine.process import Started, start

POLL_SECONDS = 0.004
_collector = None


def collect_on_gui_thread() -> None:
    """Python's cyclic garbage collection only on the window's thread, on a timer (pyqtgraph's
    GarbageCollector). Left automatic, a collection can start in a worker thread and destroy a Qt object
    there; PySide then waits for the GIL inside ~QObject while the window's thread waits on it: both freeze
    (seen as a hung test, with the pump thread collecting while it spawned the child process)."""
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector
        _collector = GarbageCollector(interval=0.5)


def _read(conn) -> tuple[list, bool]:
    """Every message waiting in the pipe, and whether the other end has closed it (a closed pipe reads as
    ready, then raises EOFError)."""
    batch: list = []
    try:
        while conn.poll():
            batch.extend(conn.recv())
    except (EOFError, OSError):
        return batch, True
    return batch, False


class _Pump(QObject):
    """Lives in the worker thread: pipe ⇄ boxes."""

    arrived = Signal()
    ended = Signal()

    def __init__(self, bridge: "ProcessBridge", factory: str, request: Any, started: Started | None = None,
                 daemon: bool = True):
        super().__init__()
        self.bridge, self.factory, self.request, self.started = bridge, factory, request, started
        self.daemon = daemon
        self.proc = None

    @Slot()
    def run(self) -> None:
        b = self.bridge
        job = self.started or start(self.factory, self.request, self.daemon)  # a process the app started early, or a new one
        conn, self.proc = job.conn, job.proc
        try:
            if job.error:
                if b._put_incoming([msg.JobFailed(job.error)]):
                    self.arrived.emit()
                return
            while True:
                outgoing, stop = b._take_outgoing()
                for message in outgoing:
                    conn.send(message)
                if stop:
                    conn.send(msg.Stop())
                    break
                if conn.poll(POLL_SECONDS) or not self.proc.is_alive():
                    batch, closed = _read(conn)
                    ended = any(isinstance(m, msg.JobEnded) for m in batch)
                    if closed and not ended:
                        batch.append(msg.JobFailed("the background process stopped unexpectedly"))
                    if b._put_incoming([m for m in batch if not isinstance(m, msg.JobEnded)]):
                        self.arrived.emit()
                    if ended or closed:
                        break
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            if b._put_incoming([msg.JobFailed("the background process stopped unexpectedly")]):
                self.arrived.emit()
        finally:
            self._end_process(conn)

    def _end_process(self, conn) -> None:
        if self.proc.pid is not None:
            self.proc.join(1.5)
            if self.proc.is_alive():
                self.proc.terminate()  # the job turns SIGTERM into its cancel flag and cleans up
                self.proc.join(2.0)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join(1.0)
        conn.close()
        self.ended.emit()


class ProcessBridge(QObject):
    """Window-side end of one background job."""

    message_received = Signal(object)  # any other message (a sweep's grid, an export's progress, …)
    frame_ready = Signal(object)  # Frame's Snapshot
    records_ready = Signal(list)  # Records' rows
    status_changed = Signal(object)  # Status
    notice = Signal(str, str)  # text, level
    restarted = Signal(int)  # the step a restart continued from
    failed = Signal(str)  # diverged, or the job died
    ended = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        collect_on_gui_thread()  # before the first worker thread exists
        self._mutex = QMutex()
        self._outgoing: list = []
        self._knobs: dict = {}
        self._incoming: list = []
        self._stop = False
        self.epoch = 0
        self.thread: QThread | None = None
        self.pump: _Pump | None = None
        self.running = False

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self, factory: str, request: Any, started: Started | None = None, daemon: bool = True) -> None:
        """Start the job ``factory`` ("module:function", built from ``request`` in a child process), or adopt
        the process ``started`` already runs it in."""
        self.stop()
        self._stop = False
        self.thread = QThread()
        self.pump = _Pump(self, factory, request, started, daemon)
        self.pump.moveToThread(self.thread)
        self.thread.started.connect(self.pump.run)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)  # never leave a running thread to the interpreter's exit
        self.pump.arrived.connect(self._drain)
        self.pump.ended.connect(self._on_ended)
        self.pump.ended.connect(self.thread.quit)
        self.running = True
        self.thread.start()

    def stop(self, wait_ms: int = 5000) -> None:
        """Ask the job to stop and wait for its process to end (a stuck one is terminated)."""
        if self.thread is None:
            return
        with QMutexLocker(self._mutex):
            self._stop = True
        self.thread.quit()
        self.thread.wait(wait_ms)
        try:
            self.pump.arrived.disconnect(self._drain)
            self.pump.ended.disconnect(self._on_ended)
        except (RuntimeError, TypeError):
            pass
        self.pump.deleteLater()
        self.thread.deleteLater()
        self.thread = self.pump = None
        self.running = False
        with QMutexLocker(self._mutex):
            self._incoming.clear()
            self._outgoing.clear()
            self._knobs.clear()

    def _on_ended(self) -> None:
        self.running = False
        self._drain()
        self.ended.emit()

    # --- window → job ---------------------------------------------------------------------------
    def send(self, message: Any) -> None:
        with QMutexLocker(self._mutex):
            if self._knobs and isinstance(message, (msg.NewRun, msg.Reset, msg.Restart)):
                self._outgoing.append(msg.SetKnobs(self._knobs))  # knobs turned before a new run belong to the old
                self._knobs = {}
            self._outgoing.append(message)

    def set_knobs(self, **changes: Any) -> None:
        """Newest value wins: changes made before the job takes them merge into one message."""
        with QMutexLocker(self._mutex):
            self._knobs.update(changes)

    def new_epoch(self) -> int:
        self.epoch += 1
        return self.epoch

    # --- worker thread side ----------------------------------------------------------------------
    def _take_outgoing(self) -> tuple[list, bool]:
        with QMutexLocker(self._mutex):
            out, self._outgoing = self._outgoing, []
            if self._knobs:
                out.append(msg.SetKnobs(self._knobs))
                self._knobs = {}
            return out, self._stop

    def _put_incoming(self, batch: list) -> bool:
        """True when the window must be woken (the inbox was empty)."""
        with QMutexLocker(self._mutex):
            wake = not self._incoming
            self._incoming.extend(batch)
            return wake

    # --- window thread ---------------------------------------------------------------------------
    def _drain(self) -> None:
        with QMutexLocker(self._mutex):
            batch, self._incoming = self._incoming, []
        frame = None
        for m in batch:
            epoch = getattr(m, "epoch", self.epoch)
            if epoch != self.epoch:
                continue  # a run the window has left behind
            match m:
                case msg.Frame():
                    frame = m  # only the newest frame is worth drawing
                case msg.Records(rows=rows):
                    self.records_ready.emit(rows)
                case msg.Status():
                    self.status_changed.emit(m)
                case msg.Notice(text=text, level=level):
                    self.notice.emit(text, level)
                case msg.Restarted(step=step):
                    self.restarted.emit(step)
                case msg.Failed(message=message) | msg.JobFailed(message=message):
                    self.failed.emit(message)
                case _:
                    self.message_received.emit(m)
        if frame is not None:
            self.frame_ready.emit(frame.snapshot)
