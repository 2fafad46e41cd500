"""Snapshots side by side on one set of axes — the four panels, or the frame on screen — written as PNG, SVG or
PDF. No torch: the export job draws what it is given."""

from __future__ import annotations

from ganviz.core.snapshot import Snapshot
from ganviz.draw.axes import fit_all
from ganviz.export.frames import PanelsRenderer
from ganviz.io.atomic import atomic_path, check_output

SUFFIXES = (".png", ".svg", ".pdf")
LETTERS = ("(a)", "(b)", "(c)", "(d)")


def write_panels(snaps: list[Snapshot], out: str, size: tuple[int, int] = (2400, 720),
                 x_range=None, dark: bool = False, letters: tuple[str, ...] = LETTERS, notes=(),
                 cancel=None) -> None:
    """Panels in one row on the same axes, written atomically as PNG, SVG or PDF and verified before they
    replace ``out`` (QPdfWriter reports nothing on a full disk: io/atomic.py checks the PDF's %%EOF)."""
    target = check_output(out, SUFFIXES)
    scale = size[1] / 720 * (0.9 if len(snaps) > 1 else 1.0)
    renderer = PanelsRenderer(*size, n=len(snaps), letters=letters, scale=scale, dark=dark, kind=snaps[0].kind)
    renderer.set_notes(notes)
    try:
        if snaps[0].kind == "1d":
            renderer.fix_axes(*fit_all(snaps, x_range))
        with atomic_path(target, cancel=cancel) as tmp:
            if target.suffix.lower() == ".png":
                from PIL import Image
                Image.fromarray(renderer.render(snaps)).save(tmp, format="PNG")
            else:
                renderer.save_vector(tmp, snaps)
    finally:
        renderer.close()
