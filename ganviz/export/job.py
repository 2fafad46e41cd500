"""Export as a background job in its own process (the window stays responsive; Cancel works at once).

The child renders offscreen (QT_QPA_PLATFORM=offscreen); a reader thread turns a Stop message from the
window, and SIGTERM, into the cancel flag that the export checks between frames, so a cancelled or closed
export leaves no file and no temporary file behind.
"""

from __future__ import annotations

import os
import signal
import threading


def main(conn, kind: str, request) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    import torch

    torch.set_num_threads(1)
    from PySide6.QtWidgets import QApplication

    from ganviz.export.animation import ExportDiverged, export
    from ganviz.export.figure1 import write_panels
    from ganviz.io.atomic import OutputError
    from ganviz.io.limits import InputError
    from ganviz.io.signals import CancelFlag, Cancelled

    flag = CancelFlag()
    signal.signal(signal.SIGTERM, lambda s, f: flag.set(s))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is the window's business

    def listen() -> None:
        try:
            while not done.is_set():
                if conn.poll(0.1) and type(conn.recv()).__name__ == "Stop":
                    flag.set()
                    return
        except Exception:  # noqa: BLE001 — the pipe closed under us: the window went away, or we are done
            flag.set()

    done = threading.Event()

    # garbage collection only on this (the rendering) thread, between frames: a collection started in the
    # listener could destroy a Qt object there and deadlock PySide (see ui/bridge.collect_on_gui_thread).
    # There is no event loop here, so the collector's timer never fires: send() runs its check per message.
    app = QApplication.instance() or QApplication([])  # noqa: F841 (widgets need it)
    from pyqtgraph.util.garbage_collector import GarbageCollector
    collector = GarbageCollector()
    listener = threading.Thread(target=listen, daemon=True)
    listener.start()

    def send(*message) -> None:
        collector.check()
        try:
            conn.send([message])
        except (OSError, EOFError):
            flag.set()

    try:
        if kind == "figure1":
            snaps, out, size = request
            write_panels(snaps, out, size)
            send("done", len(snaps), out)
        else:
            n = export(request, progress=lambda phase, d, t: send("progress", phase, d, t), cancel=flag)
            send("done", n, request.out)
    except Cancelled:
        send("cancelled")
    except (OutputError, InputError, ExportDiverged) as exc:
        send("error", str(exc))
    except Exception as exc:  # noqa: BLE001 — one line in the window, never a silent death
        send("error", f"internal error: {type(exc).__name__}: {exc}")
    finally:
        done.set()
        from ganviz.engine.process import JobEnded
        try:
            conn.send([JobEnded()])
        except (OSError, EOFError):
            pass
        listener.join(1.0)
        conn.close()
