"""Render Snapshots to images offscreen with the very FigureView the app shows."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from ganviz.core.snapshot import Snapshot
from ganviz.ui import style as st
from ganviz.ui.figure_view import FigureView


def qimage_to_rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


class FrameRenderer:
    """An offscreen FigureView of a fixed size; ``render(snap)`` gives an (h, w, 3) uint8 frame."""

    def __init__(self, width: int = 1280, height: int = 720, x_range=None, caption: bool = True,
                 scale: float | None = None):
        self.view = FigureView(st.Style(scale=scale or max(1.0, height / 720)))
        self.view.resize(width, height)
        self.view.set_fixed_x(x_range)
        self.caption = caption
        self.view.caption.setVisible(caption)
        self.size = (width, height)

    def render(self, snap: Snapshot) -> np.ndarray:
        self.view.show_snapshot(snap)
        image = self.view.grab().toImage()
        frame = qimage_to_rgb(image)
        w, h = self.size
        if frame.shape[:2] != (h, w):  # a high-DPI screen renders at a device pixel ratio: resample
            from PIL import Image
            frame = np.asarray(Image.fromarray(frame).resize((w, h), Image.LANCZOS))
        return frame

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()
