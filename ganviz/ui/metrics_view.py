"""Curves against step: JSD and C(G) with the −log 4 floor, both losses, mean D(real) / D(fake), and
gradient norms (log scale). A rolling window (last N steps) or the whole run."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from ganviz.core.snapshot import Snapshot
from ganviz.ui import style as st
from ganviz.ui.figure_view import AutoRange

MAX_REDRAW_HZ = 15.0
SERIES = ("step", "jsd", "c_g", "loss_d", "loss_g", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")


class Series:
    """Growing column arrays (amortised doubling), so appending a frame is O(1)."""

    def __init__(self):
        self.n = 0
        self.data = {k: np.empty(1024) for k in SERIES}

    def append(self, row: dict) -> None:
        if self.n == len(self.data["step"]):
            self.data = {k: np.concatenate([v, np.empty_like(v)]) for k, v in self.data.items()}
        for k in SERIES:
            self.data[k][self.n] = row.get(k, math.nan)
        self.n += 1

    def __getitem__(self, key: str) -> np.ndarray:
        return self.data[key][: self.n]

    def clear(self) -> None:
        self.n = 0


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 5 × 10^k above ``value``: the x axis grows in jumps, so its ticks are rarely redrawn."""
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * exp >= value:
            return m * exp
    return 10 * exp


class MetricsView(pg.GraphicsLayoutWidget):
    """Axis ranges change only in jumps (hysteresis): re-rendering axis text is what a frame costs most."""

    def __init__(self, style: st.Style | None = None):
        super().__init__()
        self.style = style or st.Style()
        self.series = Series()
        self.window: int | None = None  # None: the whole run; else the last N steps
        self.plots: dict[str, pg.PlotItem] = {}
        self.titles: dict[str, tuple[str, str]] = {}  # curve -> (plot, legend title)
        self.curves: dict[str, pg.PlotDataItem] = {}
        specs = [
            ("jsd", "JSD / C(G)", [("jsd", "JSD(p_data‖p_g)", st.JSD), ("c_g", "C(G)", st.C_G)]),
            ("loss", "losses", [("loss_d", "D loss", st.LOSS_D), ("loss_g", "G loss", st.LOSS_G)]),
            ("d", "mean D", [("d_real", "D(real)", st.LOSS_D), ("d_fake", "D(G(z))", st.LOSS_G)]),
            ("grad", "‖∇‖", [("grad_norm_d", "‖∇D‖", st.LOSS_D), ("grad_norm_g", "‖∇G‖", st.LOSS_G)]),
        ]
        for row, (key, label, curves) in enumerate(specs):
            plot = self.addPlot(row=row, col=0)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.addLegend(offset=(-5, 5), labelTextSize=self.style.css_size(9))
            for name, title, color in curves:
                self.curves[name] = plot.plot(pen=self.style.pen(color, 2.0), name=title)
                self.titles[name] = (key, title)
            plot.setLabel("left", label)
            plot.disableAutoRange()
            self.plots[key] = plot
            if row:
                plot.setXLink(self.plots["jsd"])
        self.plots["grad"].setLogMode(y=True)
        self.plots["d"].setYRange(0, 1, padding=0.05)
        self.plots["jsd"].setYRange(-math.log(4) - 0.1, 0.8, padding=0)
        self.floor = pg.InfiniteLine(pos=-math.log(4), angle=0, movable=False,
                                     pen=self.style.pen(st.HALF, 1.2, Qt.PenStyle.DashLine),
                                     label="−log 4", labelOpts={"position": 0.05, "color": st.HALF})
        self.plots["jsd"].addItem(self.floor)
        self.half = pg.InfiniteLine(pos=0.5, angle=0, movable=False, pen=self.style.half_pen())
        self.plots["d"].addItem(self.half)
        self.plots["grad"].setLabel("bottom", "step")
        self.y_ranges = {key: AutoRange(pad=0.1, shrink=0.3) for key in self.plots}
        self.x_hi = 0.0
        self._last_draw = 0.0
        self.apply_style()

    def apply_style(self) -> None:
        self.setBackground(self.style.theme.background)
        bg = pg.mkColor(self.style.theme.background)
        bg.setAlpha(210)
        for plot in self.plots.values():
            plot.legend.setBrush(pg.mkBrush(bg))
            plot.legend.setLabelTextColor(self.style.theme.foreground)
            plot.legend.setLabelTextSize(self.style.css_size(9))
            plot.legend.clear()  # re-add, so the entries take the new size
        for name, (key, title) in self.titles.items():
            self.plots[key].legend.addItem(self.curves[name], title)
        self.plots["grad"].setLabel("bottom", "step", color=self.style.theme.foreground,
                                    **{"font-size": self.style.css_size(10)})
        for plot in self.plots.values():
            st.style_plot(plot, self.style)
            plot.getAxis("left").setLabel(plot.getAxis("left").labelText, color=self.style.theme.foreground,
                                          **{"font-size": self.style.css_size(10)})

    def set_window(self, steps: int | None) -> None:
        self.window = steps
        self.x_hi = 0.0
        for r in self.y_ranges.values():
            r.reset()
        self.redraw()

    def reset_curves(self) -> None:
        """Forget the run's curves (not ``clear``: GraphicsLayoutWidget binds that name to remove all plots)."""
        self.series.clear()
        self.x_hi = 0.0
        for r in self.y_ranges.values():
            r.reset()

    def add(self, snap: Snapshot, force_draw: bool = False) -> None:
        row = dict(snap.metrics)
        row.update(step=snap.step, jsd=snap.jsd, c_g=snap.c_g)
        if self.series.n and snap.step < self.series["step"][-1]:
            # a reset (step 0) or a restart from a recorded step: the curves go on from there
            self.series.n = int(np.searchsorted(self.series["step"], snap.step))
        if self.series.n and snap.step == self.series["step"][-1]:
            return
        self.series.append(row)
        now = time.perf_counter()
        if force_draw or now - self._last_draw >= 1.0 / MAX_REDRAW_HZ:  # curves are recorded at every frame, drawn ≤ 15 Hz
            self._last_draw = now
            self.redraw()

    def redraw(self) -> None:
        s = self.series
        if s.n == 0:
            return  # (setData with empty arrays leaves pyqtgraph's log-scale plot unable to paint)
        steps = s["step"]
        for name, curve in self.curves.items():
            y = s[name]
            if name.startswith("grad"):
                y = np.where(y > 0, y, np.nan)
            curve.setData(steps, y, connect="finite")
        self._update_ranges(steps)

    def _update_ranges(self, steps: np.ndarray) -> None:
        last = float(steps[-1])
        if self.window:
            if last > self.x_hi or last < self.x_hi - self.window:
                self.x_hi = last + self.window / 4  # jump a quarter window ahead
            lo, hi = max(0.0, self.x_hi - self.window), self.x_hi
        else:
            if last > self.x_hi or last < 0.5 * self.x_hi:
                self.x_hi = nice_ceiling(last * 1.05)
            lo, hi = 0.0, self.x_hi
        self.plots["jsd"].setXRange(lo, hi, padding=0.0)
        shown = steps >= lo
        groups = {"jsd": ("jsd", "c_g"), "loss": ("loss_d", "loss_g"), "grad": ("grad_norm_d", "grad_norm_g")}
        for key, names in groups.items():
            values = np.concatenate([self.series[n][shown] for n in names])
            if key == "grad":
                values = np.log10(values[values > 0])
            values = values[np.isfinite(values)]
            if values.size:
                new = self.y_ranges[key].update(float(values.min()), float(values.max()) + 1e-9)
                if new:
                    self.plots[key].setYRange(*new, padding=0)
