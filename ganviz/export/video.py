"""Frames → MP4 (H.264, yuv420p, via imageio-ffmpeg) or GIF (Pillow, palette, looping), written atomically.

The file appears under its name only when complete: frames go to a temporary file in the same folder,
which is renamed at the end and removed on cancel or error.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ganviz.paths import output_problem

SUFFIXES = (".mp4", ".gif")


class ExportCancelled(Exception):
    pass


class ExportError(Exception):
    """A clear reason the file could not be written (no space, no permission, unknown extension)."""


def check_target(path: str | Path) -> Path:
    problem = output_problem(path, SUFFIXES)
    if problem:
        raise ExportError(problem)
    return Path(path)


def write_animation(frames: Iterable[np.ndarray], path: str | Path, fps: int = 30, total: int | None = None,
                    progress: Callable[[int, int], bool | None] | None = None) -> int:
    """Write frames; ``progress(done, total)`` returning False cancels (ExportCancelled, no file left).
    Returns the number of frames written."""
    path = check_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent or ".")
    os.close(fd)
    n = 0
    try:
        if path.suffix.lower() == ".mp4":
            n = _write_mp4(frames, tmp, fps, total, progress)
        else:
            n = _write_gif(frames, tmp, fps, total, progress)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the finished file gets normal permissions
        os.replace(tmp, path)
        return n
    except OSError as exc:
        raise ExportError(f"cannot write '{path}': {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _tick(progress, n, total) -> None:
    if progress is not None and progress(n, total or 0) is False:
        raise ExportCancelled("export cancelled")


def _write_mp4(frames, tmp, fps, total, progress) -> int:
    import imageio.v2 as imageio

    writer = imageio.get_writer(tmp, format="FFMPEG", mode="I", fps=fps, codec="libx264", quality=7,
                                pixelformat="yuv420p", macro_block_size=2,
                                ffmpeg_log_level="error", output_params=["-movflags", "+faststart"])
    n = 0
    try:
        for frame in frames:
            writer.append_data(_even(frame))
            n += 1
            _tick(progress, n, total)
    finally:
        writer.close()
    return n


def _write_gif(frames, tmp, fps, total, progress) -> int:
    from PIL import Image

    images = []
    for frame in frames:
        images.append(Image.fromarray(frame).quantize(colors=128, method=Image.Quantize.MEDIANCUT))
        _tick(progress, len(images), total)
    if not images:
        raise ExportError("nothing to export: no frames")
    images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:], loop=0,
                   duration=max(20, round(1000 / fps)), optimize=False)
    return len(images)


def _even(frame: np.ndarray) -> np.ndarray:
    """yuv420p needs even width and height."""
    h, w = frame.shape[:2]
    return frame[: h - h % 2, : w - w % 2]
