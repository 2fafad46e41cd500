"""Colours, pens and fonts in one place; ``scale`` is the presenter scale (Ctrl+= / Ctrl+-)."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem

P_DATA = "#000000"
P_G = "#2ca02c"
D_COLOR = "#1f5fbf"
D_STAR = "#8cbbe8"
HALF = "#9a9a9a"
LOSS_D = "#1f5fbf"
LOSS_G = "#2ca02c"
JSD = "#d62728"
C_G = "#9467bd"

BADGE_COLORS = {
    "equilibrium": "#2ca02c", "converging": "#1f77b4", "training": "#7f7f7f", "mode_collapse": "#d62728",
    "oscillation": "#ff7f0e", "vanishing_gradients": "#9467bd", "diverged": "#000000",
}


@dataclass
class Theme:
    background: str
    foreground: str
    p_data: str


LIGHT = Theme("w", "#202020", P_DATA)
DARK = Theme("#14161a", "#e8e8e8", "#f0f0f0")


@dataclass
class Style:
    scale: float = 1.0
    dark: bool = False

    @property
    def theme(self) -> Theme:
        return DARK if self.dark else LIGHT

    def width(self, w: float) -> float:
        return w * self.scale

    def pen(self, color: str, width: float, style=Qt.PenStyle.SolidLine):
        return pg.mkPen(color=color, width=self.width(width), style=style)

    def p_data_pen(self):
        return self.pen(self.theme.p_data, 2.5, Qt.PenStyle.DotLine)

    def p_g_pen(self):
        return self.pen(P_G, 3.0)

    def d_pen(self):
        return self.pen(D_COLOR, 2.5, Qt.PenStyle.DashLine)

    def d_star_pen(self):
        return self.pen(D_STAR, 1.5)

    def half_pen(self):
        return self.pen(HALF, 1.0, Qt.PenStyle.DashDotLine)

    def font(self, points: float = 11, bold: bool = False) -> QFont:
        f = QFont()
        f.setPointSizeF(points * self.scale)
        f.setBold(bold)
        return f

    def css_size(self, points: float = 11) -> str:
        return f"{points * self.scale:.0f}pt"


def z_colors(n: int) -> list[QColor]:
    """Colours for the z → x segments, by z: folds and crossings show as colours out of order."""
    cmap = pg.colormap.get("viridis")
    return [cmap.map(0.05 + 0.85 * i / max(n - 1, 1), mode="qcolor") for i in range(n)]


def style_plot(plot: pg.PlotItem, style: Style) -> None:
    """Tick fonts and label colours of a PlotItem for the current scale and theme."""
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setStyle(tickFont=style.font(10))
        axis.setPen(pg.mkPen(style.theme.foreground))
        axis.setTextPen(pg.mkPen(style.theme.foreground))
        axis.enableAutoSIPrefix(False)  # "×0.001" on an axis reads badly from the back of a room
        # an axis is redrawn from a cached pixmap unless its range changed: its text is a frame's main cost
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
