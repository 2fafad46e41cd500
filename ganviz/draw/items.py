"""Graphics items the figures and the panels share: a caption that never widens a layout, and straight
segments (with arrow heads) drawn in one call per colour."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen


class Caption(pg.LabelItem):
    """A label that never widens the figure: long text is clipped at the right instead."""

    def updateMin(self) -> None:
        super().updateMin()
        self.setMinimumWidth(0)
        self.setPreferredWidth(0)


class SegmentsItem(pg.GraphicsObject):
    """Straight segments (x0, y0) → (x1, y1), one colour each or one for all, optionally with arrow heads.

    The lines are built when the data or the view's scale change (arrow heads are a few pixels long, so they
    follow the zoom), never in ``paint``, which only draws: segments of one colour in one call."""

    def __init__(self, arrows: bool = False):
        super().__init__()
        self._segs = np.zeros((0, 4))
        self._pens: list[QPen] = []
        self._pen_key = None
        self._arrows = arrows
        self._rect = QRectF()
        self._lines: list[QLineF] = []
        self._px = None

    def set_data(self, segs: np.ndarray, colors: list, width: float) -> None:
        self.prepareGeometryChange()
        finite = np.isfinite(segs).all(axis=1)
        self._segs = segs[finite]
        if len(colors) == len(segs):
            colors = [c for c, ok in zip(colors, finite) if ok]
        key = (tuple(str(c) for c in colors), width)
        if key != self._pen_key:
            self._pen_key = key
            self._pens = []
            for c in colors:
                pen = QPen(pg.mkColor(c))
                pen.setWidthF(width)
                pen.setCosmetic(True)
                self._pens.append(pen)
        if len(self._segs):
            xs, ys = self._segs[:, [0, 2]], self._segs[:, [1, 3]]
            self._rect = QRectF(float(xs.min()) - 1e-3, float(ys.min()) - 0.05, float(np.ptp(xs)) + 2e-3,
                                float(np.ptp(ys)) + 0.1)
        else:
            self._rect = QRectF()
        self._build()
        self.update()

    def viewTransformChanged(self) -> None:
        """The zoom or the widget's size changed: arrow heads keep their size in pixels."""
        if self._arrows and len(self._segs):
            self._build()

    def _build(self) -> None:
        self._lines = [QLineF(x0, y0, x1, y1) for x0, y0, x1, y1 in self._segs]
        if not self._arrows or not len(self._segs) or not self._pens:
            return
        view = self.getViewBox()
        px = view.viewPixelSize() if view is not None else (1e-3, 1e-3)
        width = self._pens[0].widthF()
        for x0, y0, x1, y1 in self._segs:
            if abs(x1 - x0) > 3 * px[0]:
                head = 5 * width * px[0] * np.sign(x1 - x0)
                rise = 4 * width * px[1]
                self._lines += [QLineF(x1, y1, x1 - head, y1 + rise), QLineF(x1, y1, x1 - head, y1 - rise)]

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, *args) -> None:
        if not self._lines or not self._pens:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if len(self._pens) == 1:
            painter.setPen(self._pens[0])
            painter.drawLines(self._lines)
            return
        for line, pen in zip(self._lines, self._pens):
            painter.setPen(pen)
            painter.drawLine(line)
