"""SVG that every viewer draws the same: the figure painted onto QSvgGenerator, with the two things its SVG
Tiny output leaves to the viewer done here instead.

1. **Clipping.** SVG Tiny has no clip paths, so a curve drawn beyond its plot's axes would show beyond them.
   Before painting, every curve, segment and dot inside a plot is cut to that plot's visible rectangle
   (``clip_to_views``): what is drawn is exactly what the PNG shows.
2. **Pixel coordinates.** QSvgGenerator writes each curve in data units under a large ``transform`` and marks
   its stroke ``vector-effect="non-scaling-stroke"``; viewers without that property (librsvg, many editors)
   then draw a 2-px line a hundred pixels wide. ``flatten`` applies each such transform to the coordinates
   and drops the property, so line widths are plain pixels.
(pyqtgraph's own SVG exporter did both but fails on Qt 6.11's path syntax: "not enough values to unpack".)
"""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg

from ganviz.draw.items import SegmentsItem


def _clip_segment(x0, y0, x1, y1, xr, yr):
    """Liang–Barsky: the part of a segment inside the rectangle xr × yr, or None."""
    t0, t1 = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - xr[0]), (dx, xr[1] - x0), (-dy, y0 - yr[0]), (dy, yr[1] - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy


def clip_polyline(x: np.ndarray, y: np.ndarray, xr, yr) -> tuple[np.ndarray, np.ndarray]:
    """A polyline cut to the rectangle: pieces outside become gaps (NaN), crossings get exact end points."""
    xs, ys = [], []
    for i in range(len(x) - 1):
        if not (np.isfinite(x[i]) and np.isfinite(y[i]) and np.isfinite(x[i + 1]) and np.isfinite(y[i + 1])):
            xs.append(np.nan)
            ys.append(np.nan)
            continue
        seg = _clip_segment(x[i], y[i], x[i + 1], y[i + 1], xr, yr)
        if seg is None:
            xs.append(np.nan)
            ys.append(np.nan)
            continue
        if xs and (xs[-1] != seg[0] or ys[-1] != seg[1]):
            xs += [np.nan, seg[0]]
            ys += [np.nan, seg[1]]
        elif not xs:
            xs.append(seg[0])
            ys.append(seg[1])
        xs.append(seg[2])
        ys.append(seg[3])
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def clip_to_views(scene) -> None:
    """Cut every curve, segment set and scatter inside a ViewBox to what that ViewBox shows."""
    for item in list(scene.items()):
        view = item.getViewBox() if hasattr(item, "getViewBox") else None
        if not isinstance(view, pg.ViewBox):
            continue
        xr, yr = view.viewRange()
        if isinstance(item, pg.PlotDataItem):
            x, y = item.getData()
            if x is not None and len(x) > 1:
                cx, cy = clip_polyline(np.asarray(x, float), np.asarray(y, float), xr, yr)
                item.setData(cx, cy, connect="finite")
        elif isinstance(item, SegmentsItem):
            segs = [s for s in (_clip_segment(*row, xr, yr) for row in item._segs) if s is not None]
            pens = item._pens
            colors = [p.color() for p in pens] if len(pens) == len(item._segs) and len(pens) > 1 else \
                [pens[0].color()] if pens else []
            if len(colors) > 1:  # one colour per segment: keep the colours of the segments that remain
                colors = [c for c, row in zip(colors, item._segs) if _clip_segment(*row, xr, yr) is not None]
            item.set_data(np.array(segs).reshape(-1, 4), colors, pens[0].widthF() if pens else 1.0)
        elif isinstance(item, pg.ScatterPlotItem):
            x, y = item.getData()
            if x is not None and len(x):
                keep = (x >= xr[0]) & (x <= xr[1]) & (y >= yr[0]) & (y <= yr[1])
                item.setData(x[keep], y[keep])


_MATRIX = re.compile(r'transform="matrix\(([^)]*)\)"')
_PAIR = re.compile(r"(-?[0-9.]+(?:e[-+]?[0-9]+)?),(-?[0-9.]+(?:e[-+]?[0-9]+)?)")


def flatten(svg: str) -> str:
    """Apply each group's transform to the coordinates of the non-scaling strokes inside it (see above)."""
    out = []
    for block in re.split(r"(?=<g )", svg):
        if "non-scaling-stroke" not in block or "<text" in block:
            out.append(block.replace(' vector-effect="non-scaling-stroke"', ""))
            continue
        m = _MATRIX.search(block)
        if m is None:
            out.append(block.replace(' vector-effect="non-scaling-stroke"', ""))
            continue
        a, b, c, d, e, f = (float(v) for v in m.group(1).split(","))

        def point(match) -> str:
            x, y = float(match.group(1)), float(match.group(2))
            return f"{a * x + c * y + e:.2f},{b * x + d * y + f:.2f}"

        head, _, body = block.partition(">")
        head = _MATRIX.sub("", head)
        body = re.sub(r'(points|d)="([^"]*)"', lambda g: f'{g.group(1)}="{_PAIR.sub(point, g.group(2))}"', body)
        out.append(head + ">" + body.replace(' vector-effect="non-scaling-stroke"', ""))
    return "".join(out)
