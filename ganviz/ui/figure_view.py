"""The paper's Figure 1, live: p_data (black dotted), p_g (green), D(x) (blue dashed) on a 0..1 right axis,
D = ½, optional D*, and below it the z line with segments z → x = G(z) coloured by z.

Items are built once; every frame only calls setData / setPos on them.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QPainter, QPen

from ganviz.core.snapshot import Snapshot
from ganviz.ui import style as st


def _num(value) -> str:
    """A loss for the caption; '–' before it was first measured."""
    return f"{value:.3f}" if isinstance(value, float) and math.isfinite(value) else "–"


class AutoRange:
    """Axis range with hysteresis: grows at once to fit, shrinks only when the data use < ``shrink`` of it."""

    def __init__(self, pad: float = 0.08, shrink: float = 0.55):
        self.lo = self.hi = None
        self.pad, self.shrink = pad, shrink

    def update(self, lo: float, hi: float) -> tuple[float, float] | None:
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
            return None
        span = hi - lo
        want_lo, want_hi = lo - self.pad * span, hi + self.pad * span
        if self.lo is None or want_lo < self.lo or want_hi > self.hi or (want_hi - want_lo) < self.shrink * (
                self.hi - self.lo):
            self.lo, self.hi = want_lo, want_hi
            return self.lo, self.hi
        return None

    def reset(self) -> None:
        self.lo = self.hi = None


class Caption(pg.LabelItem):
    """A label that never widens the figure: long text is clipped at the right instead."""

    def updateMin(self) -> None:
        super().updateMin()
        self.setMinimumWidth(0)
        self.setPreferredWidth(0)


class MappingItem(pg.GraphicsObject):
    """Straight segments from (z_i on the z line, y = 0) up to (G(z_i) on the x line, y = 1)."""

    def __init__(self):
        super().__init__()
        self._z = np.zeros(0)
        self._x = np.zeros(0)
        self._colors = []
        self._width = 1.5
        self._rect = QRectF(0, 0, 1, 1)

    def set_data(self, z_disp: np.ndarray, gx: np.ndarray, width: float) -> None:
        self.prepareGeometryChange()
        self._z, self._x, self._width = z_disp, gx, width
        if len(self._colors) != len(z_disp):
            self._colors = st.z_colors(len(z_disp))
        finite = np.isfinite(gx)
        xs = np.concatenate([z_disp, gx[finite]]) if finite.any() else z_disp
        self._rect = QRectF(float(xs.min()) - 1, -0.1, float(np.ptp(xs)) + 2, 1.2) if xs.size else QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, *args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for z, x, color in zip(self._z, self._x, self._colors):
            if not math.isfinite(x):
                continue
            pen = QPen(color)
            pen.setWidthF(self._width)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawLine(QPointF(z, 0.0), QPointF(x, 1.0))


class FigureView(pg.GraphicsLayoutWidget):
    """Top: densities and D(x). Bottom: the z → x mapping. Shared x axis."""

    mixture_edited = QtSignal(list, list)  # means, stds after a drag of a component's band

    def __init__(self, style: st.Style | None = None):
        super().__init__()
        self.style = style or st.Style()
        self.fixed_x: tuple[float, float] | None = None
        self.x_range, self.y_range = AutoRange(), AutoRange(pad=0.0, shrink=0.45)
        self.show_d_star = True
        self.last: Snapshot | None = None
        self.handles: list[pg.LinearRegionItem] = []
        self._build()
        self.apply_style()

    # --- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.plot = self.addPlot(row=0, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showAxis("right")
        self.d_box = pg.ViewBox(enableMouse=False)
        self.plot.scene().addItem(self.d_box)
        self.plot.getAxis("right").linkToView(self.d_box)
        self.d_box.setXLink(self.plot)
        self.d_box.setYRange(0.0, 1.0, padding=0.02)
        self.plot.vb.sigResized.connect(self._sync_boxes)
        self.plot.vb.sigRangeChanged.connect(self._sync_boxes)

        self.p_data_curve = pg.PlotDataItem(name="p_data")
        self.p_g_curve = pg.PlotDataItem(name="p_g")
        self.plot.addItem(self.p_data_curve)
        self.plot.addItem(self.p_g_curve)
        self.d_curve = pg.PlotDataItem(connect="finite")
        self.d_star_curve = pg.PlotDataItem(connect="finite")
        self.half_line = pg.InfiniteLine(pos=0.5, angle=0, movable=False)
        for item in (self.half_line, self.d_star_curve, self.d_curve):
            self.d_box.addItem(item)

        self.legend = pg.LegendItem(offset=(10, 8))
        self.legend.setParentItem(self.plot.vb)
        self.legend_labels: dict[str, str] = {}
        self.caption = Caption(justify="left")
        self.addItem(self.caption, row=1, col=0)

        self.map_plot = self.addPlot(row=2, col=0)
        self.map_plot.setMenuEnabled(False)
        self.map_plot.hideButtons()
        self.map_plot.setMouseEnabled(x=False, y=False)
        self.map_plot.setXLink(self.plot)
        self.map_plot.hideAxis("bottom")
        self.map_plot.showAxis("right")
        for name in ("left", "right"):  # blank axes as wide as the figure's, so both x scales line up
            axis = self.map_plot.getAxis(name)
            axis.setStyle(showValues=False, tickLength=0)
            axis.setPen(pg.mkPen(None))
        self.map_plot.setYRange(-0.42, 1.08, padding=0)
        self.x_line = pg.InfiniteLine(pos=1.0, angle=0, movable=False)
        self.z_line = pg.InfiniteLine(pos=0.0, angle=0, movable=False)
        self.mapping = MappingItem()
        self.z_label = pg.TextItem("z", anchor=(1.2, 0.5))
        self.x_label = pg.TextItem("x", anchor=(1.2, 0.5))
        self.z_ends = [pg.TextItem("", anchor=(0.0, -0.05)), pg.TextItem("", anchor=(1.0, -0.05))]
        for item in (self.x_line, self.z_line, self.mapping, self.z_label, self.x_label, *self.z_ends):
            self.map_plot.addItem(item)
        self.ci.layout.setRowStretchFactor(0, 5)
        self.ci.layout.setRowStretchFactor(2, 2)

    def _sync_boxes(self) -> None:
        self.d_box.setGeometry(self.plot.vb.sceneBoundingRect())
        self.d_box.linkedViewChanged(self.plot.vb, self.d_box.XAxis)

    def apply_style(self) -> None:
        s = self.style
        self.setBackground(s.theme.background)
        fg = s.theme.foreground
        self.p_data_curve.setPen(s.p_data_pen())
        self.p_g_curve.setPen(s.p_g_pen())
        self.d_curve.setPen(s.d_pen())
        self.d_star_curve.setPen(s.d_star_pen())
        self.half_line.setPen(s.half_pen())
        for line in (self.x_line, self.z_line):
            line.setPen(s.pen(fg, 1.5))
        for plot in (self.plot, self.map_plot):
            st.style_plot(plot, s)
            for name in ("left", "right"):
                plot.getAxis(name).setWidth(int(62 * s.scale))
        for name in ("left", "right"):
            self.map_plot.getAxis(name).setPen(pg.mkPen(None))
        self.plot.setLabel("left", "density", color=fg, **{"font-size": s.css_size(12)})
        self.plot.setLabel("right", "D(x)", color=st.D_COLOR, **{"font-size": s.css_size(12)})
        self.plot.setLabel("bottom", "x", color=fg, **{"font-size": s.css_size(12)})
        self.plot.getAxis("right").setTextPen(pg.mkPen(st.D_COLOR))
        self.map_plot.setYRange(-0.25 - 0.17 * s.scale, 1.08, padding=0)  # room for the z labels
        for label in (self.z_label, self.x_label, *self.z_ends):
            label.setColor(fg)
            label.setFont(s.font(12, bold=label in (self.z_label, self.x_label)))
        self._rebuild_legend()
        if self.last is not None:
            self.show_snapshot(self.last)

    def _rebuild_legend(self) -> None:
        s = self.style
        self.legend.clear()
        self.legend.setLabelTextColor(s.theme.foreground)
        self.legend.setLabelTextSize(s.css_size(12))
        self.legend.setBrush(pg.mkBrush(s.theme.background))
        self.legend.addItem(self.p_data_curve, "p_data")
        self.legend.addItem(self.p_g_curve, "p_g")
        self.legend.addItem(self.d_curve, "D(x)")
        if self.show_d_star:
            self.legend.addItem(self.d_star_curve, "D*(x)")
        for sample, label in self.legend.items:
            label.setToolTip(self.legend_labels.get(label.text, ""))

    def set_mixture_handles(self, means: list[float] | None, stds: list[float] | None = None) -> None:
        """Draggable bands μ ± σ, one per mixture component (None removes them): drag to move a mode,
        drag an edge to change its width."""
        for h in self.handles:
            self.plot.removeItem(h)
        self.handles = []
        if not means:
            return
        for mu, sd in zip(means, stds):
            band = pg.LinearRegionItem(values=(mu - sd, mu + sd), brush=pg.mkBrush(0, 0, 0, 18),
                                       pen=pg.mkPen((0, 0, 0, 90), width=1.5, style=Qt.PenStyle.DashLine))
            band.setZValue(-10)
            band.setToolTip("mixture component μ ± σ: drag to move it, drag an edge to change σ")
            band.sigRegionChangeFinished.connect(self._on_handle_moved)
            self.plot.addItem(band)
            self.handles.append(band)

    def _on_handle_moved(self) -> None:
        regions = [h.getRegion() for h in self.handles]
        means = [round((a + b) / 2, 3) for a, b in regions]
        stds = [round(max((b - a) / 2, 1e-3), 3) for a, b in regions]
        self.mixture_edited.emit(means, stds)

    def set_d_star_visible(self, visible: bool) -> None:
        self.show_d_star = visible
        self.d_star_curve.setVisible(visible)
        self._rebuild_legend()

    def set_fixed_x(self, x_range: tuple[float, float] | None) -> None:
        self.fixed_x = tuple(x_range) if x_range else None
        self.x_range.reset()
        self.y_range.reset()

    def set_scale(self, scale: float) -> None:
        self.style.scale = scale
        self.apply_style()

    # --- per frame ------------------------------------------------------------------------------
    def show_snapshot(self, snap: Snapshot) -> None:
        self.last = snap
        x = snap.x
        self.p_data_curve.setData(x, snap.p_data)
        self.p_g_curve.setData(x, snap.p_g)
        self.d_curve.setData(x, snap.d)
        total = snap.p_data + snap.p_g  # D* is a ratio of vanishing numbers where both densities are ~0
        self.d_star_curve.setData(x, np.where(total > 0.01 * np.nanmax(total), snap.d_star, np.nan))
        self._sync_boxes()
        tips = {"p_g": f"p_g: {snap.pg_method}", "p_data": "p_data: the real distribution",
                "D(x)": "D(x) = σ(logit): the discriminator's probability that x is real",
                "D*(x)": "D*(x) = p_data / (p_data + p_g): the optimal discriminator for this G"}
        if tips != self.legend_labels:
            self.legend_labels = tips
            for sample, label in self.legend.items:
                label.setToolTip(tips.get(label.text, ""))
        self._update_ranges(snap)
        lo, hi = self.plot.vb.viewRange()[0]
        z_lo, z_hi = snap.z_range
        a, b = lo + 0.06 * (hi - lo), hi - 0.06 * (hi - lo)
        z_disp = a + (snap.z - z_lo) / (z_hi - z_lo) * (b - a)
        self.mapping.set_data(z_disp, np.clip(snap.gz, lo - 10 * (hi - lo), hi + 10 * (hi - lo)),
                              self.style.width(1.6))
        self.z_label.setPos(lo + 0.05 * (hi - lo), 0.0)
        self.x_label.setPos(lo + 0.05 * (hi - lo), 1.0)
        for item, pos, value in ((self.z_ends[0], a, z_lo), (self.z_ends[1], b, z_hi)):
            item.setText(f"z = {value:g}")
            item.setPos(pos, 0.0)
        self.caption.setText(
            f"<span style='font-size:{self.style.css_size(13)}; color:{self.style.theme.foreground}'>"
            f"step <b>{snap.step}</b> &nbsp; JSD {snap.jsd:.4f} &nbsp; C(G) {snap.c_g:+.4f} &nbsp; "
            f"loss D {_num(snap.metrics.get('loss_d'))} · G {_num(snap.metrics.get('loss_g'))}</span>")

    def _update_ranges(self, snap: Snapshot) -> None:
        if self.fixed_x:
            if self.x_range.update(*self.fixed_x):
                self.plot.setXRange(*self.fixed_x, padding=0)
        else:
            peak = max(float(np.nanmax(snap.p_data)), 1e-12)
            mass = (snap.p_data > 1e-3 * peak) | (snap.p_g > 1e-3 * peak)
            xs = snap.x[mass] if mass.any() else snap.x
            new = self.x_range.update(float(xs.min()), float(xs.max()))
            if new:
                self.plot.setXRange(*new, padding=0)
        # y: fit p_data fully and p_g up to 3× p_data's peak (a collapsed spike must not flatten the rest)
        p_peak = float(np.nanmax(snap.p_data))
        g_peak = float(np.nanmax(snap.p_g)) if np.isfinite(snap.p_g).any() else 0.0
        top = max(p_peak, min(g_peak, 3.0 * p_peak)) * 1.12
        new = self.y_range.update(0.0, top)
        if new:
            self.plot.setYRange(0.0, new[1], padding=0)
