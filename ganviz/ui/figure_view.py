"""The live figure: a GraphicsLayoutWidget holding the registered figure for the run's kind of snapshot (the
paper's Figure 1 for a 1-D target). A snapshot of another kind swaps the figure; the view's options (D*,
samples, slow motion's player line, a fixed x range) carry over to it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Signal

from ganviz.draw import style as st
from ganviz.draw.figures import figure_for


class FigureView(pg.GraphicsLayoutWidget):
    mixture_edited = Signal(list, list)  # means, stds after a drag of a component's band (1-D figure)

    def __init__(self, style: st.Style | None = None, kind: str = "1d"):
        super().__init__()
        self.style = style or st.Style()
        self.options = {"d_star": True, "samples": True, "player": False}
        self.panel = None
        self._build(kind)

    def _build(self, kind: str) -> None:
        if self.panel is not None:
            if hasattr(self.panel, "detach"):
                self.panel.detach()  # items it keeps in the scene outside its layout
            self.removeItem(self.panel)
        self.kind = kind
        self.panel = figure_for(kind)(self.style)
        self.ci.setContentsMargins(0, 0, 0, 0)
        self.addItem(self.panel)
        if hasattr(self.panel, "mixture_edited"):
            self.panel.mixture_edited.connect(self.mixture_edited.emit)
        self._apply_options()
        self.apply_style()

    def _apply_options(self) -> None:
        p = self.panel
        if hasattr(p, "set_d_star_visible"):
            p.set_d_star_visible(self.options["d_star"])
        if hasattr(p, "set_samples_visible"):
            p.set_samples_visible(self.options["samples"])
        p.show_player = self.options["player"]

    def set_option(self, name: str, on: bool) -> None:
        self.options[name] = on
        self._apply_options()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)  # (pyqtgraph calls it with None while it builds the view)
        panel = getattr(self, "panel", None)
        if event is not None and hasattr(panel, "fit"):
            panel.fit(event.size().height())

    def apply_style(self) -> None:
        self.setBackground(self.style.theme.background)
        self.panel.apply_style()

    def set_kind(self, kind: str) -> None:
        """Swap to the figure registered for ``kind`` (a run's target moved between the line and the plane)."""
        if kind != self.kind:
            fixed = self.panel.x_policy.fixed if kind == "1d" else None
            self._build(kind)
            self.panel.reset_axes(fixed)

    def show_snapshot(self, snap) -> None:
        self.set_kind(snap.kind)
        self.panel.show_snapshot(snap)

    @property
    def last(self):
        return self.panel.last
