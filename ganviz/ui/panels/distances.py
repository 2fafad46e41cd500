"""The distances panel: every divergence and distance between p_data and p_g, live, on one log-scale plot —
JSD, KL(p_data‖p_g), KL(p_g‖p_data), Pearson χ², squared Hellinger, total variation and W1 — exact on the
theory's cells (core/theory.py ``divergences``), with the one the current objective minimises drawn bold.

An infinite value is shown as such: its curve stops and a row under the plot says "= ∞" and why (p_data has
mass where p_g has none: G's range is bounded), never a number clipped to the top of the axis.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ganviz import losses
from ganviz.draw import style as st
from ganviz.draw.items import Caption
from ganviz.ui.panels import Panel, register
from ganviz.ui.panels.metrics import MAX_REDRAW_HZ, LogTicks, StepAxis, nice_ceiling

CURVES = [  # key in the records, label, theme colour
    ("jsd", "JSD", "jsd"), ("kl", "KL(p_data‖p_g)", "d"), ("rkl", "KL(p_g‖p_data)", "p_g"),
    ("chi2", "Pearson χ²", "c_g"), ("hellinger", "Hellinger²", "push"), ("tv", "TV", "muted"),
    ("w1", "W1", "foreground"),
]
WHY_INFINITE = {"kl": "p_data has mass where p_g has none", "chi2": "p_data has mass where p_g has none",
                "rkl": "p_g has mass where p_data has none"}


@register
class DistancesPanel(Panel):
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
        self.curves = {key: self.plot.plot(name=label) for key, label, _ in CURVES}
        self.readout = Caption(justify="left")
        self.addItem(self.readout, row=1, col=0)
        self._last_draw = 0.0
        self.apply_style()

    def apply_style(self) -> None:
        s = self.style
        self.setBackground(s.theme.background)
        st.style_panel_plot(self.plot, self.legend, s, "step", "divergence (log scale)")
        self._style_curves()
        self.redraw()

    def _style_curves(self) -> None:
        s, th = self.style, self.style.theme
        for key, _, color in CURVES:
            bold = key == self.objective
            self.curves[key].setPen(s.pen(getattr(th, color), 3.5 if bold else 1.4))
            self.curves[key].setOpacity(1.0 if bold else 0.7)

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

    def records_changed(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._last_draw >= 1.0 / MAX_REDRAW_HZ:
            self._last_draw = now
            self.redraw()

    def redraw(self) -> None:
        rec = self.recording
        if rec is None or not rec.records:
            return
        steps = rec.column("step")
        lows, highs, infinite = [], [], []
        for key, label, _ in CURVES:
            y = rec.column(key)
            with np.errstate(divide="ignore", invalid="ignore"):
                logy = np.where(np.isfinite(y) & (y > 0), np.log10(y), np.nan)
            self.curves[key].setData(steps, logy, connect="finite")
            shown = logy[np.isfinite(logy)]
            if shown.size:
                lows.append(float(shown.min()))
                highs.append(float(shown.max()))
            last = y[-1] if y.size else math.nan
            if math.isinf(last):
                infinite.append(f"{label} = ∞ ({WHY_INFINITE.get(key, 'no common support')})")
        self.plot.setXRange(0, nice_ceiling(max(float(steps[-1]) * 1.05, 10)), padding=0)
        if lows:
            self.plot.setYRange(math.floor(min(lows)), math.ceil(max(highs)) + 0.2, padding=0)
        s, th = self.style, self.style.theme
        what = dict((k, lab) for k, lab, _ in CURVES).get(self.objective)
        head = (f"bold: {what}, what {self.objective_label} minimises at D's optimum" if what else
                f"{self.objective_label} minimises none of these exactly")
        self.readout.setText(f"<span style='font-size:{s.css_size(10)}; color:{th.foreground}'>{head}"
                             + "".join(f"<br><b>{line}</b>" for line in infinite) + "</span>")
