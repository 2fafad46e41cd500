"""Curves against step, from the run's Recording: JSD and C(G) with the −log 4 floor, both losses, mean
D(real) / D(fake) with D = ½, and gradient norms on a log scale. The whole run or a rolling window.

Axis ranges change only in jumps (hysteresis): re-rendering axis text is what a frame costs most. Curves
redraw at most 15 times a second.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from ganviz.draw import style as st
from ganviz.engine.recording import Recording
from ganviz.ui.panels import Panel, register

MAX_REDRAW_HZ = 15.0


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 5 × 10^k above ``value``: the x axis grows in jumps, so its ticks are rarely redrawn."""
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * exp >= value:
            return m * exp
    return 10 * exp


class ThrottledRedraw:
    """For a panel that redraws from the whole recording: new records redraw it now if forced (paused, single
    steps), else at most MAX_REDRAW_HZ times a second."""
    _last_draw = 0.0

    def records_changed(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._last_draw >= 1.0 / MAX_REDRAW_HZ:
            self._last_draw = now
            self.redraw()


class LogTicks(pg.AxisItem):
    """An axis of log10 values labelled as powers of ten, one label per decade (never overlapping); with less
    than two decades in view, 2e… and 5e… as well."""

    def tickValues(self, minVal, maxVal, size):
        lo, hi = math.floor(minVal), math.ceil(maxVal)
        every = max(1, math.ceil((hi - lo + 1) / max(2, size / 40)))
        decades = [float(v) for v in range(lo, hi + 1, every)]
        if sum(minVal <= v <= maxVal for v in decades) >= 2:
            return [(1.0, decades)]
        # less than a decade in view: 2× and 5× between the powers of ten as well, so the axis still reads
        finer = [v + math.log10(m) for v in range(lo - 1, hi + 1) for m in (1, 2, 5)]
        return [(1.0, [v for v in finer if minVal <= v <= maxVal] or decades)]

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            e = math.floor(v + 1e-9)
            m = round(10 ** (v - e))
            out.append(f"1e{e}" if m == 1 else f"{m}e{e}")
        return out


class StepAxis(pg.AxisItem):
    """Whole, non-negative step numbers, short (12k, not 12,000): tick labels must never run together, so
    the spacing is chosen from the axis's width in pixels and the width of its longest label."""

    def tickSpacing(self, minVal, maxVal, size):
        span = maxVal - minVal
        if span <= 0 or size <= 0:
            return super().tickSpacing(minVal, maxVal, size)
        font = self.style.get("tickFont")
        em = (font.pointSizeF() if font is not None and font.pointSizeF() > 0 else 10) * 96 / 72
        room = max(2, int(size / (3.2 * em)))  # a label such as "1.5k" and a gap
        raw = span / room
        major = nice_ceiling(raw)
        return [(major, 0)]

    def tickStrings(self, values, scale, spacing):
        def fmt(v: float) -> str:
            if v < 0 or abs(v - round(v)) > 1e-6:
                return ""
            v = int(round(v))
            if v >= 1_000_000:
                return f"{v / 1e6:g}M"
            return f"{v / 1000:g}k" if v >= 1000 else str(v)
        return [fmt(v) for v in values]


class YRange:
    def __init__(self, pad: float = 0.1, shrink: float = 0.3):
        self.lo = self.hi = None
        self.pad, self.shrink = pad, shrink

    def update(self, lo: float, hi: float):
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        if hi - lo < 1e-9:
            lo, hi = lo - 0.5, hi + 0.5
        span = hi - lo
        want = (lo - self.pad * span, hi + self.pad * span)
        if self.lo is None or want[0] < self.lo or want[1] > self.hi or (want[1] - want[0]) < self.shrink * (self.hi - self.lo):
            self.lo, self.hi = want
            return want
        return None

    def reset(self) -> None:
        self.lo = self.hi = None


SPECS = [
    ("jsd", "JSD / C(G)", [("jsd", "JSD(p_data‖p_g)", "jsd"), ("c_g", "C(G)", "c_g")]),
    ("loss", "losses", [("loss_d", "D loss", "d"), ("loss_g", "G loss", "p_g")]),
    ("d", "mean D", [("d_real", "D(real)", "d"), ("d_fake", "D(G(z))", "p_g")]),
    ("grad", "‖∇‖", [("grad_norm_d", "‖∇θd‖", "d"), ("grad_norm_g", "‖∇θg‖", "p_g")]),
]


@register
class MetricsView(ThrottledRedraw, Panel):
    name, tab_label = "metrics", "Metrics"

    def __init__(self, style: st.Style | None = None):
        super().__init__(style)
        self.recording: Recording | None = None
        self.window: int | None = None  # None: the whole run; else the last N steps
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, tuple[pg.PlotDataItem, str, str]] = {}
        for row, (key, label, curves) in enumerate(SPECS):
            axes = {"bottom": StepAxis("bottom")}
            if key == "grad":
                axes["left"] = LogTicks("left")
            plot = self.addPlot(row=row, col=0, axisItems=axes)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMouseEnabled(x=False, y=False)
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
            plot.showGrid(x=True, y=True, alpha=0.2)
            for name, title, color in curves:  # named in the plot's title row: a legend would cover the curves
                self.curves[name] = (plot.plot(), title, color)
            plot.setLabel("left", label)
            plot.disableAutoRange()
            if row:
                plot.setXLink(self.plots["jsd"])
            if row < len(SPECS) - 1:
                plot.getAxis("bottom").setStyle(showValues=False)
            self.plots[key] = plot
        self.plots["d"].setYRange(0, 1, padding=0.05)
        self.floor = pg.InfiniteLine(pos=-math.log(4), angle=0, movable=False, label="−log 4",
                                     labelOpts={"position": 0.08})
        self.plots["jsd"].addItem(self.floor)
        self.half = pg.InfiniteLine(pos=0.5, angle=0, movable=False)
        self.plots["d"].addItem(self.half)
        self.y_ranges = {key: YRange() for key in ("jsd", "loss", "grad")}
        self.x_hi = 0.0
        self.apply_style()

    def apply_style(self) -> None:
        s = st.Style(scale=min(self.style.scale, 1.6), dark=self.style.dark)  # four stacked plots: capped
        th = s.theme
        self.setBackground(th.background)
        colors = {"jsd": th.jsd, "c_g": th.c_g, "d": th.d, "p_g": th.p_g}
        for name, (curve, title, color) in self.curves.items():
            curve.setPen(s.pen(colors[color], 2.0))
        for key, label, curves in SPECS:
            plot = self.plots[key]
            st.style_plot(plot, s)
            plot.setTitle("&nbsp;&nbsp;".join(f"<span style='color:{colors[c]}'>━ {t}</span>" for _, t, c in curves),
                          size=s.css_size(9), justify="left")
            plot.getAxis("left").setLabel(label, color=th.foreground, **{"font-size": s.css_size(10)})
            plot.getAxis("left").setWidth(int(56 * s.scale))
        self.plots["grad"].setLabel("bottom", "step", color=th.foreground, **{"font-size": s.css_size(10)})
        self.floor.setPen(s.pen(th.half, 1.2, Qt.PenStyle.DashLine))
        self.floor.label.setColor(th.muted)
        self.half.setPen(s.half_pen())
        self.redraw()

    def set_recording(self, recording: Recording) -> None:
        """A new run: its curves, on axes of its own (nothing of the previous run's ranges stays)."""
        self.recording = recording
        self.x_hi = 0.0
        for r in self.y_ranges.values():
            r.reset()
        for curve, _, _ in self.curves.values():
            curve.setData([], [])
        self.plots["jsd"].setXRange(0, 10, padding=0)
        self.plots["jsd"].setYRange(-math.log(4), 0.7, padding=0.05)
        self.plots["loss"].setYRange(0, 2, padding=0.05)
        self.plots["grad"].setYRange(-3, 1, padding=0.05)
        self.redraw()

    def set_window(self, steps: int | None) -> None:
        self.window = steps
        self.x_hi = 0.0
        for r in self.y_ranges.values():
            r.reset()
        self.redraw()

    def redraw(self) -> None:
        rec = self.recording
        if rec is None or not rec.records:
            return
        steps = rec.column("step")
        for name, (curve, _, _) in self.curves.items():
            y = rec.column(name)
            if name.startswith("grad"):
                with np.errstate(divide="ignore", invalid="ignore"):
                    y = np.where(y > 0, np.log10(y), np.nan)
            curve.setData(steps, y, connect="finite")
        self._update_ranges(steps)

    def _update_ranges(self, steps: np.ndarray) -> None:
        last = float(steps[-1])
        if self.window:
            if last > self.x_hi or last < self.x_hi - self.window:
                self.x_hi = last + self.window / 4  # jump a quarter window ahead
            lo, hi = max(0.0, self.x_hi - self.window), self.x_hi
        else:
            if last > self.x_hi or last < 0.5 * self.x_hi or self.x_hi == 0:
                self.x_hi = nice_ceiling(max(last * 1.05, 10))
            lo, hi = 0.0, self.x_hi
        self.plots["jsd"].setXRange(lo, hi, padding=0.0)
        shown = steps >= lo
        rec = self.recording
        groups = {"jsd": ("jsd", "c_g"), "loss": ("loss_d", "loss_g"), "grad": ("grad_norm_d", "grad_norm_g")}
        for key, names in groups.items():
            values = np.concatenate([rec.column(n)[shown] for n in names])
            if key == "grad":
                values = np.log10(values[values > 0])
            values = values[np.isfinite(values)]
            if key == "jsd":
                values = np.concatenate([values, [-math.log(4), 0.0]])  # the floor and 0 always in view
            if values.size:
                new = self.y_ranges[key].update(float(values.min()), float(values.max()))
                if new:
                    self.plots[key].setYRange(*new, padding=0)
