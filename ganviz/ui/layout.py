"""The layout policy: where everything goes and how large it is drawn, from one plan.

A plan is computed from the window's size, the mode (normal or presenter) and the user's scale factor
(Ctrl+= / Ctrl+-), never edited piecemeal: entering and leaving presenter mode, a theme change or a new screen
size all apply the plan for the new state, so nothing of an earlier state sticks. Its rules:

- the figure keeps the largest share of the window: the side column (the panels, and on narrow screens the
  controls as one more tab) takes a bounded share of the width; below 1700 px the controls stop being a
  column of their own;
- inside the figure the density plot keeps most of the height: the z → x strip takes at most ~22 % of it and
  disappears first when there is no room (draw/figures/figure_1d.py ``FigurePanel.fit``);
- presenter mode scales with the screen — 2× on 1920 × 1080, less on a 1366 × 768 projector, so its larger
  type still leaves the figure its share — hides the controls and moves the explanation into the side column.

Pure arithmetic, no Qt: tested without a window (tests/ui/test_layout.py).
"""

from __future__ import annotations

from dataclasses import dataclass

WIDE = 1700  # px: from this width the controls have a column of their own beside the panels
PREFERRED = (1600, 960)  # the window's size where the screen has room for it
CONTROLS_WIDTH = 380  # px of the controls' own column (wide screens)


@dataclass(frozen=True)
class Plan:
    scale: float  # type and line scale of the figure, the panels and the widgets
    controls: str  # "column" (a dock of their own), "tab" (beside the panels) or "hidden" (presenter mode)
    side: int  # px of the side column with the panels
    explain: str  # "below" the figure (at most explain_h px tall) or in a side "tab"
    explain_h: int


def presenter_scale(width: int, height: int) -> float:
    """2× on a 1920 × 1080 screen, in proportion on smaller ones (1.42× at 1366 × 768), never below 1.2×."""
    return max(1.2, min(2.5, 2.0 * min(width / 1920, height / 1080)))


def max_scale(height: int) -> float:
    """The largest type the window's height can carry with the plot keeping its share: 2.5× at 1080 px."""
    return max(1.0, 2.5 * height / 1080)


def plan(width: int, height: int, presenter: bool, user: float = 1.0) -> Plan:
    """The layout for a window of ``width`` × ``height`` px (the user's factor, Ctrl+= / Ctrl+-, within what the
    height allows: larger type must not squeeze the figure)."""
    if presenter:
        scale = max(0.6, min(max_scale(height), presenter_scale(width, height) * user))
        return Plan(scale, "hidden", int(0.3 * width), "tab", 0)
    scale = max(0.6, min(max_scale(height), user))
    controls = "column" if width >= WIDE else "tab"
    central = width - (CONTROLS_WIDTH if controls == "column" else 0)
    side = int(min(max(0.34 * central, 330), 560))
    return Plan(scale, controls, side, "below", int(min(max(0.12 * height, 60), 120)))


def opens_maximized(available_w: int, available_h: int) -> bool:
    """The preferred size does not fit: the window opens maximized, so the window manager fits its title bar
    and frame on the screen too (a window sized to the available area alone overhangs by its title bar)."""
    return PREFERRED[0] >= available_w or PREFERRED[1] >= available_h


def window_size(available_w: int, available_h: int) -> tuple[int, int]:
    """The size the window opens at: the preferred size, never larger than the screen's available area."""
    return min(PREFERRED[0], available_w), min(PREFERRED[1], available_h)
