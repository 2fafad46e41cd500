"""A sweep's grid as a PNG heatmap of outcomes, with axis labels and a legend (Pillow, no display needed)."""

from __future__ import annotations

from ganviz.config import format_value
from ganviz.core.diagnose import LABELS
from ganviz.draw.colors import OUTCOME_RGB


def render_png(result: dict, path: str, cell_px: int = 64) -> None:
    from PIL import Image, ImageDraw, ImageFont

    ax, ay = result["axes"]["x"], result["axes"]["y"]
    nx, ny = len(ax["values"]), len(ay["values"])
    cell = max(12, min(cell_px, 720 // max(nx, ny)))
    font = ImageFont.load_default(size=16)
    small = ImageFont.load_default(size=12)
    left, top, legend_w = 110, 50, 300
    w, h = left + nx * cell + 20 + legend_w, max(top + ny * cell + 90, top + 26 * len(OUTCOME_RGB) + 20)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    draw.text((left, 12), f"ganviz sweep: outcome after {result['steps']} steps", fill="black", font=font)
    for c in result["cells"]:
        x0, y0 = left + c["col"] * cell, top + (ny - 1 - c["row"]) * cell
        draw.rectangle([x0, y0, x0 + cell - 2, y0 + cell - 2], fill=OUTCOME_RGB.get(c["outcome"], (200, 200, 200)))
    xs = [format_value(ax["key"], v) for v in ax["values"]]
    widest = max(draw.textlength(t, font=small) for t in xs) + 10  # labels never run together
    step_x = max(1, -(-int(widest) // cell))
    for i in range(0, nx, step_x):
        tw = draw.textlength(xs[i], font=small)
        draw.text((left + i * cell + (cell - 2 - tw) / 2, top + ny * cell + 6), xs[i], fill="black", font=small)
    step_y = max(1, -(-20 // cell))
    for j in range(0, ny, step_y):
        text = format_value(ay["key"], ay["values"][j])
        tw = draw.textlength(text, font=small)  # right-aligned against the grid
        draw.text((left - 8 - tw, top + (ny - 1 - j) * cell + (cell - 14) / 2), text, fill="black", font=small)
    draw.text((left + nx * cell // 2 - 30, top + ny * cell + 30), f"x: {ax['key']}" + (" (log)" if ax["log"] else ""),
              fill="black", font=font)
    draw.text((8, top - 24), f"y: {ay['key']}" + (" (log)" if ay["log"] else ""), fill="black", font=font)
    lx = left + nx * cell + 20
    for k, (name, color) in enumerate(OUTCOME_RGB.items()):
        y0 = top + k * 26
        draw.rectangle([lx, y0, lx + 18, y0 + 18], fill=color)
        draw.text((lx + 26, y0), LABELS.get(name, name).split(" —")[0], fill="black", font=font)
    img.save(path, format="PNG")
