"""File menu actions of the main window: the current frame as PNG / SVG, the metrics shown as JSON / CSV,
the config (with its seed) as JSON that `ganviz run --config` replays. Writes are atomic where they are text."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog


def _ask(window, path: str | None, title: str, default: str, filters: str) -> str | None:
    """``path`` as given (tests, scripts), else the user's choice in a save dialog (None if cancelled)."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, title, default, filters)
    return path or None


def _write_text(window, path: str, text: str) -> None:
    from ganviz.cli import atomic_write_text
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        window.show_error(f"cannot write '{path}': {exc.strerror or exc}")
        return
    window.statusBar().showMessage(f"Saved {path}", 8000)


def save_figure(window, path: str | None = None) -> None:
    """The current frame as PNG (pixels) or SVG (vector)."""
    path = _ask(window, path, "Save figure", "ganviz-figure.png", "PNG image (*.png);;SVG vector (*.svg)")
    if path is None:
        return
    if path.lower().endswith(".svg"):
        from pyqtgraph.exporters import SVGExporter
        try:
            SVGExporter(window.figure.scene()).export(path)
            ok = True
        except OSError:
            ok = False
    elif path.lower().endswith(".png"):
        ok = window.figure.grab().save(path)
    else:
        window.show_error(f"cannot save '{path}': use .png or .svg")
        return
    window.statusBar().showMessage(f"Saved {path}" if ok else f"⚠ cannot write '{path}'", 8000)


def save_metrics(window, path: str | None = None) -> None:
    """The curves shown (one row per drawn frame) and the config, as JSON or CSV."""
    from ganviz.cli import metrics_text
    from ganviz.core.runner import RunResult
    path = _ask(window, path, "Save metrics", "ganviz-metrics.json", "JSON (*.json);;CSV (*.csv)")
    if path is None:
        return
    suffix = path[path.rfind("."):].lower() if "." in path else ""
    if suffix not in (".json", ".csv"):
        window.show_error(f"cannot save '{path}': use .json or .csv")
        return
    records = window.timeline.records()
    result = RunResult(window.worker_config(), records, {"steps": records[-1]["step"] if records else 0})
    _write_text(window, path, metrics_text(result, suffix))


def save_config(window, path: str | None = None) -> None:
    """Config + seed as JSON: `ganviz run --config FILE` replays the run."""
    path = _ask(window, path, "Save config", "ganviz-config.json", "JSON (*.json)")
    if path is not None:
        _write_text(window, path, window.worker_config().to_json())
