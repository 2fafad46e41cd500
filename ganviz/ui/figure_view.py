"""The live figure: a GraphicsLayoutWidget holding one FigurePanel (the paper's Figure 1, live)."""

from __future__ import annotations

import pyqtgraph as pg

from ganviz.core.snapshot import Snapshot
from ganviz.draw import style as st
from ganviz.draw.figure_panel import FigurePanel


class FigureView(pg.GraphicsLayoutWidget):
    def __init__(self, style: st.Style | None = None):
        super().__init__()
        self.style = style or st.Style()
        self.panel = FigurePanel(self.style)
        self.addItem(self.panel)
        self.mixture_edited = self.panel.mixture_edited
        self.apply_style()

    def apply_style(self) -> None:
        self.setBackground(self.style.theme.background)
        self.panel.apply_style()

    def show_snapshot(self, snap: Snapshot) -> None:
        self.panel.show_snapshot(snap)

    @property
    def last(self) -> Snapshot | None:
        return self.panel.last
