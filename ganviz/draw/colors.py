"""Outcome colours shared by the badge, the sweep window and the sweep PNG (no Qt needed)."""

from __future__ import annotations

BADGE_COLORS = {
    "ready": "#5a5a5a", "warming_up": "#6b6b6b", "equilibrium": "#2ca02c", "converging": "#1f77b4",
    "training": "#7f7f7f", "mode_collapse": "#d62728", "too_wide": "#0f9aa8", "oscillation": "#e07000",
    "vanishing_gradients": "#9467bd", "weak_discriminator": "#8c8c00", "broken_game": "#8c1c13",
    "exploding": "#d6389a", "diverged": "#000000",
}
OUTCOME_RGB = {k: tuple(int(v[i:i + 2], 16) for i in (1, 3, 5)) for k, v in BADGE_COLORS.items()
               if k not in ("ready", "warming_up")}
