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
import sys
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
    with AnimationWriter(path, fps, cancel) as writer:
        for frame in frames:
            writer.add(frame)
            if progress:
                progress(writer.n, total or 0)
    return writer.n


class AnimationWriter:
    """Frames in, one file out: MP4 through ffmpeg (in its own process, encoding while the next frame is
    drawn) or GIF through Pillow, into a temporary file that replaces the target only when complete, verified
    and not cancelled (io/atomic.py). A context manager: leaving it by an exception leaves no file.

    ``tx``: stage the file in this Transaction instead of replacing the target at once (a video and its
    subtitles replace their targets together or not at all); ``metadata``: an ffmpeg metadata file whose
    title and chapters the MP4 carries."""

    def __init__(self, path: str, fps: int, cancel=None, tx=None, metadata: str | None = None):
        self.target = check_video_target(path, fps)
        self.fps, self.cancel, self.n = fps, cancel, 0
        self.tx, self.metadata = tx, metadata
        self.mp4 = self.target.suffix.lower() == ".mp4"
        self._proc = None
        self._images: list = []
        self._palette = None

    def __enter__(self) -> "AnimationWriter":
        self._stack = contextlib.ExitStack()
        self._ffmpeg = find_ffmpeg(self.cancel) if self.mp4 else ""
        staged = self.tx.path(self.target) if self.tx is not None else atomic_path(self.target, cancel=self.cancel)
        self.tmp = self._stack.enter_context(staged)
        self._err = self._stack.enter_context(tempfile.TemporaryFile())
        self._stack.callback(self._kill)
        return self

    def add(self, frame: np.ndarray) -> None:
        if self.mp4:
            self._add_mp4(_even(frame))
        else:
            self._add_gif(frame)
        self.n += 1
        if self.cancel is not None:
            self.cancel.check()

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None:
            try:
                self._finish()
            except BaseException:
                if self._stack.__exit__(*sys.exc_info()):
                    return True
                raise
        return self._stack.__exit__(kind, exc, tb)

    # --- MP4 ------------------------------------------------------------------------------------
    def _add_mp4(self, frame: np.ndarray) -> None:
        if self._proc is None:
            h, w = frame.shape[:2]
            meta = (["-f", "ffmetadata", "-i", self.metadata, "-map", "0:v", "-map_metadata", "1",
                     "-map_chapters", "1"] if self.metadata else [])
            cmd = [self._ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
                   "-r", str(self.fps), "-i", "-", *meta, "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf",
                   "20", "-pix_fmt", "yuv420p", "-r", str(self.fps), "-movflags", "+faststart", "-f", "mp4", self.tmp]
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._err,
                                          start_new_session=True)
        try:
            self._proc.stdin.write(np.ascontiguousarray(frame).data)  # no copy of the 2.7 MB frame
        except (BrokenPipeError, OSError):
            self._finish()  # ffmpeg stopped: its exit status and message say why
            raise OutputError(f"cannot write '{self.target}': the video encoder stopped")

    def _kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._proc is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()  # a cancelled export leaves no open pipe behind

    # --- GIF ------------------------------------------------------------------------------------
    def _add_gif(self, frame: np.ndarray) -> None:
        from PIL import Image

        img = Image.fromarray(frame)
        if self._palette is None:  # one palette for the whole animation: no flicker between frames, and faster
            self._palette = img.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            self._images.append(self._palette)
        else:
            self._images.append(img.quantize(palette=self._palette, dither=Image.Dither.NONE))

    # --- the end --------------------------------------------------------------------------------
    def _finish(self) -> None:
        if self.n == 0 and not self._images:
            raise OutputError(f"cannot write '{self.target}': no frames to write")
        if not self.mp4:
            self._images[0].save(self.tmp, format="GIF", save_all=True, append_images=self._images[1:], loop=0,
                                 duration=gif_durations(len(self._images), self.fps), optimize=False, disposal=1)
            return
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        code = self._proc.wait()
        if code != 0:
            self._err.seek(0)
            lines = [ln for ln in self._err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            raise OutputError(f"cannot write '{self.target}': the video encoder failed "
                              f"({lines[-1] if lines else f'exit {code}'})")


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


def _even(frame: np.ndarray) -> np.ndarray:
    """yuv420p needs even width and height."""
    h, w = frame.shape[:2]
    return frame[: h - h % 2, : w - w % 2]
