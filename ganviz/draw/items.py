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
        self._path = None

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
            self.update()

    def _build(self) -> None:
        """Lines for paint(): one path for a single colour (shafts and arrow heads together, built from the arrays
        by pyqtgraph in one vectorised call), else one QLineF per segment and its colour."""
        segs = self._segs
        if len(self._pens) != 1:
            self._path = None
            self._lines = [QLineF(x0, y0, x1, y1) for x0, y0, x1, y1 in segs]
            return
        parts = [segs]
        if self._arrows and len(segs):
            view = self.getViewBox()
            px = view.viewPixelSize() if view is not None else (1e-3, 1e-3)
            width = self._pens[0].widthF()
            long = segs[np.abs(segs[:, 2] - segs[:, 0]) > 3 * px[0]]
            head = 5 * width * px[0] * np.sign(long[:, 2] - long[:, 0])
            rise = 4 * width * px[1]
            for sign in (1, -1):  # the two strokes of each arrow head, from the tip back
                parts.append(np.column_stack([long[:, 2], long[:, 3], long[:, 2] - head, long[:, 3] + sign * rise]))
        allsegs = np.concatenate(parts) if len(parts) > 1 else segs
        x = allsegs[:, [0, 2]].reshape(-1)
        y = allsegs[:, [1, 3]].reshape(-1)
        self._path = pg.arrayToQPath(x, y, connect="pairs") if len(x) else None
        self._lines = []

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, *args) -> None:
        if not self._pens or (self._path is None and not self._lines):
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._path is not None:
            painter.setPen(self._pens[0])
            painter.drawPath(self._path)
            return
        for line, pen in zip(self._lines, self._pens):
            painter.setPen(pen)
            painter.drawLine(line)
