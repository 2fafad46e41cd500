"""A lesson as a video: every scene re-trained headless as the window plays it (engine/lesson_run.py), drawn
with the app's own figure, the narration burned in as a caption band under the figure, the same captions as an
.srt file beside the MP4, and a chapter per scene in the MP4 (ffmpeg metadata).

Timing follows the words, not the training: each caption stays as long as a class needs to read it (READING
characters a second, at least MIN_CUE seconds), the scene's run is spread over its narration and question,
and its last frame holds while the answer shows. The MP4 and the SRT are staged in one Transaction: both
replace their targets, or neither does.
"""

from __future__ import annotations

import html
import math
import re
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ganviz.draw.axes import fit_all
from ganviz.engine.lesson_run import scenes_played
from ganviz.export.request import ExportDiverged
from ganviz.export.video import AnimationWriter
from ganviz.io.atomic import Transaction
from ganviz.lessons import Lesson, Scene

READING = 15.0  # characters a second a class reads
MIN_CUE = 2.5  # seconds a caption stays at least
MAX_CHARS = 150  # characters in one caption (two lines under the figure)
HOLD = 1.5  # seconds the last frame stays when the scene has no answer to show
SNAPSHOTS = 240  # snapshots taken per scene (its frames are picked from them)
BAND = 0.2  # the caption band's share of the frame's height


@dataclass
class Cue:
    start: float  # seconds from the start of the video
    end: float
    text: str
    scene: int  # the scene's index (1-based)


@dataclass
class ScenePlan:
    scene: Scene
    start: float  # seconds from the start of the video
    run: float  # seconds the run plays (under the narration and the question)
    end: float
    cues: list[Cue]


@dataclass
class Done:
    frames: int
    seconds: float


def plain(text: str) -> str:
    """Rich text as a caption reads it: E<sub>p_data</sub> → E_p_data, tags dropped, entities decoded."""
    text = re.sub(r"<sub>(.*?)</sub>", r"_\1", text)
    text = re.sub(r"<sup>(.*?)</sup>", r"^\1", text)
    text = re.sub(r"<br\s*/?>", " ", text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def captions(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Whole sentences grouped into captions of at most ``limit`` characters; a longer sentence is cut after a
    comma, colon or semicolon, and only then at a word boundary."""
    sentences = [s for s in re.split(r"(?<=[.!?:])\s+(?=[A-Z0-9“\"(])", plain(text)) if s]
    out: list[str] = []
    for sentence in sentences:
        clauses = [sentence] if len(sentence) <= limit else re.split(r"(?<=[,;:])\s+", sentence)
        pieces = [p for clause in clauses for p in (textwrap.wrap(clause, limit) or [clause])]
        for piece in pieces:
            if out and len(out[-1]) + 1 + len(piece) <= limit:
                out[-1] += " " + piece
            else:
                out.append(piece)
    return out


def _seconds(text: str) -> float:
    return max(MIN_CUE, len(text) / READING)


def plan(lesson: Lesson) -> list[ScenePlan]:
    """When each scene and each caption starts and ends (narration, question, then the answer on the held last
    frame)."""
    plans, t = [], 0.0
    for scene in lesson.scenes:
        cues, start = [], t
        for text in captions(scene.narration) + (captions("Question: " + scene.question) if scene.question else []):
            cues.append(Cue(t, t + _seconds(text), text, scene.index))
            t = cues[-1].end
        run = t - start
        for text in captions("Answer: " + scene.answer) if scene.answer else []:
            cues.append(Cue(t, t + _seconds(text), text, scene.index))
            t = cues[-1].end
        if not scene.answer:
            cues[-1].end = t = t + HOLD
        plans.append(ScenePlan(scene, start, run, t, cues))
    return plans


def srt_path(out: str) -> str:
    return str(Path(out).with_suffix(".srt"))


def _stamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def srt(plans: list[ScenePlan]) -> str:
    """SubRip: every caption with its start and end, lines of at most 60 characters."""
    cues = [c for p in plans for c in p.cues]
    return "".join(f"{i}\n{_stamp(c.start)} --> {_stamp(c.end)}\n{chr(10).join(textwrap.wrap(c.text, 60))}\n\n"
                   for i, c in enumerate(cues, start=1))


def _meta(text: str) -> str:
    """A value in an ffmpeg metadata file: '=', ';', '#', '\\' and newlines escaped."""
    return re.sub(r"([=;#\\\n])", r"\\\1", text)


def chapters(lesson: Lesson, plans: list[ScenePlan]) -> str:
    """The ffmpeg metadata file: the lesson's title and one chapter per scene (milliseconds)."""
    lines = [";FFMETADATA1", f"title={_meta(lesson.title)}"]
    for p in plans:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={int(round(p.start * 1000))}",
                  f"END={int(round(p.end * 1000))}", f"title={_meta(f'{p.scene.index}. {p.scene.title}')}"]
    return "\n".join(lines) + "\n"


class CaptionBand:
    """The band under the figure: the scene's number and title, then the caption, white on near-black."""

    def __init__(self, width: int, height: int, lesson: Lesson):
        self.size, self.lesson = (width, height), lesson
        self._cache: dict[tuple[int, str], np.ndarray] = {}

    def image(self, scene: Scene, text: str) -> np.ndarray:
        key = (scene.index, text)
        if key not in self._cache:
            self._cache = {key: self._draw(scene, text)}  # captions come in order: keep only the current one
        return self._cache[key]

    def _draw(self, scene: Scene, text: str) -> np.ndarray:
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtGui import QColor, QFont, QImage, QPainter

        from ganviz.export.frames import rgb_view

        w, h = self.size
        image = QImage(w, h, QImage.Format.Format_RGB888)
        image.fill(QColor("#141414"))
        painter = QPainter(image)
        pad, body = max(4, h // 12), max(8, int(h * 0.2))
        title_font, body_font = QFont(), QFont()
        title_font.setPixelSize(max(7, int(body * 0.7)))
        title_font.setBold(True)
        body_font.setPixelSize(body)
        painter.setPen(QColor("#ffd54f"))
        painter.setFont(title_font)
        top = int(body * 0.95)
        painter.drawText(QRect(pad, pad // 2, w - 2 * pad, top), Qt.AlignmentFlag.AlignLeft,
                         f"{scene.index}/{len(self.lesson.scenes)} · {scene.title}")
        painter.setPen(QColor("#ffffff"))
        painter.setFont(body_font)
        painter.drawText(QRect(pad, pad // 2 + top, w - 2 * pad, h - top - pad),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap), text)
        painter.end()
        return rgb_view(image).copy()


def export_lesson(lesson: Lesson, out: str, fps: int = 30, size: tuple[int, int] = (1280, 720),
                  seed: int | None = None, progress: Callable[[int, int, str], None] | None = None,
                  cancel=None) -> Done:
    """Write ``out`` (MP4) and its .srt: every scene re-trained and drawn at its captions' pace."""
    from ganviz.export.frames import PanelsRenderer

    plans = plan(lesson)
    total = int(round(plans[-1].end * fps))
    width, height = size
    band_h = max(24, int(height * BAND)) // 2 * 2
    band = CaptionBand(width, band_h, lesson)
    renderer = PanelsRenderer(width, height - band_h, caption=True)
    written = 0
    try:
        with tempfile.TemporaryDirectory() as folder, Transaction(cancel) as tx:
            meta = Path(folder) / "chapters.txt"
            meta.write_text(chapters(lesson, plans), encoding="utf-8")
            tx.write_text(srt_path(out), srt(plans))
            with AnimationWriter(out, fps, cancel, tx=tx, metadata=str(meta)) as writer:
                played = scenes_played(lesson, seed, frames=SNAPSHOTS, cancel=cancel)
                for p, (scene, check, snaps) in zip(plans, played):
                    if not math.isfinite(check.jsd):
                        raise ExportDiverged(f"scene {scene.index} ('{scene.title}') diverged: {check.note}")
                    renderer.fix_axes(*fit_all(snaps, scene.x_range))
                    for frame in _scene_frames(p, snaps, fps, renderer, band):
                        writer.add(frame)
                        written += 1
                        if progress:
                            progress(written, total, f"scene {scene.index}")
        return Done(written, written / fps)
    finally:
        renderer.close()


def _scene_frames(p: ScenePlan, snaps: list, fps: int, renderer, band: CaptionBand):
    """The scene's frames: the run spread over its narration and question, then its last frame held."""
    first, last = int(round(p.start * fps)), int(round(p.end * fps))
    run = max(1, int(round((p.start + p.run) * fps)) - first)
    shown, figure = None, None
    for i in range(first, last):
        k = min(len(snaps) - 1, round((i - first) * (len(snaps) - 1) / max(1, run - 1)))
        t = i / fps
        cue = next((c for c in p.cues if c.start <= t < c.end), p.cues[-1])
        if k != shown:
            figure, shown = renderer.render(snaps[k]).copy(), k
        yield np.concatenate([figure, band.image(p.scene, cue.text)], axis=0)
