"""Frames → MP4 (H.264, yuv420p, ffmpeg from imageio-ffmpeg's wheel) or GIF (Pillow), written atomically.

The file appears under its name only when complete and verified (io/atomic.py), and only if no cancel
arrived, even one that came while ffmpeg was finishing. ffmpeg's exit status is checked: a full disk or a
failed encoder is an error naming the reason, never a truncated video under the target's name. ffmpeg runs
in its own session, so Ctrl+C reaches only ganviz, which stops between frames (a cancel flag); imageio-ffmpeg's
search for ffmpeg runs ``ffmpeg -version`` with Ctrl+C and SIGTERM held back, so a signal then is a clean
interrupt, not "No ffmpeg exe could be found".
GIF frame delays are whole centiseconds; they alternate (e.g. 30, 40, 30 ms) so the average rate is exactly
the fps asked for.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ganviz.io.atomic import OutputError, atomic_path, check_output
from ganviz.io.limits import InputError
from ganviz.io.signals import Cancelled

SUFFIXES = (".mp4", ".gif")
MAX_GIF_FPS = 50  # browsers slow down GIF delays under 20 ms


def check_video_target(path: str, fps: int) -> Path:
    p = check_output(path, SUFFIXES)
    if not 1 <= fps <= 120:
        raise InputError(f"fps {fps} is out of range; allowed: 1 ≤ fps ≤ 120")
    if p.suffix.lower() == ".gif" and fps > MAX_GIF_FPS:
        raise InputError(f"a GIF plays at most {MAX_GIF_FPS} frames per second (browsers slow faster GIFs down); "
                         f"got fps {fps}")
    return p


def gif_durations(n: int, fps: int) -> list[int]:
    """Per-frame delays in ms, each a whole centisecond, whose running sum tracks i / fps exactly."""
    cs = [round(100 * i / fps) for i in range(n + 1)]
    return [10 * max(2, b - a) for a, b in zip(cs, cs[1:])]


def write_animation(frames: Iterable[np.ndarray], path: str, fps: int, total: int | None = None,
                    progress: Callable[[int, int], None] | None = None, cancel=None) -> int:
    """Write frames; ``cancel.check()`` between frames (raises Cancelled: no file left). Returns the count."""
    target = check_video_target(path, fps)
    ffmpeg = find_ffmpeg(cancel) if target.suffix.lower() == ".mp4" else ""
    with atomic_path(target, cancel=cancel) as tmp:
        if ffmpeg:
            return _write_mp4(frames, tmp, ffmpeg, str(target), fps, total, progress, cancel)
        return _write_gif(frames, tmp, fps, total, progress, cancel)


@contextlib.contextmanager
def _signals_held():
    """Block SIGINT and SIGTERM here and in every child started meanwhile (the mask is inherited): a Ctrl+C
    in the terminal would otherwise kill imageio-ffmpeg's ``ffmpeg -version`` check, which then reports
    that no ffmpeg exists. Held signals are delivered when the block ends (and set the cancel flag)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def find_ffmpeg(cancel=None) -> str:
    """The ffmpeg executable (imageio-ffmpeg's wheel); a signal during the search is a clean Cancelled."""
    import imageio_ffmpeg

    try:
        with _signals_held():
            exe = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        if cancel is not None and cancel.is_set():
            cancel.check()
        raise OutputError(f"cannot encode MP4: {exc}") from None
    except KeyboardInterrupt:
        raise Cancelled("interrupted", signal.SIGINT) from None
    if cancel is not None:
        cancel.check()
    return exe


def _write_mp4(frames, tmp: str, ffmpeg: str, name: str, fps: int, total, progress, cancel) -> int:
    n, proc, err = 0, None, tempfile.TemporaryFile()
    try:
        for frame in frames:
            frame = _even(frame)
            if proc is None:
                h, w = frame.shape[:2]
                cmd = [ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo",
                       "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps), "-i", "-", "-an", "-c:v", "libx264",
                       "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-r", str(fps),
                       "-movflags", "+faststart", "-f", "mp4", tmp]
                proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                                        start_new_session=True)
            try:
                proc.stdin.write(np.ascontiguousarray(frame).tobytes())
            except (BrokenPipeError, OSError):
                break  # ffmpeg stopped: its exit status and message say why
            n += 1
            if progress:
                progress(n, total or 0)
            if cancel is not None:
                cancel.check()
        if proc is None:
            raise OutputError(f"cannot write '{name}': no frames to write")
        try:
            proc.stdin.close()
        except OSError:
            pass
        code = proc.wait()
        if code != 0:
            err.seek(0)
            lines = [ln for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            raise OutputError(f"cannot write '{name}': the video encoder failed ({lines[-1] if lines else f'exit {code}'})")
        return n
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        err.close()


def _write_gif(frames, tmp: str, fps: int, total, progress, cancel) -> int:
    from PIL import Image

    images, palette = [], None
    for frame in frames:
        img = Image.fromarray(frame)
        if palette is None:  # one palette for the whole animation: no flicker between frames, and faster
            palette = img.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            images.append(palette)
        else:
            images.append(img.quantize(palette=palette, dither=Image.Dither.NONE))
        if progress:
            progress(len(images), total or 0)
        if cancel is not None:
            cancel.check()
    if not images:
        raise OutputError(f"cannot write '{tmp}': no frames to write")
    images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:], loop=0,
                   duration=gif_durations(len(images), fps), optimize=False, disposal=1)
    return len(images)


def _even(frame: np.ndarray) -> np.ndarray:
    """yuv420p needs even width and height."""
    h, w = frame.shape[:2]
    return frame[: h - h % 2, : w - w % 2]
