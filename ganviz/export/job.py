"""Export as a background job of engine/process.py, in its own process: the window stays responsive and
Cancel works at once.

The job renders offscreen (QT_QPA_PLATFORM=offscreen) one unit of work per tick (a training slice or a frame:
``export_steps`` is a generator), so between two frames serve() hands it the window's messages: a ``Stop``
sets the cancel flag, as SIGTERM does, and the next step raises Cancelled inside the export, which removes
its temporary file. Progress, the result and any failure go back as the dataclasses of engine/messages.py.
"""

from __future__ import annotations

import os
import signal
import traceback

from ganviz.engine.messages import ExportCancelled, ExportDone, ExportFailed, Stop
from ganviz.export.request import AnimationRequest, ExportDiverged, PanelsRequest
from ganviz.io.atomic import OutputError
from ganviz.io.limits import InputError
from ganviz.io.signals import CancelFlag, Cancelled


class ExportJob:
    def __init__(self, request: AnimationRequest | PanelsRequest):
        from pyqtgraph.util.garbage_collector import GarbageCollector

        self.request = request
        self.flag = CancelFlag()
        self.out: list = []
        self.stopped = False
        # garbage collection only here, between frames, on the thread that renders (see ui/bridge.py): there is
        # no event loop in this process, so the collector's timer never fires; tick() runs its check
        self.collector = GarbageCollector()
        self.steps = self._panels() if isinstance(request, PanelsRequest) else self._animation()

    def _animation(self):
        from ganviz.export.animation import export_steps
        return (yield from export_steps(self.request, self.flag))

    def _panels(self):
        from ganviz.export.panels import write_panels
        r = self.request
        write_panels(r.frames, r.out, r.size, r.x_range, r.dark, r.letters, r.notes, cancel=self.flag)
        return len(r.frames)
        yield  # a generator of one step

    def handle(self, message) -> None:
        if isinstance(message, Stop):
            self.flag.set()

    def tick(self) -> None:
        self.collector.check()
        try:
            self.out.append(next(self.steps))
            return
        except StopIteration as done:
            self.out.append(ExportDone(done.value, self.request.out))
        except Cancelled:
            self.out.append(ExportCancelled())
        except (OutputError, InputError, ExportDiverged) as exc:
            self.out.append(ExportFailed(str(exc)))
        except Exception as exc:  # noqa: BLE001 — one line in the window, never a silent death
            traceback.print_exc()
            self.out.append(ExportFailed(f"internal error: {type(exc).__name__}: {exc}"))
        self.stopped = True

    def take(self) -> list:
        out, self.out = self.out, []
        return out

    def idle_seconds(self) -> float:
        return 0.0

    def close(self) -> None:
        """The window went away mid-export: cancel, so the export removes its temporary file."""
        self.flag.set()
        self.steps.close()


def export_job(request) -> ExportJob:
    """Built in the export's process: offscreen Qt, SIGTERM as the cancel flag, and torch (one thread) only
    for a run re-trained from its config — drawing given frames starts faster without it."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    if isinstance(request, AnimationRequest) and request.frames is None:
        import torch
        torch.set_num_threads(1)
    QApplication.instance() or QApplication([])  # widgets need it (rendering only: no event loop runs)
    job = ExportJob(request)
    signal.signal(signal.SIGTERM, lambda s, f: job.flag.set(s))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is the window's business
    return job
