"""The 1-D figure, registered for ``Snapshot.kind == "1d"``: one panel of the paper's Figure 1, as a pyqtgraph GraphicsLayout (the live view has one, the four-panel
export four): p_data black dotted, p_g green, D(x) blue dashed on its own 0…1 axis, D = ½, D*; below, the z
line with segments z → x = G(z) coloured by z, and on the x line the samples: generated ones (green dots)
with arrows showing where G's next update pushes them, real ones (black dots) just above.

Items are built once; every frame only calls setData / setPos on them.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from scipy import special
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal

from ganviz.core.snapshot import Snapshot
from ganviz import losses
from ganviz.draw import style as st
from ganviz.draw.axes import XPolicy, YPolicy, mass_extent, y_top
from ganviz.draw.figures import register
from ganviz.draw.items import Caption, SegmentsItem

REAL_Y, FAKE_Y = 1.16, 1.0  # heights of the sample dots in the mapping plot (x line at 1, z line at 0)


def _num(value, fmt: str = "{:.3f}") -> str:
    """A number for the caption; '–' before it was first measured."""
    return fmt.format(value) if isinstance(value, (int, float)) and math.isfinite(value) else "–"


def drawn_d(snap: Snapshot) -> tuple[np.ndarray, str]:
    """D(x) as drawn, and its legend label. A Wasserstein critic C has no 0…1 scale (σ(C) of a clipped critic
    is a flat ½): its shape is drawn instead, min–max scaled onto 0…1 over the visible cells."""
    if not snap.d.size or losses.get(snap.g_loss).ratio:
        return snap.d, "D(x)"
    with np.errstate(divide="ignore"):
        c = special.logit(np.clip(snap.d, 1e-300, 1.0))
    finite = np.isfinite(c)
    if not finite.any():
        return snap.d, "D(x)"
    lo, hi = float(c[finite].min()), float(c[finite].max())
    return (np.clip((c - lo) / max(hi - lo, 1e-300), 0.0, 1.0), "critic C(x), scaled 0…1")


@register
class FigurePanel(pg.GraphicsLayout):
    """Top: densities and D(x). Middle: the caption. Bottom: the z → x mapping and the samples."""

    kind = "1d"

    mixture_edited = QtSignal(list, list)  # means, stds after a drag of a component's band

    def __init__(self, style: st.Style, letter: str = ""):
        super().__init__()
        self.style = style
        self.letter = letter  # "(a)" … "(d)" in the four-panel figure
        self.note = ""  # what the panel shows, in two lines (the four panels say what was done for each)
        self.show_d_star = True
        self.d_label = "D(x)"  # "critic C(x), scaled" for a Wasserstein critic
        self.show_samples = True
        self.show_player = False  # slow motion: which player moved, and its Algorithm 1 line
        self.auto_x = True  # False: the x range is set from outside (side by side shares one)
        self.x_policy, self.y_policy = XPolicy(), YPolicy()
        self.fixed_y: float | None = None
        self.settle = False  # the run is paused: the axes may narrow to the frame at once
        self.last: Snapshot | None = None
        self.handles: list[pg.LinearRegionItem] = []
        self._z_colors: list = []
        self._z_dark = False
        self._height = 600.0
        self._build()
        self.apply_style()

    # --- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.legend_box = self.addLayout(row=0, col=0)
        self.legend = pg.LegendItem(colCount=4)
        self.legend_box.addItem(self.legend)
        self.plot = self.addPlot(row=1, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showAxis("right")
        self.d_box = pg.ViewBox(enableMouse=False)
        self.plot.scene() and self.plot.scene().addItem(self.d_box)
        self.plot.getAxis("right").linkToView(self.d_box)
        self.d_box.setXLink(self.plot)
        self.d_box.setYRange(0.0, 1.0, padding=0.02)
        self.plot.vb.sigResized.connect(self._sync_boxes)
        self.plot.vb.sigRangeChanged.connect(self._sync_boxes)

        self.p_data_curve = pg.PlotDataItem(name="p_data")
        self.p_g_curve = pg.PlotDataItem(name="p_g")
        self.plot.addItem(self.p_data_curve)
        self.plot.addItem(self.p_g_curve)
        self.clip_mark = pg.TextItem("", anchor=(0.5, 0.0))
        self.clip_mark.setZValue(100)  # above the mode bands and D*
        self.plot.addItem(self.clip_mark)
        self.d_curve = pg.PlotDataItem(connect="finite")
        self.d_star_curve = pg.PlotDataItem(connect="finite")
        self.half_line = pg.InfiniteLine(pos=0.5, angle=0, movable=False)
        for item in (self.half_line, self.d_star_curve, self.d_curve):
            self.d_box.addItem(item)

        self.caption = Caption(justify="left")
        self.addItem(self.caption, row=2, col=0)

        self.map_plot = self.addPlot(row=3, col=0)
        self.map_plot.setMenuEnabled(False)
        self.map_plot.hideButtons()
        self.map_plot.setMouseEnabled(x=False, y=False)
        self.map_plot.setXLink(self.plot)
        self.map_plot.hideAxis("bottom")
        self.map_plot.showAxis("right")
        self.x_line = pg.InfiniteLine(pos=1.0, angle=0, movable=False)
        self.z_line = pg.InfiniteLine(pos=0.0, angle=0, movable=False)
        self.mapping = SegmentsItem()
        self.pushes = SegmentsItem(arrows=True)
        self.fake_dots = pg.ScatterPlotItem(pxMode=True)
        self.real_dots = pg.ScatterPlotItem(pxMode=True)
        self.z_label = pg.TextItem("z", anchor=(1.2, 0.5))
        self.x_label = pg.TextItem("x", anchor=(1.2, 0.5))
        self.z_ends = [pg.TextItem("", anchor=(0.0, 0.0)), pg.TextItem("", anchor=(1.0, 0.0))]
        for item in (self.x_line, self.z_line, self.mapping, self.pushes, self.fake_dots, self.real_dots,
                     self.z_label, self.x_label, *self.z_ends):
            self.map_plot.addItem(item)
        self.layout.setContentsMargins(2, 0, 2, 0)
        self.layout.setVerticalSpacing(2)
        self.layout.setRowStretchFactor(1, 5)
        self.layout.setRowStretchFactor(3, 2)

    def detach(self) -> None:
        """Leave the scene whole: D's view box lives in the scene beside the plot (not in the layout), so a view
        that swaps this figure for another takes it out too."""
        if self.d_box.scene() is not None:
            self.d_box.scene().removeItem(self.d_box)

    def fit(self, height: float) -> None:
        """Share ``height`` px between the rows so that the density plot keeps most of it: the z → x strip gets
        at most 22 % (and at most 150 px × scale), and is hidden when that would be under 50 px."""
        self._height = height
        strip = min(0.22 * height, 150 * self.style.scale)
        shown = strip >= 50
        self.map_plot.setVisible(shown)
        self.map_plot.setMinimumHeight(strip if shown else 0)
        self.map_plot.setMaximumHeight(strip if shown else 0)

    def _sync_boxes(self) -> None:
        if self.d_box.scene() is None and self.plot.scene() is not None:
            self.plot.scene().addItem(self.d_box)
        self.d_box.setGeometry(self.plot.vb.sceneBoundingRect())
        self.d_box.linkedViewChanged(self.plot.vb, self.d_box.XAxis)

    def apply_style(self) -> None:
        s, th = self.style, self.style.theme
        self.p_data_curve.setPen(s.p_data_pen())
        self.p_g_curve.setPen(s.p_g_pen())
        self.d_curve.setPen(s.d_pen())
        self.d_star_curve.setPen(s.d_star_pen())
        self.half_line.setPen(s.half_pen())
        for line in (self.x_line, self.z_line):
            line.setPen(s.pen(th.foreground, 1.5))
        for plot in (self.plot, self.map_plot):
            st.style_plot(plot, s)
            for name in ("left", "right"):
                plot.getAxis(name).setWidth(int(64 * s.scale))
        for name in ("left", "right"):  # blank axes as wide as the figure's, so both x scales line up
            axis = self.map_plot.getAxis(name)
            axis.setStyle(showValues=False, tickLength=0)
            axis.setPen(pg.mkPen(None))
        self.plot.setLabel("left", "density", color=th.foreground, **{"font-size": s.css_size(12)})
        self.plot.setLabel("right", "D(x)", color=th.d, **{"font-size": s.css_size(12)})
        self.plot.setLabel("bottom", "x", color=th.foreground, **{"font-size": s.css_size(12)})
        self.plot.getAxis("right").setTextPen(pg.mkPen(th.d))
        self.plot.getAxis("bottom").setHeight(int(46 * s.scale))
        self.map_plot.setYRange(-0.42, REAL_Y + 0.12, padding=0)  # room for the z labels
        self.fit(self._height)
        for label in (self.z_label, self.x_label, *self.z_ends):
            label.setColor(th.foreground)
            label.setFont(s.font(12, bold=label in (self.z_label, self.x_label)))
        self.clip_mark.setColor(th.p_g)
        self.clip_mark.setFont(s.font(11, bold=True))
        self.clip_mark.fill = pg.mkBrush(th.background)
        self.fake_dots.setSize(6 * s.scale)
        self.real_dots.setSize(5 * s.scale)
        self.fake_dots.setBrush(pg.mkBrush(th.fake_dot))
        self.fake_dots.setPen(pg.mkPen(None))
        self.real_dots.setBrush(pg.mkBrush(th.real_dot))
        self.real_dots.setPen(pg.mkPen(None))
        for band in self.handles:
            band.setBrush(pg.mkBrush(*th.band))
        self._rebuild_legend()
        if self.last is not None:
            self.show_snapshot(self.last)

    def _rebuild_legend(self) -> None:
        s = self.style
        self.legend.clear()
        self.legend.setLabelTextColor(s.theme.foreground)
        self.legend.setLabelTextSize(s.css_size(11))
        self.legend.addItem(self.p_data_curve, "p_data")
        self.legend.addItem(self.p_g_curve, "p_g")
        self.legend.addItem(self.d_curve, self.d_label)
        if self.show_d_star:
            self.legend.addItem(self.d_star_curve, "D*(x)")
        self.legend.setToolTip("p_g: " + (self.last.pg_method if self.last is not None else "exact (change of "
                               "variables through G) with 1-D z, else a KDE of G's samples") + "\nD*(x) = "
                               "p_data / (p_data + p_g), drawn where both densities are resolvable")
        row = 1.9 * 11 * s.scale * 96 / 72  # one line of the legend's type, and a little air
        self.legend.layout.setContentsMargins(0, 0, 0, 0)
        self.legend.layout.setVerticalSpacing(0)
        self.legend_box.setMaximumHeight(row)
        self.legend_box.setMinimumHeight(row)

    # --- options --------------------------------------------------------------------------------
    def set_mixture_handles(self, means: list[float] | None, stds: list[float] | None = None) -> None:
        """Draggable bands μ ± σ, one per mixture component (None removes them): drag to move a mode,
        drag an edge to change its width. Unchanged bands are left alone (a drag in progress goes on)."""
        key = (tuple(means), tuple(stds)) if means else None
        if key == getattr(self, "_handles_key", "unset"):
            return
        self._handles_key = key
        for h in self.handles:
            self.plot.removeItem(h)
        self.handles = []
        if not means:
            return
        for mu, sd in zip(means, stds):
            band = pg.LinearRegionItem(values=(mu - sd, mu + sd), brush=pg.mkBrush(*self.style.theme.band),
                                       pen=pg.mkPen(self.style.theme.muted, width=1.5, style=Qt.PenStyle.DashLine))
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

    def set_samples_visible(self, visible: bool) -> None:
        self.show_samples = visible
        for item in (self.fake_dots, self.real_dots, self.pushes):
            item.setVisible(visible)

    def reset_axes(self, fixed_x: tuple[float, float] | None = None, fixed_y: float | None = None) -> None:
        self.x_policy.reset(fixed_x)
        self.y_policy.reset()
        self.fixed_y = fixed_y

    def blank(self) -> None:
        """Nothing on screen (a new run is starting). Not `clear`: pyqtgraph layouts use that name to remove
        every item."""
        self.last = None
        for curve in (self.p_data_curve, self.p_g_curve, self.d_curve, self.d_star_curve):
            curve.setData([], [])
        for item in (self.mapping, self.pushes):
            item.set_data(np.zeros((0, 4)), [], 1.0)
        self.fake_dots.setData([], [])
        self.real_dots.setData([], [])
        self.clip_mark.setText("")
        self.caption.setText("")

    def preview(self, target) -> None:
        """p_data alone, computed here from the run's target before the training process has sent a frame
        (the first useful picture comes while torch is still loading there)."""
        lo, hi = target.support()
        x = np.linspace(lo, hi, 400)
        p = target.pdf(x)
        self.p_data_curve.setData(x, p)
        new = self.x_policy.update((lo, hi))
        if new:
            self.plot.setXRange(*new, padding=0)
        top = self.y_policy.update(1.12 * float(p.max()))
        if top:
            self.plot.setYRange(0.0, top, padding=0)
        s, th = self.style, self.style.theme
        self.caption.setText(f"<span style='font-size:{s.css_size(13)}; color:{th.muted}'>p_data; the training "
                             "process is starting…</span>")

    # --- per frame ------------------------------------------------------------------------------
    def show_snapshot(self, snap: Snapshot) -> None:
        self.last = snap
        s, th = self.style, self.style.theme
        if snap.x.size == 0:  # a diverged frame: keep the axes, say so
            self.caption.setText(f"<span style='font-size:{s.css_size(13)}; color:{th.foreground}'>step "
                                 f"<b>{snap.step}</b> — G's output is NaN: training diverged</span>")
            return
        x = snap.x
        self.p_data_curve.setData(x, snap.p_data)
        self.p_g_curve.setData(x, snap.p_g)
        d, label = drawn_d(snap)
        self.d_curve.setData(x, d)
        if label != self.d_label:
            self.d_label = label
            self._rebuild_legend()
        self.d_star_curve.setData(x, snap.d_star)
        self._sync_boxes()
        self._update_ranges(snap)
        lo, hi = self.plot.vb.viewRange()[0]
        span = hi - lo
        z_lo, z_hi = snap.z_range
        a, b = lo + 0.06 * span, hi - 0.06 * span
        z_disp = a + (snap.z - z_lo) / (z_hi - z_lo) * (b - a)
        gz = np.clip(snap.gz, lo - 10 * span, hi + 10 * span)
        if len(self._z_colors) != len(z_disp) or self._z_dark != s.dark:
            self._z_colors, self._z_dark = st.z_colors(len(z_disp), s.dark), s.dark
        self.mapping.set_data(np.column_stack([z_disp, np.zeros_like(z_disp), gz, np.ones_like(gz)]),
                              self._z_colors, s.width(1.6))
        if self.show_samples and snap.fake_x.size:
            self.fake_dots.setData(snap.fake_x, np.full(snap.fake_x.size, FAKE_Y))
            self.real_dots.setData(snap.real_x, np.full(snap.real_x.size, REAL_Y))
            push = snap.push()
            top = float(np.max(np.abs(push))) if push.size else 0.0
            length = push / top * 0.06 * span if top > 0 else push * 0
            keep = np.abs(length) > 0.004 * span
            xs = snap.fake_x[keep][::2]
            ends = xs + length[keep][::2]
            self.pushes.set_data(np.column_stack([xs, np.full(xs.size, FAKE_Y), ends, np.full(xs.size, FAKE_Y)]),
                                 [th.push], s.width(1.3))
        self.z_label.setPos(lo + 0.05 * span, 0.0)
        self.x_label.setPos(lo + 0.05 * span, 1.0)
        for item, pos, value in ((self.z_ends[0], a, z_lo), (self.z_ends[1], b, z_hi)):
            item.setText(f"z = {value:g}")
            item.setPos(pos, -0.04)
        self.caption.setText(self._caption_html(snap))

    def _caption_html(self, snap: Snapshot) -> str:
        s, th = self.style, self.style.theme
        letter = f"<b>{self.letter}</b> &nbsp;" if self.letter else ""
        if self.note:
            text = letter + self.note.replace("\n", "<br>")
            return f"<span style='font-size:{s.css_size(13)}; color:{th.foreground}'>{text}</span>"
        m = snap.metrics
        text = (f"{letter}step <b>{snap.step}</b> &nbsp; JSD {_num(snap.jsd, '{:.4f}')} &nbsp; "
                f"C(G) {_num(snap.c_g, '{:+.3f}')} &nbsp; loss D {_num(m.get('loss_d'))} · G {_num(m.get('loss_g'))}")
        if self.show_player:  # slow motion: which player moved, and its line (the second line is always there)
            if snap.player:
                color = th.d if snap.player == "D" else th.p_g
                who = "D step" if snap.player == "D" else "G step"
                spec = losses.get(snap.g_loss)
                line = spec.d_line if snap.player == "D" else spec.g_line
                text += (f"<br><span style='color:{color}'><b>▶ {who}</b></span> "
                         f"<span style='color:{th.muted}'>{line}</span>")
            else:
                text += "<br>&nbsp;"
        return f"<span style='font-size:{s.css_size(13)}; color:{th.foreground}'>{text}</span>"

    def _update_ranges(self, snap: Snapshot) -> None:
        settle = self.settle
        new = self.x_policy.update(mass_extent(snap.x, snap.p_data, snap.p_g), settle) if self.auto_x else None
        if new:
            self.plot.setXRange(*new, padding=0)
        top, clipped, g_peak = y_top(snap.p_data, snap.p_g)
        if self.fixed_y is not None:
            top, clipped = self.fixed_y, g_peak > self.fixed_y
            new_top = top if self.y_policy.update(top) else None
        else:
            new_top = self.y_policy.update(top, settle)
        if new_top:
            self.plot.setYRange(0.0, new_top, padding=0)
        if clipped:
            i = int(np.nanargmax(snap.p_g))
            self.clip_mark.setText(f"▲ p_g peak {g_peak:.3g}")
            self.clip_mark.setPos(float(snap.x[i]), self.plot.vb.viewRange()[1][1])
        else:
            self.clip_mark.setText("")
