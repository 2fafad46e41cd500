"""Placing a window on the screen it belongs to: never larger than that screen's available area, centred on it
(a 1366 × 768 projector included)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget


def place(widget: QWidget, width: int, height: int, near: QWidget | None = None) -> None:
    """Size ``widget`` to width × height, shrunk to fit the available area of ``near``'s screen (else the
    primary one), and centre it there."""
    screen = (near.screen() if near is not None else None) or QApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    area = screen.availableGeometry()
    w, h = min(width, area.width() - 20), min(height, area.height() - 40)
    widget.resize(w, h)
    widget.move(area.x() + (area.width() - w) // 2, area.y() + max(0, (area.height() - h) // 2))
