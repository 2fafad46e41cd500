"""Colours, pens and fonts in one place; ``scale`` is the presenter scale, ``dark`` the theme.

The paper's look on white; a dark theme whose colours keep their meaning and stay readable on black
(D's blue is lightened, p_data turns white-dotted). Every size goes through ``scale``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsItem

from ganviz.draw.colors import BADGE_COLORS  # noqa: F401 (the widgets read it from here)


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    muted: str
    p_data: str
    p_g: str
    d: str
    d_star: str
    half: str
    real_dot: str
    fake_dot: str
    push: str
    band: tuple
    jsd: str
    c_g: str


LIGHT = Theme("light", "#ffffff", "#202020", "#555555", "#000000", "#2ca02c", "#1f5fbf", "#8cbbe8", "#9a9a9a",
              "#000000", "#2ca02c", "#d62728", (0, 0, 0, 22), "#d62728", "#9467bd")
DARK = Theme("dark", "#14161a", "#e8e8e8", "#b0b0b0", "#f2f2f2", "#4cd964", "#6fb1ff", "#a9cdf2", "#8a8a8a",
             "#f2f2f2", "#4cd964", "#ff6b5e", (255, 255, 255, 34), "#ff6b5e", "#c39bff")



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
        return self.pen(self.theme.p_g, 3.0)

    def d_pen(self):
        return self.pen(self.theme.d, 2.5, Qt.PenStyle.DashLine)

    def d_star_pen(self):
        return self.pen(self.theme.d_star, 1.5)

    def half_pen(self):
        return self.pen(self.theme.half, 1.0, Qt.PenStyle.DashDotLine)

    def font(self, points: float = 11, bold: bool = False) -> QFont:
        f = QFont()
        f.setPointSizeF(points * self.scale)
        f.setBold(bold)
        return f

    def css_size(self, points: float = 11) -> str:
        return f"{points * self.scale:.0f}pt"


def z_colors(n: int, dark: bool = False) -> list[QColor]:
    """Colours for the z → x segments, by z: folds and crossings show as colours out of order (on a dark
    background the ramp starts lighter: viridis' dark purple would vanish)."""
    cmap, start = pg.colormap.get("viridis"), (0.3 if dark else 0.05)
    return [cmap.map(start + (0.9 - start) * i / max(n - 1, 1), mode="qcolor") for i in range(n)]


def style_plot(plot: pg.PlotItem, style: Style) -> None:
    """Tick fonts and label colours of a PlotItem for the current scale and theme."""
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setStyle(tickFont=style.font(10), tickTextOffset=int(4 * style.scale))
        axis.setPen(pg.mkPen(style.theme.foreground))
        axis.setTextPen(pg.mkPen(style.theme.foreground))
        no_si_prefix(axis)
        # an axis is redrawn from a cached pixmap unless its range changed: its text is a frame's main cost
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def no_si_prefix(axis: pg.AxisItem) -> None:
    """Tick labels in data units, always ("×0.001" or a density read as 600 reads badly from the back of a room).
    pyqtgraph's enableAutoSIPrefix(False) still computes a scale for the current range (0…1 → milli) and keeps
    it: a density axis restyled while it showed 0…0.6 then read 0…600. So the scale is reset here too."""
    axis.enableAutoSIPrefix(False)
    axis.autoSIPrefixScale = 1.0
    axis.labelUnitPrefix = ""
    axis.picture = None  # redraw the ticks with the plain scale
    axis._updateLabel()


def fixed_plot(layout: pg.GraphicsLayoutWidget) -> pg.PlotItem:
    """A mechanism panel's plot: its axes are the explanation, so no mouse zoom, context menu or auto button."""
    plot = layout.addPlot(row=0, col=0)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)
    return plot


def style_panel_plot(plot: pg.PlotItem, legend: pg.LegendItem, style: Style, bottom: str, left: str) -> None:
    """A mechanism panel's plot: styled axes, the two axis titles and the legend's text for scale and theme."""
    style_plot(plot, style)
    for side, text in (("bottom", bottom), ("left", left)):
        plot.setLabel(side, text, color=style.theme.foreground, **{"font-size": style.css_size(11)})
    legend.setLabelTextColor(style.theme.foreground)
    legend.setLabelTextSize(style.css_size(10))


DARK_INDICATORS = """
QRadioButton::indicator, QCheckBox::indicator { width: 13px; height: 13px; border: 1px solid #b0b0b0;
                                                background: #14161a; }
QRadioButton::indicator { border-radius: 7px; }
QRadioButton::indicator:checked { background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
                                  stop:0 #6fb1ff, stop:0.55 #6fb1ff, stop:0.65 #14161a, stop:1 #14161a); }
QCheckBox::indicator:checked { background: #6fb1ff; }
QRadioButton::indicator:disabled, QCheckBox::indicator:disabled { border-color: #606060; }
"""


def apply_app_theme(app: QApplication, style: Style) -> None:
    """The whole application's palette (menus, controls, dialogs), not only the plots."""
    app.setStyle("Fusion")
    if not style.dark:
        app.setPalette(app.style().standardPalette())
        app.setStyleSheet("")
        return
    # Fusion outlines radio buttons and check boxes a shade darker than the window: on a dark window, black
    app.setStyleSheet(DARK_INDICATORS)
    p = QPalette()
    bg, base, text = QColor("#1e2026"), QColor("#14161a"), QColor("#e8e8e8")
    for role, color in ((QPalette.ColorRole.Window, bg), (QPalette.ColorRole.WindowText, text),
                        (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, bg),
                        (QPalette.ColorRole.ToolTipBase, QColor("#2a2d35")), (QPalette.ColorRole.ToolTipText, text),
                        (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, QColor("#2a2d35")),
                        (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.Highlight, QColor("#3d6e99")),
                        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
                        (QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))):
        p.setColor(role, color)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#707070"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#707070"))
    app.setPalette(p)


_QUIET = ("propagateSizeHints", "does not support raise")  # the offscreen plugin's notice that it ignores a window hint: harmless


def quiet_qt_messages() -> None:
    """Keep Qt's harmless plugin notices off stderr (a CLI prints one line or nothing); others pass through."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind, context, message: str) -> None:
        if any(q in message for q in _QUIET):
            return
        import sys
        prefix = {QtMsgType.QtWarningMsg: "Qt warning", QtMsgType.QtCriticalMsg: "Qt critical",
                  QtMsgType.QtFatalMsg: "Qt fatal"}.get(kind)
        if prefix:
            print(f"{prefix}: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)
