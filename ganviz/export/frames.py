"""Render Snapshots to images offscreen with the very FigurePanel the app shows, on fixed axes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QMarginsF, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from ganviz.core.snapshot import Snapshot
from ganviz.draw import style as st
from ganviz.draw.figures import figure_for


def rgb_view(image: QImage) -> np.ndarray:
    """(h, w, 3) uint8 over an RGB888 image's own memory (no copy: valid while the image is not drawn again)."""
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3)


class PanelsRenderer:
    """``n`` FigurePanels in one row, offscreen, at a fixed pixel size; the same axes in every panel."""

    def __init__(self, width: int, height: int, n: int = 1, letters: tuple[str, ...] = ("",), caption: bool = True,
                 scale: float | None = None, dark: bool = False, kind: str = "1d"):
        self.style = st.Style(scale=scale or max(1.0, height / 720), dark=dark)
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground(self.style.theme.background)
        self.widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self.panels = []
        for i in range(n):
            panel = figure_for(kind)(self.style, letters[i] if i < len(letters) else "")
            panel.caption.setVisible(caption)
            self.widget.addItem(panel, row=0, col=i)
            self.panels.append(panel)
        self.size, self.kind = (width, height), kind
        self._image: QImage | None = None
        self.widget.resize(width, height)
        self.widget.show()  # offscreen (WA_DontShowOnScreen): layouts settle as on screen

    def fix_axes(self, x_range: tuple[float, float], y_top: float) -> None:
        for p in self.panels:
            p.reset_axes(fixed_x=x_range, fixed_y=y_top)

    def set_notes(self, notes) -> None:
        for panel, note in zip(self.panels, notes):
            panel.note = note

    def draw(self, snaps: list[Snapshot]) -> None:
        for panel, snap in zip(self.panels, snaps):
            panel.show_snapshot(snap)

    def render(self, snaps: list[Snapshot] | Snapshot) -> np.ndarray:
        """(h, w, 3) uint8 of the panels showing ``snaps`` — a view of the renderer's one image, valid until the
        next render (an encoder takes it at once; anyone keeping frames copies them)."""
        self.draw(snaps if isinstance(snaps, list) else [snaps])
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # layouts settle, nothing is painted
        if self._image is None:
            self._image = QImage(QSize(*self.size), QImage.Format.Format_RGB888)
        self._image.fill(pg.mkColor(self.style.theme.background))
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.widget.scene().render(painter, QRectF(0, 0, *self.size), self.widget.sceneRect())
        painter.end()
        return rgb_view(self._image)

    def save_vector(self, path: str, snaps: list[Snapshot]) -> None:
        """SVG or PDF of the panels: the same scene painted onto a vector device (QSvgGenerator, QPdfWriter),
        with cached items and scatter symbols drawn as vectors, not pasted as pictures. An SVG is clipped and
        flattened to pixel coordinates first (export/svg.py), so every viewer draws it as the PNG looks."""
        self.draw(snaps)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        scene = self.widget.scene()
        for item in scene.items():
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            if hasattr(item, "setExportMode"):  # pyqtgraph's export mode: scatter symbols as paths
                item.setExportMode(True, {"antialias": True, "background": None, "painter": None})
        w, h = self.size
        if path.lower().endswith(".svg"):
            from PySide6.QtCore import QBuffer
            from PySide6.QtSvg import QSvgGenerator

            from ganviz.export.svg import clip_to_views, flatten
            clip_to_views(scene)
            buffer = QBuffer()
            device = QSvgGenerator()
            device.setOutputDevice(buffer)
            device.setSize(QSize(w, h))
            device.setViewBox(QRectF(0, 0, w, h))
            device.setTitle("ganviz: Goodfellow et al. (2014), Figure 1" if self.kind == "1d" else "ganviz: a GAN in the plane")
            device.setResolution(96)  # as the screen: the axes replay recorded pictures, scaled by the DPI ratio
            self._paint(device, QRectF(0, 0, w, h))
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(flatten(bytes(buffer.data()).decode("utf-8")))
            return
        from PySide6.QtCore import QSizeF
        from PySide6.QtGui import QPageSize, QPdfWriter
        device = QPdfWriter(path)
        device.setPageSize(QPageSize(QSizeF(w * 0.75, h * 0.75), QPageSize.Unit.Point))
        device.setPageMargins(QMarginsF(0, 0, 0, 0))
        device.setResolution(96)
        self._paint(device, None)

    def _paint(self, device, target: QRectF | None) -> None:
        painter = QPainter(device)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            target = target or QRectF(0, 0, painter.device().width(), painter.device().height())
            painter.fillRect(target, pg.mkColor(self.style.theme.background))
            self.widget.scene().render(painter, target, self.widget.sceneRect())
        finally:
            painter.end()

    def close(self) -> None:
        self.widget.close()
        self.widget.deleteLater()
