"""The 2-D figure, registered for ``Snapshot2D.kind == "2d"``: GAN Lab's view of a run whose target lies in the
plane, readable on a projector.

Left, the z square with a mesh of lines, each in its colour; in the middle the plane: D(x) as a heat map (white
at ½, blue where D says "real", orange where it says "fake", its colour bar on the right), the real samples
and the modes' outlines (dashed), G's samples (green) with arrows where G's next update pushes them, p_g as
green contour lines, and the z mesh carried through G — the same lines in the same colours, so a fold or a
squeeze of G shows. Under the plane, the mode-occupancy strip: one row per mode, one column per frame shown,
filled where G covers that mode — mode hopping is a filled cell moving from row to row.

Items are built once; every frame only calls setData / setImage on them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from ganviz import losses
from ganviz.draw import style as st
from ganviz.draw.axes import XPolicy
from ganviz.draw.figures import register
from ganviz.draw.items import ArrowsItem, Caption, ContourItem, PolylineItem

if TYPE_CHECKING:  # (only its methods are called: importing the figures needs nothing of the 2-D side)
    from ganviz.core.snapshot2d import Snapshot2D

PG_LEVELS = (0.1, 0.3, 0.65)  # p_g's contour lines, as fractions of its peak (thin to thick)
N_ARROWS = 64  # push arrows drawn at most (on an even subsample of the fakes)
ARROW_SHARE = 0.05  # the longest arrow, as a share of the plane's span
MESH_ALPHA = 165  # the deformed mesh over the plane: see the heat map through it
STRIP_BINS = 360  # the occupancy strip's image columns (the history resampled on a step axis)
HISTORY_CAP = 20_000  # columns kept; beyond, every other one is dropped (the strip looks the same)
CAPTION_WIDEST = ("step 000000   JSD 0.000 ± 0.000   sliced W1 0.000 (floor 0.000)   modes 00/00   "
                  "high quality 100 %")  # the caption at its widest: wider than the figure, it takes two lines
Z_NOTE = ("the z square's lines,", "through G on the plane", "in the same colours")
HEAT = {"light": ("#e9a368", "#ffffff", "#6d9fe0"),  # D = 0 ("fake"), D = ½, D = 1 ("real")
        "dark": ("#8a5524", "#14161a", "#2f5f9e")}


def _num(value, fmt: str = "{:.3f}") -> str:
    return fmt.format(value) if isinstance(value, (int, float)) and math.isfinite(value) else "–"


def _lut(colors: tuple, n: int = 256) -> np.ndarray:
    """(n, 3) uint8: a colour ramp through evenly spaced stops."""
    rgb = np.array([pg.mkColor(c).getRgb()[:3] for c in colors], dtype=float)
    t = np.linspace(0, 1, n)
    stops = np.linspace(0, 1, len(rgb))
    return np.column_stack([np.interp(t, stops, rgb[:, i]) for i in range(3)]).astype(np.ubyte)


def mesh_colors(z_mesh: np.ndarray, z_range: tuple, dark: bool = False) -> list:
    """Each line of the z mesh by where it lies in the z square: rows (z₂ fixed) on a blue → green → yellow ramp
    from the bottom up, columns (z₁ fixed) on a purple → red → orange ramp from left to right (on a dark
    background the ramps start lighter: their dark ends would vanish)."""
    lo, hi = z_range
    spread = np.ptp(z_mesh, axis=1)  # (L, 2)
    row = spread[:, 0] >= spread[:, 1]
    where = np.where(row, z_mesh[:, :, 1].mean(1), z_mesh[:, :, 0].mean(1))
    pos = np.clip((where - lo) / max(hi - lo, 1e-12), 0, 1)
    rows, cols = pg.colormap.get("viridis"), pg.colormap.get("plasma")
    start = 0.3 if dark else 0.05
    return [rows.map(start + (0.85 - start) * p, mode="qcolor") if r else
            cols.map(start + (0.8 - start) * p, mode="qcolor") for r, p in zip(row, pos)]


def _strip_lut(th: st.Theme) -> np.ndarray:
    """The strip's colours for values −1 … 1: −1 (before the first frame) the background, 0 (not covered) a faint
    tint of the foreground, ½ … 1 (covered) light to full p_g green."""
    bg, fg, green = (np.array(pg.mkColor(c).getRgb()[:3], float) for c in (th.background, th.foreground, th.p_g))
    v = np.linspace(-1, 1, 256)
    share = np.clip((v - 0.5) / 0.5, 0, 1)[:, None]
    covered = bg + (green - bg) * (0.4 + 0.6 * share)
    lut = np.where((v < -0.5)[:, None], bg, np.where((v < 0.25)[:, None], bg + (fg - bg) * 0.07, covered))
    return lut.astype(np.ubyte)


class ModeHistory:
    """The occupancy strip's data: one column per frame shown (step ascending), one value per mode — 0 when
    the mode is not covered, else ½ … 1 by its occupancy against its fair share."""

    def __init__(self):
        self.clear()

    def clear(self, k: int = 0) -> None:
        self._steps = np.zeros(64, dtype=np.int64)
        self._cells = np.zeros((64, k))
        self.n = 0

    @property
    def steps(self) -> np.ndarray:
        return self._steps[: self.n]

    @property
    def cells(self) -> np.ndarray:
        return self._cells[: self.n]

    def add(self, step: int, covered: np.ndarray, occupancy: np.ndarray) -> None:
        """A frame: columns at ``step`` or later are dropped first (the same frame again replaces its column;
        an earlier step is a restart or a new run)."""
        k = covered.size
        if self._cells.shape[1] != k:
            self.clear(k)
        self.n = int(np.searchsorted(self.steps, step, side="left"))
        if self.n == len(self._steps):
            if self.n >= HISTORY_CAP:
                self._steps[: self.n // 2] = self._steps[1: self.n: 2]
                self._cells[: self.n // 2] = self._cells[1: self.n: 2]
                self.n //= 2
            else:
                self._steps = np.concatenate([self._steps, np.zeros_like(self._steps)])
                self._cells = np.concatenate([self._cells, np.zeros_like(self._cells)])
        share = np.clip(np.nan_to_num(occupancy * k), 0, 1)
        self._steps[self.n] = step
        self._cells[self.n] = np.where(covered, 0.5 + 0.5 * share, 0.0)
        self.n += 1

    def image(self, lo: float, hi: float, bins: int = STRIP_BINS) -> np.ndarray:
        """(k, bins): the history on a step axis from ``lo`` to ``hi`` (each bin shows the last frame at or before
        its step; bins before the first frame are −1, drawn as background)."""
        if not self.n:
            return np.zeros((0, bins))
        at = lo + (np.arange(bins) + 0.5) * (hi - lo) / bins
        idx = np.searchsorted(self.steps, at, side="right") - 1
        img = self.cells[np.maximum(idx, 0)].T.copy()
        img[:, idx < 0] = -1.0
        return img


@register
class Figure2D(pg.GraphicsLayout):
    """Top: the legend. Middle: the z square, the plane, D's colour bar. Then the caption, then the strip."""

    kind = "2d"

    def __init__(self, style: st.Style, letter: str = ""):
        super().__init__()
        self.style = style
        self.letter = letter
        self.note = ""  # replaces the caption's numbers in an export (what the panel shows)
        self.show_d_star = True  # (no D* in the plane: kept so the view's option carries over)
        self.show_samples = True
        self.show_arrows = True
        self.show_player = False  # slow motion: which player moved, and its Algorithm 1 line
        self.settle = False  # (the plane's range is the snapshot's extent: nothing to settle)
        self.auto_x = True
        self.x_policy = XPolicy()  # .fixed: the plane's range set from outside, (x0, x1, y0, y1), or None
        self.last: Snapshot2D | None = None
        self.history = ModeHistory()
        self._extent = None  # the plane's range as last set
        self._image_rect = None
        self._strip_range = None
        self._height = 600.0
        self._mesh: list[PolylineItem] = []
        self._z_mesh: list[PolylineItem] = []
        self._arranged = None
        self._arranging = False
        self._wrap = False  # the caption in two lines (a narrow figure)
        self._mesh_key = None
        self._mesh_colors: list = []
        self._real_key = self._outline_key = None
        self._pg_method = ""
        self._styled = False  # (resize events come while the layout is being built)
        self._build()
        self.apply_style()
        self._styled = True

    # --- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        # columns: a spacer, the z square, the plane, D's colour bar, a spacer (the spacers centre the figure)
        self.spacers = [pg.GraphicsWidget(), pg.GraphicsWidget()]
        self.addItem(self.spacers[0], row=1, col=0)
        self.addItem(self.spacers[1], row=1, col=4)
        self.legend_box = self.addLayout(row=0, col=1, colspan=3)
        self.legend = pg.LegendItem(colCount=5)
        self.legend_box.addItem(self.legend)
        self.legend_box.setMinimumWidth(0)  # a long legend must not widen the figure (it would clip instead)

        self.left_box = self.addLayout(row=1, col=1)  # the z square, a line under it, then empty
        self.z_plot = self._fixed_plot(self.left_box, 0)
        self.z_plot.setAspectLocked(True)
        self.z_note = pg.LabelItem(justify="left")
        self.left_box.addItem(self.z_note, row=1, col=0)
        self.left_box.addLayout(row=2, col=0)
        self.left_box.layout.setRowStretchFactor(2, 1)

        self.plot = self._fixed_plot(self, 1, col=2)  # the plane
        self.plot.setAspectLocked(True, ratio=1.0)
        self.plot.vb.sigResized.connect(self._arrange)
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat.setZValue(-20)
        self.outlines = pg.PlotDataItem(connect="finite")
        self.p_data_lines = ContourItem()  # p_data before the first frame (preview)
        self.p_g_lines = [ContourItem() for _ in PG_LEVELS]
        self.real_dots = pg.ScatterPlotItem(pxMode=True)
        self.fake_dots = pg.ScatterPlotItem(pxMode=True)
        self.pushes = ArrowsItem()
        for z, item in enumerate((self.heat, self.outlines, self.p_data_lines, *self.p_g_lines, self.real_dots,
                                  self.fake_dots, self.pushes)):
            if item is not self.heat:
                item.setZValue(z)
            self.plot.addItem(item)
        # the legend's samples (what SegmentsItems draw has no sample of its own; dots larger than on the plane)
        self.keys = {"p_data": pg.ScatterPlotItem(), "modes": pg.PlotDataItem(), "G(z)": pg.ScatterPlotItem(),
                     "p_g": pg.PlotDataItem(), "push": pg.PlotDataItem()}

        self.cbar = self._fixed_plot(self, 1, col=3)
        self.cbar_image = pg.ImageItem(np.linspace(0, 1, 256)[:, None], axisOrder="row-major")
        self.cbar_image.setRect(QRectF(0, 0, 1, 1))
        self.cbar.addItem(self.cbar_image)
        self.cbar.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.cbar.hideAxis("left")
        self.cbar.showAxis("right")
        self.cbar.getAxis("right").setTicks([[(0.0, "0"), (0.5, "½"), (1.0, "1")], []])
        self.cbar.setToolTip("D(x): blue where D calls x real, orange where it calls x fake, white at ½")

        self.caption = Caption(justify="left")
        self.addItem(self.caption, row=2, col=0, colspan=5)

        self.strip_title = pg.LabelItem(justify="right")
        self.addItem(self.strip_title, row=3, col=1)
        self.strip = self._fixed_plot(self, 3, col=2)
        self.strip.getViewBox().invertY(True)  # mode 1 on top
        self.strip_image = pg.ImageItem(axisOrder="row-major")
        self.strip.addItem(self.strip_image)
        self.strip.setToolTip("one row per mode, one column per frame: filled where G covers the mode "
                              "(≥ 20 % of its fair share of G's samples), darker the more it holds")

        self._empty_axes()
        self.layout.setContentsMargins(2, 0, 2, 0)
        self.layout.setVerticalSpacing(2)
        self.layout.setHorizontalSpacing(6)
        self.layout.setRowStretchFactor(1, 5)
        self.layout.setColumnStretchFactor(2, 5)

    def _empty_axes(self) -> None:
        """Before the first frame: the z square as a standard prior's, an empty strip without numbers."""
        self.z_plot.setRange(xRange=(-1.06, 1.06), yRange=(-1.06, 1.06), padding=0)
        self.strip.setRange(xRange=(0, 100), yRange=(0, 1), padding=0)
        self.strip.getAxis("left").setTicks([[], []])
        self._strip_range = None

    @staticmethod
    def _fixed_plot(layout, row: int, col: int = 0) -> pg.PlotItem:
        plot = layout.addPlot(row=row, col=col)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.disableAutoRange()
        return plot

    def fit(self, height: float) -> None:
        """Share ``height`` px between the rows: the strip gets about a fifth (at most 150 px × scale; hidden
        under 45 px); the z square's column is about a third of the height wide."""
        self._height = height
        s = self.style.scale
        strip = min(0.2 * height, 150 * s)
        shown = strip >= 45
        for item in (self.strip, self.strip_title):
            item.setVisible(shown)
        self.strip.setMinimumHeight(strip if shown else 0)
        self.strip.setMaximumHeight(strip if shown else 0)
        side = min(0.34 * height, 300 * s)
        gap = 18 * s  # between the z square and the plane's axis
        for item in (self.left_box, self.strip_title):
            item.setMinimumWidth(side)
            item.setMaximumWidth(side)
        self.left_box.layout.setContentsMargins(0, 0, gap, 0)
        note = QFontMetricsF(self.style.font(11)).horizontalAdvance(Z_NOTE[1]) + 8
        self.z_note.setVisible(note <= side)  # it would run into the plane
        self.z_plot.setMinimumSize(side - gap, side - gap)
        self.z_plot.setMaximumSize(side - gap, side - gap)
        self.cbar.setMinimumWidth(int(60 * s))
        self.cbar.setMaximumWidth(int(60 * s))
        self._arranged = None
        self._arrange()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not getattr(self, "_styled", False):
            return
        if abs(event.newSize().height() - self._height) > 0.5:
            self.fit(event.newSize().height())
        else:
            self._arrange()

    def _arrange(self, *_) -> None:
        """The plane as wide as it is tall (its data square fills it) and the figure centred: what width is
        left goes to equal margins instead of stretching the plane sideways (1:1 aspect leaves it empty)."""
        width, tall = self.size().width(), self.plot.vb.height()
        if width <= 0 or tall <= 0 or self._arranging:
            return
        self._arranging = True
        try:
            self._arrange_columns(width, tall)
        finally:
            self._arranging = False

    def _arrange_columns(self, width: float, tall: float) -> None:
        s = self.style.scale
        others = self.left_box.maximumWidth() + self.cbar.maximumWidth() + 4 * 6 + 4
        plane = max(min(tall + self.plot.getAxis("left").width() + 8 * s, width - others), 60 * s)
        spare = max(0.0, width - others - plane)
        fm = QFontMetricsF(self.style.font(13))
        wrap = fm.horizontalAdvance(f"{self.letter}  {CAPTION_WIDEST}") * 1.06 > width - 8
        key = (round(plane), round(spare / 2), wrap)
        if key == self._arranged:
            return
        self._arranged = key
        if wrap != self._wrap:
            self._wrap = wrap
            if self.last is not None:
                self.caption.setText(self._caption_html(self.last))
        self.plot.setMaximumWidth(plane)
        for spacer in self.spacers:
            spacer.setMinimumWidth(spare / 2)
            spacer.setMaximumWidth(spare / 2)

    def apply_style(self) -> None:
        s, th = self.style, self.style.theme
        for plot in (self.plot, self.z_plot, self.cbar, self.strip):
            st.style_plot(plot, s)
        for plot in (self.plot, self.strip):
            plot.getAxis("left").setWidth(int(52 * s.scale))
        for plot in (self.plot, self.cbar):
            plot.getAxis("bottom").setHeight(int(46 * s.scale))
        bottom = self.cbar.getAxis("bottom")  # blank, as tall as the plane's: the bar spans the data square
        bottom.setStyle(showValues=False, tickLength=0)
        bottom.setPen(pg.mkPen(None))
        self.z_plot.getAxis("left").setWidth(int(40 * s.scale))
        self.cbar.getAxis("right").setWidth(int(44 * s.scale))
        label = {"font-size": s.css_size(12)}
        self.plot.setLabel("bottom", "x₁", color=th.foreground, **label)
        self.plot.setLabel("left", "x₂", color=th.foreground, **label)
        self.z_plot.setLabel("bottom", "z₁", color=th.foreground, **label)
        self.z_plot.setLabel("left", "z₂", color=th.foreground, **label)
        self.cbar.setLabel("right", "D(x)", color=th.d, **label)
        self.cbar.getAxis("right").setTextPen(pg.mkPen(th.d))
        self.strip.setLabel("bottom", "step", color=th.foreground, **{"font-size": s.css_size(10)})
        for image in (self.heat, self.cbar_image):
            image.setLookupTable(_lut(HEAT[th.name]))
            image.setLevels((0.0, 1.0))
        self.strip_image.setLookupTable(_strip_lut(th))
        self.strip_image.setLevels((-1.0, 1.0))
        self.strip_title.setText(f"<span style='font-size:{s.css_size(12)}; color:{th.foreground}'>"
                                 "<b>modes<br>covered</b></span>")
        self.z_note.setText(f"<span style='font-size:{s.css_size(11)}; color:{th.muted}'>{'<br>'.join(Z_NOTE)}"
                            "</span>")
        outline = pg.mkColor(th.p_data)
        outline.setAlpha(170)
        outline_pen = pg.mkPen(outline, width=s.width(1.3), style=Qt.PenStyle.DashLine)
        self.outlines.setPen(outline_pen)
        real = pg.mkColor(th.real_dot)
        real.setAlpha(200)
        self.real_dots.setSize(4.5 * s.scale)
        self.real_dots.setBrush(pg.mkBrush(real))
        self.real_dots.setPen(pg.mkPen(None))
        self.fake_dots.setSize(6 * s.scale)
        self.fake_dots.setBrush(pg.mkBrush(th.fake_dot))
        self.fake_dots.setPen(pg.mkPen(th.background, width=0.7))
        for name, color in (("p_data", th.real_dot), ("G(z)", th.fake_dot)):
            key = self.keys[name]
            key.setSymbol("o")
            key.setSize(min(9 * s.scale, 15))  # (a legend sample is a 20 px box)
            key.setPen(pg.mkPen(None))
            key.setBrush(pg.mkBrush(color))
        self.keys["modes"].setPen(outline_pen)
        self.keys["p_g"].setPen(s.p_g_pen())
        self.keys["push"].setPen(s.pen(th.push, 2.0))
        self._mesh_key = None  # colours and widths again
        self._real_key = self._outline_key = None
        self._rebuild_legend()
        self.fit(self._height)
        if self.last is not None:
            self.show_snapshot(self.last)

    def _rebuild_legend(self) -> None:
        s = self.style
        self.legend.clear()
        self.legend.setLabelTextColor(s.theme.foreground)
        self.legend.setLabelTextSize(s.css_size(11))
        for name, text in (("p_data", "p_data"), ("modes", "modes (3σ)"), ("G(z)", "G(z)"), ("p_g", "p_g"),
                           ("push", "push on G(z)")):
            if name != "push" or (self.show_samples and self.show_arrows):
                self.legend.addItem(self.keys[name], text)
        self._legend_tooltip()
        row = 1.9 * 11 * s.scale * 96 / 72
        self.legend.layout.setContentsMargins(0, 0, 0, 0)
        self.legend.layout.setVerticalSpacing(0)
        self.legend_box.setMaximumHeight(row)
        self.legend_box.setMinimumHeight(row)

    def _legend_tooltip(self) -> None:
        method = self.last.pg_method if self.last is not None else "estimated from G's samples"
        self._pg_method = method
        self.legend.setToolTip(f"p_g: {method}\ncontours at {', '.join(f'{v:g}' for v in PG_LEVELS)} of p_g's "
                               "peak\narrows: −∇ₓ of G's loss at the fakes, where G's next update pushes them "
                               "(lengths normalised)")

    # --- options --------------------------------------------------------------------------------
    def set_d_star_visible(self, visible: bool) -> None:
        """Kept for the view's option; the plane shows D itself, not D*."""
        self.show_d_star = visible

    def set_samples_visible(self, visible: bool) -> None:
        self.show_samples = visible
        for item in (self.fake_dots, self.real_dots):
            item.setVisible(visible)
        self.pushes.setVisible(visible and self.show_arrows)
        self._rebuild_legend()
        if visible and self.last is not None and not self.last.diverged():
            self._draw_samples(self.last, tuple(self.last.extent))

    def set_arrows_visible(self, visible: bool) -> None:
        self.show_arrows = visible
        self.pushes.setVisible(visible and self.show_samples)
        self._rebuild_legend()
        if visible and self.last is not None and not self.last.diverged():
            self._draw_samples(self.last, tuple(self.last.extent))

    def set_mixture_handles(self, means, stds=None) -> None:
        """The 1-D figure's draggable mixture bands; the plane has none (its modes are not dragged)."""

    def reset_axes(self, fixed_x: tuple | None = None, fixed_y=None) -> None:
        """Forget the plane's range (the next frame sets it from its extent). ``fixed_x``: a plane
        (x0, x1, y0, y1) kept for every frame; a 1-D x range (x0, x1) and a density top ``fixed_y`` — what the
        view carries over from a 1-D figure, or an export's fit — mean nothing here and are ignored."""
        plane = fixed_x is not None and len(fixed_x) == 4
        self.x_policy.reset(tuple(float(v) for v in fixed_x) if plane else None)
        self._extent = None

    def blank(self) -> None:
        """Nothing on screen (a new run is starting); the strip's history goes too."""
        self.last = None
        self.heat.clear()
        self._image_rect = None
        self.history.clear()
        self.strip_image.clear()
        self._empty_axes()
        empty = np.zeros((0, 4))
        self._mesh_key = None
        for item in (self.pushes, self.p_data_lines, *self.p_g_lines, *self._mesh, *self._z_mesh):
            item.set_data(empty, [], 1.0)
        for dots in (self.fake_dots, self.real_dots):
            dots.setData([], [])
        self.outlines.setData([], [])
        self._real_key = self._outline_key = None
        self.caption.setText("")

    def preview(self, target) -> None:
        """p_data alone (contour lines of its density), before the training process has sent a frame."""
        if not (hasattr(target, "pdf") and hasattr(target, "extent")):
            return
        x0, x1, y0, y1 = (float(v) for v in target.extent())
        xs = x0 + (np.arange(96) + 0.5) * (x1 - x0) / 96
        ys = y0 + (np.arange(96) + 0.5) * (y1 - y0) / 96
        p = np.asarray(target.pdf(np.stack(np.meshgrid(xs, ys), -1)), dtype=float)
        top = float(np.nanmax(p)) if p.size else 0.0
        if top > 0:
            self.p_data_lines.set_field(p, xs, ys, [f * top for f in (0.05, 0.3, 0.7)], self.style.theme.p_data,
                                        self.style.width(1.5))
        self._set_range((x0, x1, y0, y1))
        s, th = self.style, self.style.theme
        self.caption.setText(f"<span style='font-size:{s.css_size(13)}; color:{th.muted}'>p_data; the training "
                             "process is starting…</span>")

    # --- per frame ------------------------------------------------------------------------------
    def show_snapshot(self, snap: Snapshot2D) -> None:
        self.last = snap
        if snap.diverged():  # keep what is drawn, say so
            s, th = self.style, self.style.theme
            self.caption.setText(f"<span style='font-size:{s.css_size(13)}; color:{th.foreground}'>step "
                                 f"<b>{snap.step}</b> — G's output is NaN: training diverged</span>")
            return
        s, th = self.style, self.style.theme
        extent = tuple(float(v) for v in snap.extent)
        self._set_range(extent)
        self.heat.setImage(snap.d, autoLevels=False, levels=(0.0, 1.0))
        if self._image_rect != (extent, snap.d.shape):
            self._image_rect = (extent, snap.d.shape)
            self.heat.setRect(QRectF(extent[0], extent[2], extent[1] - extent[0], extent[3] - extent[2]))
        self.p_data_lines.set_data(np.zeros((0, 4)), [], 1.0)
        xs, ys = snap.centres()
        peak = float(np.nanmax(snap.p_g)) if np.isfinite(snap.p_g).any() else 0.0
        for item, level, width in zip(self.p_g_lines, PG_LEVELS, (1.3, 2.0, 2.8)):
            item.set_field(snap.p_g, xs, ys, [level * peak] if peak > 0 else [], th.p_g, s.width(width))
        self._draw_outlines(snap)
        self._draw_samples(snap, extent)
        self._draw_mesh(snap, extent)
        self._draw_strip(snap)
        if snap.pg_method != self._pg_method:
            self._legend_tooltip()
        self.caption.setText(self._caption_html(snap))

    def _set_range(self, extent: tuple) -> None:
        if self.x_policy.fixed:
            extent = self.x_policy.fixed
        if extent != self._extent:
            self._extent = extent
            self.plot.setRange(xRange=extent[:2], yRange=extent[2:], padding=0)

    def _draw_outlines(self, snap: Snapshot2D) -> None:
        key = (len(snap.outlines), tuple(float(o[0, 0]) for o in snap.outlines if len(o)))
        if key == self._outline_key:
            return
        self._outline_key = key
        parts = []
        for o in snap.outlines:
            o = np.asarray(o, dtype=float).reshape(-1, 2)
            parts += [o, np.full((1, 2), np.nan)]
        pts = np.concatenate(parts) if parts else np.zeros((0, 2))
        self.outlines.setData(pts[:, 0], pts[:, 1], connect="finite")

    def _draw_samples(self, snap: Snapshot2D, extent: tuple) -> None:
        if not self.show_samples:
            return
        real = np.asarray(snap.real, dtype=float).reshape(-1, 2)
        key = (real.shape, real[:4].tobytes(), real[-4:].tobytes())
        if key != self._real_key:  # a fixed side stream: the same dots every frame
            self._real_key = key
            self.real_dots.setData(pos=real)
        fake = np.asarray(snap.fake, dtype=float).reshape(-1, 2)
        self.fake_dots.setData(pos=fake)
        if not self.show_arrows or not len(fake):
            self.pushes.set_data(np.zeros((0, 4)), [], 1.0)
            return
        idx = np.unique(np.linspace(0, len(fake) - 1, min(len(fake), N_ARROWS)).astype(int))
        push = np.nan_to_num(snap.push()[idx])
        mag = np.hypot(push[:, 0], push[:, 1])
        top = float(mag.max()) if mag.size else 0.0
        keep = mag > 1e-3 * top
        if top <= 0 or not keep.any():
            self.pushes.set_data(np.zeros((0, 4)), [], 1.0)
            return
        span = max(extent[1] - extent[0], extent[3] - extent[2])
        length = ARROW_SHARE * span * np.sqrt(mag[keep] / top)  # normalised: the weak ones still readable
        ends = fake[idx][keep] + push[keep] / mag[keep, None] * length[:, None]
        self.pushes.set_data(np.column_stack([fake[idx][keep], ends]), [self.style.theme.push],
                             self.style.width(1.5))

    def _draw_mesh(self, snap: Snapshot2D, extent: tuple) -> None:
        z_mesh, g_mesh = np.asarray(snap.z_mesh, float), np.asarray(snap.g_mesh, float)
        if z_mesh.ndim != 3 or z_mesh.shape != g_mesh.shape:
            return
        lines = z_mesh.shape[0]
        key = (z_mesh.shape, z_mesh[:, [0, -1]].tobytes(), tuple(snap.z_range), self.style.dark)
        if key != self._mesh_key:  # the z mesh (and its colours) once per run
            self._mesh_key = key
            self._ensure_mesh_items(lines)
            colors = mesh_colors(z_mesh, snap.z_range, self.style.dark)
            for item, line, color in zip(self._z_mesh, z_mesh, colors):
                item.set_data(np.column_stack([line[:-1], line[1:]]), [color], self.style.width(1.6))
            for color in colors:
                color.setAlpha(MESH_ALPHA)
            self._mesh_colors = colors
            lo, hi = snap.z_range
            pad = 0.06 * (hi - lo)
            self.z_plot.setRange(xRange=(lo - pad, hi + pad), yRange=(lo - pad, hi + pad), padding=0)
        span = max(extent[1] - extent[0], extent[3] - extent[2])
        cx, cy = (extent[0] + extent[1]) / 2, (extent[2] + extent[3]) / 2
        g = np.stack([np.clip(g_mesh[..., 0], cx - 10 * span, cx + 10 * span),
                      np.clip(g_mesh[..., 1], cy - 10 * span, cy + 10 * span)], -1)
        width = self.style.width(1.3)
        for item, line, color in zip(self._mesh, g, self._mesh_colors):
            item.set_data(np.column_stack([line[:-1], line[1:]]), [color], width)

    def _ensure_mesh_items(self, lines: int) -> None:
        while len(self._mesh) > lines:
            self.plot.removeItem(self._mesh.pop())
            self.z_plot.removeItem(self._z_mesh.pop())
        while len(self._mesh) < lines:
            item, z_item = PolylineItem(), PolylineItem()
            item.setZValue(2.5)  # over the heat map and the outlines, under p_g's lines and the dots
            self.plot.addItem(item)
            self.z_plot.addItem(z_item)
            self._mesh.append(item)
            self._z_mesh.append(z_item)

    def _draw_strip(self, snap: Snapshot2D) -> None:
        k = snap.n_modes
        if k == 0:  # nothing to cover (a cloud of points without modes)
            if self.history.n:
                self.history.clear()
                self.strip_image.clear()
                self._empty_axes()
            return
        self.history.add(int(snap.step), np.asarray(snap.covered()), np.asarray(snap.occupancy, float))
        steps = self.history.steps
        first, last = float(steps[0]), float(steps[-1])
        lo, hi, rows = self._strip_range or (None, None, None)
        if lo != first or rows != k or last > hi or (last < lo + 0.3 * (hi - lo) and hi - lo > 40):
            hi = first + max(1.3 * (last - first), 20.0)  # grows in jumps: the axis is not redrawn every frame
            self._strip_range = (first, hi, k)
            self.strip.setRange(xRange=(first, hi), yRange=(0, k), padding=0)
            ticks = [(0.5, "1"), (k - 0.5, str(k))] if k > 1 else [(0.5, "1")]
            self.strip.getAxis("left").setTicks([ticks, []])
        end = last + ((last - first) / (len(steps) - 1) if len(steps) > 1 else 1.0)  # the last column shows too
        self.strip_image.setImage(self.history.image(first, end), autoLevels=False, levels=(-1.0, 1.0))
        self.strip_image.setRect(QRectF(first, 0, end - first, k))

    def _caption_html(self, snap: Snapshot2D) -> str:
        s, th = self.style, self.style.theme
        letter = f"<b>{self.letter}</b> &nbsp;" if self.letter else ""
        if self.note:
            text = letter + self.note.replace("\n", "<br>")
            return f"<span style='font-size:{s.css_size(13)}; color:{th.foreground}'>{text}</span>"
        covered = int(np.count_nonzero(snap.covered()))
        gap = "<br>" if self._wrap else " &nbsp; "
        text = (f"{letter}step <b>{snap.step}</b> &nbsp; JSD {_num(snap.jsd)} ± {_num(snap.jsd_err)} &nbsp; "
                f"sliced W1 {_num(snap.sw1)} <span style='color:{th.muted}'>(floor {_num(snap.sw1_floor)})</span>"
                f"{gap}modes <b>{covered}/{snap.n_modes}</b> &nbsp; "
                f"high quality {_num(100 * snap.quality, '{:.0f}')} %")
        if self.show_player:
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
