"""The Dirac-GAN panel: the (θ, ψ) vector field of the game and the paths of simultaneous and alternating
gradient steps, driven by the run's lr_D, lr_G, k, G loss, momentum, R1 γ and instance noise σ. It shows why
the 1-D run circles around its equilibrium, and what damps it (see core/dirac.py)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer

from ganviz.config import TrainConfig
from ganviz.core import dirac
from ganviz.draw import style as st
from ganviz.draw.items import Caption, SegmentsItem
from ganviz.ui.panels import Panel, register

EXTENT = 2.2


@register
class DiracPanel(Panel):
    name, tab_label = "dirac", "Dirac-GAN"

    def __init__(self, style: st.Style | None = None):
        super().__init__(style)
        self.plot = st.fixed_plot(self)
        self.plot.setAspectLocked(True)
        self.plot.setXRange(-EXTENT, EXTENT, padding=0)
        self.plot.setYRange(-EXTENT, EXTENT, padding=0)
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.arrows = SegmentsItem(arrows=True)
        self.plot.addItem(self.arrows)
        self.paths = {key: self.plot.plot(name=name) for key, name in
                      (("simultaneous", "simultaneous steps"), ("alternating", "alternating (Algorithm 1)"),
                       ("damped", "alternating + R1 γ = 1"))}
        self.start = pg.ScatterPlotItem([dirac.START[0]], [dirac.START[1]], size=10, symbol="o")
        self.goal = pg.ScatterPlotItem([0], [0], size=14, symbol="star")
        self.plot.addItem(self.start)
        self.plot.addItem(self.goal)
        self.readout = Caption(justify="left")
        self.addItem(self.readout, row=1, col=0)
        self.settings: dirac.Settings | None = None
        self._pending: dirac.Settings | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # recompute once a burst of knob changes has settled
        self._timer.timeout.connect(self._recompute)
        self.apply_style()

    def apply_style(self) -> None:
        s, th = self.style, self.style.theme
        self.setBackground(th.background)
        st.style_panel_plot(self.plot, self.legend, s, "θ: where G puts its point mass", "ψ: D's slope, D(x) = σ(ψx)")
        colors = {"simultaneous": th.push, "alternating": th.d, "damped": th.p_g}
        for key, item in self.paths.items():
            item.setPen(s.pen(colors[key], 2.5 if key != "damped" else 2.0))
        self.start.setBrush(pg.mkBrush(th.foreground))
        self.goal.setBrush(pg.mkBrush(th.p_g))
        if self.settings is not None:
            self._draw(self.settings)

    def set_config(self, cfg: TrainConfig) -> None:
        settings = dirac.scaled(dirac.Settings.from_config(cfg))
        if settings != self.settings:
            self._pending = settings
            self._timer.start()

    def _recompute(self) -> None:
        if self._pending is not None:
            self.settings, self._pending = self._pending, None
            self._draw(self.settings)

    def _draw(self, s: dirac.Settings) -> None:
        th = self.style.theme
        grid = np.linspace(-EXTENT * 0.9, EXTENT * 0.9, 13)
        T, P = np.meshgrid(grid, grid)
        dt, dp = dirac.field(T.ravel(), P.ravel(), s)
        norm = np.hypot(dt, dp)
        scale = 0.14 / np.where(norm > 0, norm, 1.0)
        segs = np.column_stack([T.ravel(), P.ravel(), T.ravel() + dt * scale, P.ravel() + dp * scale])
        self.arrows.set_data(segs, [th.half], self.style.width(1.0))
        lines = []
        for key, settings in (("simultaneous", s), ("alternating", s),
                              ("damped", None if s.r1_gamma > 0 or s.instance_noise > 0 else
                               dirac.Settings(**{**s.__dict__, "r1_gamma": 1.0}))):
            if settings is None:
                self.paths[key].setData([], [])
                continue
            path = dirac.trajectory(settings, "simultaneous" if key == "simultaneous" else "alternating")
            shown = np.clip(path, -10 * EXTENT, 10 * EXTENT)
            self.paths[key].setData(shown[:, 0], shown[:, 1])
            lines.append(f"{self.paths[key].name()}: {_verdict(dirac.distance(path))}")
        extra = []
        if s.r1_gamma > 0:
            extra.append(f"R1 γ = {s.r1_gamma:g}")
        if s.instance_noise > 0:
            extra.append(f"instance noise σ = {s.instance_noise:g}")
        head = (f"steps η_D {s.lr_d:.3g}, η_G {s.lr_g:.3g} (the run's ratio)<br>k = {s.d_steps}, "
                f"{s.g_loss.replace('_', '-')}" + (f", momentum {s.momentum:g}" if s.momentum else "")
                + (", " + ", ".join(extra) if extra else ""))
        size = f"font-size:{self.style.css_size(10)}; color:{th.foreground}"
        self.readout.setText(f"<span style='{size}'>{head}<br>" + "<br>".join(lines) + "</span>")


def _verdict(ratio: float) -> str:
    """The end point's distance from equilibrium, relative to the start, as words a class can read."""
    if not np.isfinite(ratio) or ratio > 100:
        return "spirals out (diverges)"
    if ratio > 1.2:
        return f"spirals out (×{ratio:.1f} the start's distance)"
    if ratio > 0.8:
        return f"circles (×{ratio:.2f})"
    if ratio > 0.05:
        return f"spirals in (×{ratio:.2f})"
    return "converges to the equilibrium"
