"""The panels beside the figure (the tabs): a ``Panel`` protocol and the list the window builds its tabs from.

A panel is a widget that reads what the run reports — a new run's Recording, new records, the frame on
screen, the config in use — and restyles itself for the presenter scale and the theme. The window calls these
for every registered panel (a frame only for the panel on screen); nothing else in the window names a panel.
Adding a panel: a module here with a ``Panel`` subclass decorated ``@register``, and its import below.
"""

from __future__ import annotations

import pyqtgraph as pg

from ganviz.draw import style as st


class Panel(pg.GraphicsLayoutWidget):
    """Base of every panel: the hooks the window calls, each doing nothing unless overridden."""

    name = ""  # the attribute-like key (window.panels[name])
    tab_label = ""

    def __init__(self, style: st.Style | None = None):
        super().__init__()
        self.style = style or st.Style()

    def set_recording(self, recording) -> None:
        """A new run starts (its Recording, empty)."""

    def records_changed(self, force: bool = False) -> None:
        """Records were added (``force``: draw now, the run is not playing)."""

    def show_snapshot(self, snap) -> None:
        """The frame on screen (called while this panel's tab is the one shown)."""

    def set_config(self, cfg) -> None:
        """The config the run uses now."""

    def blank(self) -> None:
        """Nothing to show (a new run starts)."""

    def apply_style(self) -> None:
        """Restyle for ``self.style`` (scale, theme)."""


PANELS: list[type[Panel]] = []


def register(cls: type[Panel]) -> type[Panel]:
    """Add a panel class to the tabs (in import order)."""
    if cls not in PANELS:
        PANELS.append(cls)
    return cls


from ganviz.ui.panels import metrics, distances, loss, dirac  # noqa: E402,F401  (each registers its panel)
