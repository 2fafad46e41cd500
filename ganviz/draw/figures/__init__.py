"""The registered figures: one per kind of Snapshot (``Snapshot.kind``), so a run is drawn by the figure its
target asks for. ``figure_1d`` is the paper's Figure 1; a figure for another kind of target is one more module
here with a class decorated ``@register`` (its ``kind`` names the snapshots it draws) and its import below.

A figure is a pyqtgraph GraphicsLayout with ``show_snapshot``, ``blank``, ``apply_style``, ``reset_axes`` and
the ``last`` snapshot it showed: the live view (ui/figure_view.py) and the offscreen renderer of exports
(export/frames.py) build it from ``figure_for(kind)``.
"""

from __future__ import annotations

FIGURES: dict[str, type] = {}


def register(cls: type) -> type:
    FIGURES[cls.kind] = cls
    return cls


def figure_for(kind: str) -> type:
    return FIGURES[kind]


from ganviz.draw.figures import figure_1d  # noqa: E402,F401  (registers the paper's Figure 1)
from ganviz.draw.figures import figure_2d  # noqa: E402,F401  (registers the plane: GAN Lab's view)
