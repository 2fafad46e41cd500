"""G's loss panel: every registered objective whose critic is a probability (ganviz/losses.py), drawn as G's
per-sample loss against D(G(z)) ∈ (0, 1) — saturating log(1 − D), non-saturating −log D, least squares
½(D − 1)², … — with the current batch's fakes as dots on the active curve and the slope at each. Where D
confidently rejects G (D(G(z)) ≈ 0) the saturating curve is flat and the non-saturating one is steep: that is
the vanishing gradient of the paper's §3, and the fix.

What G's update actually receives is the slope with respect to D's logit l (D = σ(l)):
∂ℓ/∂l = −D for log(1 − D), −(1 − D) for −log D — the readout compares the two at the current fakes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ganviz import losses
from ganviz.core.snapshot import Snapshot
from ganviz.draw import style as st
from ganviz.draw.items import Caption, SegmentsItem
from ganviz.ui.panels import Panel, register

D_GRID = np.linspace(0.002, 0.998, 300)
Y_RANGE = (-4.0, 4.0)


@register
class LossPanel(Panel):
    name, tab_label = "loss", "G's loss"

    def __init__(self, style: st.Style | None = None):
        super().__init__(style)
        self.plot = st.fixed_plot(self)
        self.plot.setXRange(0, 1, padding=0.02)
        self.plot.setYRange(*Y_RANGE, padding=0)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.curves = {}
        for spec in losses.LOSSES.values():
            if spec.curve:
                self.curves[spec.name] = self.plot.plot(D_GRID, np.clip(spec.g_of_d(D_GRID), -50, 50),
                                                        name=spec.label)
        self.dots = pg.ScatterPlotItem(pxMode=True)
        self.tangents = SegmentsItem()
        self.plot.addItem(self.tangents)
        self.plot.addItem(self.dots)
        self.readout = Caption(justify="left")
        self.addItem(self.readout, row=1, col=0)
        self.active = "non_saturating"
        self.apply_style()

    def apply_style(self) -> None:
        s, th = self.style, self.style.theme
        self.setBackground(th.background)
        st.style_panel_plot(self.plot, self.legend, s, "D(G(z))", "G's loss per fake")
        self.dots.setSize(7 * s.scale)
        self.dots.setBrush(pg.mkBrush(th.fake_dot))
        self.dots.setPen(pg.mkPen(th.foreground, width=0.5))
        self._style_curves()

    def _style_curves(self) -> None:
        s, th = self.style, self.style.theme
        colors = [th.push, th.p_g, th.c_g, th.d, th.jsd, th.muted]
        for i, (key, item) in enumerate(self.curves.items()):
            on = key == self.active
            item.setPen(s.pen(colors[i % len(colors)], 3.5 if on else 1.2))
            item.setOpacity(1.0 if on else 0.45)

    def blank(self) -> None:
        self.dots.setData([], [])
        self.tangents.set_data(np.zeros((0, 4)), [], 1.0)
        self.readout.setText("")

    def show_snapshot(self, snap: Snapshot) -> None:
        s, th = self.style, self.style.theme
        if snap.g_loss != self.active:
            self.active = snap.g_loss
            self._style_curves()
        d = np.clip(snap.fake_d, D_GRID[0], D_GRID[-1])
        size = f"font-size:{s.css_size(11)}; color:{th.foreground}"
        if snap.g_loss not in self.curves or d.size == 0:
            self.blank()
            self.readout.setText(f"<span style='{size}'>{losses.get(snap.g_loss).label}: the critic's output "
                                 "is not a probability, so there is no curve in D(G(z)).</span>")
            return
        spec = losses.get(snap.g_loss)
        y = np.clip(spec.g_of_d(d), *Y_RANGE)
        self.dots.setData(d, y)
        slope = (spec.g_of_d(d[::4] + 1e-4) - spec.g_of_d(d[::4] - 1e-4)) / 2e-4  # dℓ/dD
        half = 0.05
        x0, x1 = d[::4] - half, d[::4] + half
        y0, y1 = y[::4] - half * slope, y[::4] + half * slope
        self.tangents.set_data(np.column_stack([x0, y0, x1, y1]), [th.foreground], s.width(1.0))
        a = np.abs(snap.fake_dlogit)
        if a.ndim == 2:  # in the plane: the size of ∇ₓ logit
            a = np.linalg.norm(a, axis=1)
        sat = float((d * a).mean())
        ns = float(((1 - d) * a).mean())
        ratio = sat / ns if ns > 0 else float("nan")
        verdict = ""
        if snap.g_loss == "saturating" and ratio < 0.05:
            verdict = (f"<br><b style='color:{th.push}'>{1 / ratio:.0f}× weaker than −log D:<br>"
                       "switch to non-saturating</b>")
        self.readout.setText(
            f"<span style='{size}'>fakes: mean D(G(z)) = {float(d.mean()):.3f}<br>G's gradient through D's logit:<br>"
            f"saturating {sat:.3g} · non-sat. {ns:.3g}{verdict}</span>")
