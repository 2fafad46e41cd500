"""Render Snapshots to images offscreen with the very FigurePanel the app shows, on fixed axes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter

from ganviz.core.snapshot import Snapshot
from ganviz.draw import style as st
from ganviz.draw.figure_panel import FigurePanel


def qimage_to_rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


class PanelsRenderer:
    """``n`` FigurePanels in one row, offscreen, at a fixed pixel size; the same axes in every panel."""

    def __init__(self, width: int, height: int, n: int = 1, letters: tuple[str, ...] = ("",), caption: bool = True,
                 scale: float | None = None, dark: bool = False):
        self.style = st.Style(scale=scale or max(1.0, height / 720), dark=dark)
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground(self.style.theme.background)
        self.widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self.panels = []
        for i in range(n):
            panel = FigurePanel(self.style, letters[i] if i < len(letters) else "")
            panel.caption.setVisible(caption)
            self.widget.addItem(panel, row=0, col=i)
            self.panels.append(panel)
        self.size = (width, height)
        self.widget.resize(width, height)
        self.widget.show()  # offscreen (WA_DontShowOnScreen): layouts settle as on screen

    def fix_axes(self, x_range: tuple[float, float], y_top: float) -> None:
        for p in self.panels:
            p.reset_axes(fixed_x=x_range, fixed_y=y_top)

    def draw(self, snaps: list[Snapshot]) -> None:
        for panel, snap in zip(self.panels, snaps):
            panel.show_snapshot(snap)

    def render(self, snaps: list[Snapshot] | Snapshot) -> np.ndarray:
        """(h, w, 3) uint8 of the panels showing ``snaps``."""
        self.draw(snaps if isinstance(snaps, list) else [snaps])
        image = QImage(QSize(*self.size), QImage.Format.Format_RGB888)
        image.fill(pg.mkColor(self.style.theme.background))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.widget.scene().render(painter, QRectF(0, 0, *self.size), self.widget.sceneRect())
        painter.end()
        return qimage_to_rgb(image)

    def save_vector(self, path: str, snaps: list[Snapshot]) -> None:
        """SVG (via pyqtgraph's exporter) or PDF (QPdfWriter) of the panels."""
        self.draw(snaps)
        if path.lower().endswith(".svg"):
            from pyqtgraph.exporters import SVGExporter
            SVGExporter(self.widget.scene()).export(path)
            return
        from PySide6.QtGui import QPageSize, QPdfWriter
        from PySide6.QtCore import QSizeF
        writer = QPdfWriter(path)
        w, h = self.size
        writer.setPageSize(QPageSize(QSizeF(w * 0.75, h * 0.75), QPageSize.Unit.Point))
        writer.setResolution(96)
        painter = QPainter(writer)
        self.widget.scene().render(painter, QRectF(0, 0, painter.device().width(), painter.device().height()),
                                   self.widget.sceneRect())
        painter.end()

    def close(self) -> None:
        self.widget.close()
        self.widget.deleteLater()
