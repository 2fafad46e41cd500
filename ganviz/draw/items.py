"""Graphics items the figures and the panels share: a caption that never widens a layout, straight segments
(with arrow heads) drawn in one call per colour, and for the plane arrows in any direction (ArrowsItem),
contour lines by marching squares (ContourItem) and polylines joined into one path (PolylineItem)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
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


class ArrowsItem(SegmentsItem):
    """Arrows (x0, y0) → (x1, y1) pointing any way in the plane (SegmentsItem's heads are for horizontal arrows):
    one colour, the heads a few pixels long whatever the zoom, built with the shafts into one path."""

    def __init__(self):
        super().__init__(arrows=True)

    def _build(self) -> None:
        segs = self._segs
        self._lines = []
        if not self._pens or not len(segs):
            self._path = None
            return
        view = self.getViewBox()
        px = view.viewPixelSize() if view is not None else (1e-3, 1e-3)
        px = (px[0] or 1e-3, px[1] or 1e-3)
        dx, dy = (segs[:, 2] - segs[:, 0]) / px[0], (segs[:, 3] - segs[:, 1]) / px[1]  # in pixels
        n = np.hypot(dx, dy)
        long = n > 4
        ux, uy = -dx[long] / n[long], -dy[long] / n[long]  # from the tip back along the shaft
        head = np.minimum(4.5 * self._pens[0].widthF() + 2, 0.6 * n[long])
        parts = [segs]
        tips = segs[long][:, 2:4]
        for angle in (0.45, -0.45):  # the two strokes of each head
            c, s = np.cos(angle), np.sin(angle)
            bx, by = (c * ux - s * uy) * head * px[0], (s * ux + c * uy) * head * px[1]
            parts.append(np.column_stack([tips[:, 0], tips[:, 1], tips[:, 0] + bx, tips[:, 1] + by]))
        allsegs = np.concatenate(parts)
        self._path = pg.arrayToQPath(allsegs[:, [0, 2]].reshape(-1), allsegs[:, [1, 3]].reshape(-1), connect="pairs")


class ContourItem(SegmentsItem):
    """Iso-lines of a field on a regular grid (marching squares, vectorised: a 64 × 64 grid in well under a
    millisecond), drawn as one path of straight segments in one colour. ``set_field`` takes the field (ny, nx)
    sampled at the centres ``xs`` (nx,) and ``ys`` (ny,) and the levels."""

    def set_field(self, field: np.ndarray, xs: np.ndarray, ys: np.ndarray, levels, color, width: float) -> None:
        segs = [self.segments(field, xs, ys, level) for level in levels]
        self.set_data(np.concatenate(segs) if segs else np.zeros((0, 4)), [color], width)

    @staticmethod
    def segments(field: np.ndarray, xs: np.ndarray, ys: np.ndarray, level: float) -> np.ndarray:
        """(m, 4) segments of the iso-line ``field == level`` (NaN counts as below the level)."""
        f = np.nan_to_num(np.asarray(field, dtype=float), nan=-np.inf)
        if f.ndim != 2 or min(f.shape) < 2:
            return np.zeros((0, 4))
        a, b, c, d = f[:-1, :-1], f[:-1, 1:], f[1:, 1:], f[1:, :-1]  # corners: bottom-left, -right, top-right, -left
        x0, x1 = xs[:-1][None, :], xs[1:][None, :]
        y0, y1 = ys[:-1][:, None], ys[1:][:, None]
        shape = a.shape

        def cross(v1, v2, p1, p2):  # where the level crosses the edge v1 → v2 (positions p1 → p2), and whether
            with np.errstate(all="ignore"):
                t = np.clip(np.nan_to_num((level - v1) / (v2 - v1), nan=0.5, posinf=0.5, neginf=0.5), 0, 1)
            return (v1 > level) != (v2 > level), p1 + t * (p2 - p1)

        xb0, yb0 = np.broadcast_to(x0, shape), np.broadcast_to(y0, shape)
        xb1, yb1 = np.broadcast_to(x1, shape), np.broadcast_to(y1, shape)
        (hb, xb), (hr, yr), (ht, xt), (hl, yl) = (cross(a, b, xb0, xb1), cross(b, c, yb0, yb1),
                                                  cross(d, c, xb0, xb1), cross(a, d, yb0, yb1))
        edges = ((hb, xb, yb0), (hr, xb1, yr), (ht, xt, yb1), (hl, xb0, yl))  # bottom, right, top, left
        hit = np.stack([e[0] for e in edges], -1).reshape(-1, 4)
        px = np.stack([e[1] for e in edges], -1).reshape(-1, 4)
        py = np.stack([e[2] for e in edges], -1).reshape(-1, 4)
        count = hit.sum(1)
        out = []
        two = np.flatnonzero(count == 2)
        if two.size:
            first = np.argmax(hit[two], 1)
            second = 3 - np.argmax(hit[two][:, ::-1], 1)
            out.append(np.column_stack([px[two, first], py[two, first], px[two, second], py[two, second]]))
        four = np.flatnonzero(count == 4)
        if four.size:  # a saddle: the corners on the centre's side are joined, the other two are cut off
            centre = ((a + b + c + d) / 4).reshape(-1)[four] > level
            a_side = a.reshape(-1)[four] > level
            cut_bd = centre == a_side
            pairs = np.where(cut_bd[:, None], [[0, 1, 2, 3]], [[0, 3, 1, 2]])  # (bottom, right) (top, left) or
            for i, j in ((0, 1), (2, 3)):  # (bottom, left) (right, top)
                p, q = pairs[:, i], pairs[:, j]
                out.append(np.column_stack([px[four, p], py[four, p], px[four, q], py[four, q]]))
        return np.concatenate(out) if out else np.zeros((0, 4))


class PolylineItem(SegmentsItem):
    """A polyline in one colour, kept as segments (so export/svg.py clips it like any SegmentsItem) but stroked
    as one connected path: no overlapping ends at the joints, which a translucent or antialiased line would
    show as beads. Segments that do not continue one another start a new piece."""

    def _build(self) -> None:
        segs = self._segs
        self._lines = []
        if not self._pens or not len(segs):
            self._path = None
            return
        pen = self._pens[0]
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        flows = np.append(np.all(segs[:-1, 2:] == segs[1:, :2], axis=1), False)  # segment i runs into i + 1
        # each segment gives its start point, and its end point too where the line breaks after it
        pts = np.concatenate([segs[:, :2], segs[:, 2:]])
        order = np.argsort(np.concatenate([2 * np.arange(len(segs)), 2 * np.arange(len(segs)) + 1]), kind="stable")
        keep = np.concatenate([np.ones(len(segs), bool), ~flows])[order]
        pts = pts[order][keep]
        is_end = np.concatenate([np.zeros(len(segs), bool), np.ones(len(segs), bool)])[order][keep]
        connect = (~is_end).astype(np.ubyte)  # a start connects to the next point; an end point closes a piece
        self._path = pg.arrayToQPath(pts[:, 0], pts[:, 1], connect=connect)
