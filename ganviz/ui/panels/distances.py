"""The distances panel: every divergence and distance between p_data and p_g, live, on one log-scale plot —
JSD, KL(p_data‖p_g), KL(p_g‖p_data), Pearson χ², squared Hellinger, total variation and W1 — exact on the
theory's cells (core/theory.py ``divergences``), with the one the current objective minimises drawn bold.

An infinite value is shown as such: its curve runs along the top edge of the plot and a row under it says "= ∞"
and why (p_data has mass where p_g has none: G's range is bounded), never a finite number. In the plane only
the JSD estimate and the sliced W1 are measured (core/measure2d.py); the legend lists what the run measures.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from ganviz import losses
from ganviz.draw import style as st
from ganviz.draw.items import Caption
from ganviz.ui.panels import Panel, register
from ganviz.ui.panels.metrics import LogTicks, StepAxis, ThrottledRedraw, nice_ceiling

CURVES = [  # key in the records, label, colour (light theme, dark theme), dashed
    ("jsd", "JSD", ("#d62728", "#ff6b5e"), False), ("kl", "KL(p_data‖p_g)", ("#1f77b4", "#6fb1ff"), False),
    ("rkl", "KL(p_g‖p_data)", ("#2ca02c", "#4cd964"), False), ("chi2", "Pearson χ²", ("#9467bd", "#c39bff"), False),
    ("hellinger", "Hellinger²", ("#ff7f0e", "#ffb055"), False), ("tv", "TV", ("#8c564b", "#d9a38f"), True),
    ("w1", "W1", ("#17becf", "#5fe3f0"), False), ("sw1", "sliced W1", ("#17becf", "#5fe3f0"), False),
]
LABELS = {key: label for key, label, *_ in CURVES}
WHY_INFINITE = {"kl": "p_data has mass where p_g has none", "chi2": "p_data has mass where p_g has none",
                "rkl": "p_g has mass where p_data has none"}
PLANE_NOTE = ("in the plane: JSD estimated on the cells (p_g from a z grid through G),<br>sliced W1 from samples; "
              "the others need exact densities")


@register
class DistancesPanel(ThrottledRedraw, Panel):
    name, tab_label = "distances", "Distances"

    def __init__(self, style: st.Style | None = None):
        super().__init__(style)
        self.recording = None
        self.objective, self.objective_label = "jsd", "the GAN game"
        self.plot = self.addPlot(row=0, col=0, axisItems={"left": LogTicks("left"), "bottom": StepAxis("bottom")})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.curves = {key: self.plot.plot() for key, *_ in CURVES}
        self.shown: tuple | None = None  # the keys the legend lists (those the run records)
        self.infinite = {key: self.plot.plot() for key, *_ in CURVES}  # where a divergence is ∞: the top edge
        self.infinity_mark = pg.TextItem("∞", anchor=(0, 0))
        self.plot.addItem(self.infinity_mark)
        self.readout = Caption(justify="left")
        self.addItem(self.readout, row=1, col=0)
        self.apply_style()

    def apply_style(self) -> None:
        s = self.style
        self.setBackground(s.theme.background)
        st.style_panel_plot(self.plot, self.legend, s, "step", "divergence (log scale)")
        self._style_curves()
        self.redraw()

    def _style_curves(self) -> None:
        s = self.style
        for key, _, colors, dashed in CURVES:
            bold = key == self.objective or (key == "sw1" and self.objective == "w1")
            dash = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
            color = colors[1] if s.dark else colors[0]
            self.curves[key].setPen(s.pen(color, 3.5 if bold else 1.6, dash))
            self.curves[key].setOpacity(1.0 if bold else 0.8)
            self.infinite[key].setPen(s.pen(color, 3.5 if bold else 1.6, Qt.PenStyle.DotLine))
        self.infinity_mark.setColor(s.theme.foreground)
        self.infinity_mark.setFont(s.font(11, bold=True))
        self.shown = None  # the legend is rebuilt on the next redraw

    def set_recording(self, recording) -> None:
        self.recording = recording
        for curve in self.curves.values():
            curve.setData([], [])
        self.plot.setXRange(0, 10, padding=0)
        self.readout.setText("")

    def set_config(self, cfg) -> None:
        spec = losses.get(cfg.g_loss)
        if spec.divergence != self.objective or spec.label != self.objective_label:
            self.objective, self.objective_label = spec.divergence, spec.label
            self._style_curves()
            self.redraw()

    def redraw(self) -> None:
        rec = self.recording
        if rec is None or not rec.records:
            return
        steps = rec.column("step")
        logs, lows, highs, infinite = {}, [], [], []
        for key, label, _, _ in CURVES:
            y = rec.column(key)
            if not np.any(np.isfinite(y) | np.isinf(y)):
                continue  # not measured for this run (the plane has no exact KL; a line has no sliced W1)
            with np.errstate(divide="ignore", invalid="ignore"):
                logs[key] = np.where(np.isfinite(y) & (y > 0), np.log10(y), np.where(np.isposinf(y), np.inf, np.nan))
            shown = logs[key][np.isfinite(logs[key])]
            if shown.size:
                lows.append(float(shown.min()))
                highs.append(float(shown.max()))
            last = y[-1] if y.size else math.nan
            if math.isinf(last):
                infinite.append(f"{label} = ∞ ({WHY_INFINITE.get(key, 'no common support')})")
        lo, hi = (math.floor(min(lows)), math.ceil(max(highs)) + 0.2) if lows else (-3.0, 0.2)
        for key, curve in self.curves.items():
            logy = logs.get(key)
            if logy is None:
                curve.setData([], [])
                self.infinite[key].setData([], [])
                continue
            curve.setData(steps, np.where(np.isfinite(logy), logy, np.nan), connect="finite")
            # where it is ∞: a dotted run along the top edge, marked ∞ (the row under the plot says why)
            top = np.where(np.isposinf(logy), hi - 0.05, np.nan)
            self.infinite[key].setData(steps, top, connect="finite")
        self._legend(tuple(logs))
        self.plot.setXRange(0, nice_ceiling(max(float(steps[-1]) * 1.05, 10)), padding=0)
        self.plot.setYRange(lo, hi, padding=0)
        any_infinite = any(np.isposinf(v).any() for v in logs.values())
        self.infinity_mark.setVisible(bool(any_infinite))
        self.infinity_mark.setPos(0, hi)
        s, th = self.style, self.style.theme
        bold = (self.objective if self.objective in logs else
                "sw1" if self.objective == "w1" and "sw1" in logs else None)  # the plane's W1 is sliced
        head = (f"bold: {LABELS[bold]},<br>what {self.objective_label} minimises at D's optimum" if bold else
                f"{self.objective_label}:<br>its divergence is not among these")
        if "sw1" in logs:
            head += "<br>" + PLANE_NOTE
        self.readout.setText(f"<span style='font-size:{s.css_size(10)}; color:{th.foreground}'>{head}"
                             + "".join(f"<br><b>{line}</b>" for line in infinite) + "</span>")

    def _legend(self, keys: tuple) -> None:
        """The legend lists only what this run measures (a plane run: JSD and sliced W1)."""
        if keys == self.shown:
            return
        self.shown = keys
        self.legend.clear()
        for key in keys:
            self.legend.addItem(self.curves[key], LABELS[key])
