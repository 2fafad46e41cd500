"""The lecture-hall contact sheet (`make screenshots`): the real window on the screens a lecture hall has —
1024×768, 1280×720, 1366×768 and 1920×1080 — in the normal mode, presenter mode and presenter mode with the dark
theme, twelve shots on one page: docs/img/screens.png for the paper's figure (the nash preset) and
docs/img/screens_2d.png for the plane (ring_hopping).

Each resolution runs in its own process on an offscreen screen of that size (Qt's offscreen platform with a
screen configuration), so the window opens as it would there: sized to the screen's available area.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
IMG = HERE / "img"
SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]
MODES = ["normal", "presenter", "presenter + dark"]
SHEETS = [("screens.png", "nash", 600), ("screens_2d.png", "ring_hopping", 1500)]  # (page, preset, steps)


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(condition, seconds: float = 120) -> None:
    end = time.time() + seconds
    while not condition() and time.time() < end:
        wait(50)


def shoot(width: int, height: int, out: Path, preset: str, steps: int) -> None:
    """In this process (its screen is width × height): the three modes, one PNG each."""
    from PySide6.QtWidgets import QApplication

    from ganviz.draw.style import Style, apply_app_theme
    from ganviz.presets import load_preset
    from ganviz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    apply_app_theme(app, Style())
    w = MainWindow(None, load_preset(preset))
    w.showMaximized()
    until(lambda: w.session.status is not None)
    w.session.run_until(steps)
    until(lambda: w.session.step >= steps and not w.session.playing)
    wait(400)
    for mode in MODES:
        w.presenter_action.setChecked("presenter" in mode)
        w.dark_action.setChecked("dark" in mode)
        wait(500)
        w.grab().save(str(out / f"{width}x{height} {mode}.png"))
    w.close()


def sheet(out: Path, target: Path) -> None:
    """The twelve shots in a grid: a row per screen, a column per mode, labelled."""
    from PIL import Image, ImageDraw, ImageFont

    cell_w, cell_h, label = 640, 400, 28
    img = Image.new("RGB", (cell_w * len(MODES), (cell_h + label) * len(SIZES)), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=20)
    for r, (w, h) in enumerate(SIZES):
        for c, mode in enumerate(MODES):
            with Image.open(out / f"{w}x{h} {mode}.png") as shot:
                shot.thumbnail((cell_w - 8, cell_h - 8))
                x, y = c * cell_w + 4, r * (cell_h + label) + label
                img.paste(shot, (x, y))
                draw.rectangle([x - 1, y - 1, x + shot.width, y + shot.height], outline="#888888")
            draw.text((c * cell_w + 6, r * (cell_h + label) + 3), f"{w} x {h}, {mode}", fill="black", font=font)
    img.save(target)


def main() -> None:
    IMG.mkdir(exist_ok=True)
    for page, preset, steps in SHEETS:
        make_sheet(page, preset, steps)


def make_sheet(page: str, preset: str, steps: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        for width, height in SIZES:
            config = out / f"screen-{width}x{height}.json"
            config.write_text(json.dumps({"screens": [{"name": f"{width}x{height}", "x": 0, "y": 0, "width": width,
                                                       "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                                       "dpr": 1}]}))
            env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
            subprocess.run([sys.executable, __file__, "shoot", str(width), str(height), str(out), preset, str(steps)],
                           env=env, check=True)
            print(f"{width}×{height} done", file=sys.stderr)
        keep = Path(os.environ.get("GANVIZ_SHOTS", "")) if os.environ.get("GANVIZ_SHOTS") else None
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for p in out.glob("*.png"):
                (keep / f"{preset} {p.name}").write_bytes(p.read_bytes())
        sheet(out, IMG / page)
    print(f"wrote {IMG / page}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "shoot":
        shoot(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
    else:
        main()
