"""What a lesson shows besides the figure: the narration pane's text, the speaker notes window (on a second
screen when there is one) and the brief highlight of the controls a scene turned."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ganviz.config import ConfigError, TrainConfig, format_value

HIGHLIGHT = "#ffd54f"  # the colour of what just moved (readable on both themes)
HIGHLIGHT_MS = 2000
QUIET_KEYS = {"steps", "record_every", "grid_points", "device"}  # how long / how often: nothing the class sees move


def esc(text: str) -> str:
    """User text inside rich text: &, < and > escaped, quotes kept (a title reads "D's inner loop")."""
    return escape(text, quote=False)


def knob_label(key: str) -> str:
    return TrainConfig.spec(key)["label"]


def turned_text(turned: dict) -> str:
    """"lr G 0.03 → 1e-06, k (D steps) 1 → 20": what a scene turned, old and new values."""
    return ", ".join(f"{knob_label(k)} {format_value(k, old)} → {format_value(k, new)}"
                     for k, (old, new) in turned.items())


def visible_changes(before: TrainConfig, after: TrainConfig) -> dict:
    """{knob: (old, new)} for the knobs that differ, leaving out the run's length and record marks."""
    old = before.to_dict()
    return {k: (old[k], v) for k, v in before.changed(after).items() if k not in QUIET_KEYS}


def pane_html(player, style) -> str:
    """The lesson pane beside the figure: where we are, the scene's title and narration, what it turned, the
    question (and the answer once revealed), and what happens next."""
    th, scene, lesson = style.theme, player.scene, player.lesson
    parts = [f"<div style='color:{th.muted}'>{esc(lesson.title)} · scene {scene.index}/{len(lesson.scenes)}</div>",
             f"<div style='font-size:{style.css_size(16)}'><b>{esc(scene.title)}</b></div>",
             f"<p>{scene.narration}</p>"]
    back = f"background:{HIGHLIGHT}; color:#000;" if player.highlighting else f"color:{th.muted};"
    if player.turned:
        parts.append(f"<p style='{back}'>&nbsp;Turned: {esc(turned_text(player.turned))}&nbsp;</p>")
    elif not scene.continues:
        parts.append(f"<p style='color:{th.muted}'>A new run: {esc(_origin(scene))}</p>")
    if scene.question:
        parts.append(f"<p><b>Question:</b> {scene.question}</p>")
    if player.stage == "answer":
        parts.append(f"<p><b>Answer:</b> {scene.answer}</p>")
    parts.append(f"<p style='color:{th.muted}'>{esc(player.status_line())}</p>")
    return f"<div style='font-size:{style.css_size(13)}; color:{th.foreground}'>{''.join(parts)}</div>"


def _origin(scene) -> str:
    if not scene.preset:
        return "the scene's own config"
    from ganviz.presets import load_preset
    try:
        return f"the preset “{load_preset(scene.preset).title}”"
    except ConfigError:  # a label only: the loader names the problem elsewhere
        return scene.preset


def notes_html(player, style) -> str:
    """The speaker's view: the notes, the question with its answer, the stop, the live badge, what comes next."""
    th, scene, lesson = style.theme, player.scene, player.lesson
    nxt = lesson.scenes[scene.index] if scene.index < len(lesson.scenes) else None
    rows = [f"<h2>{scene.index}/{len(lesson.scenes)} · {esc(scene.title)}</h2>",
            f"<p>{scene.notes or scene.narration}</p>"]
    if scene.question:
        rows.append(f"<p><b>Q:</b> {scene.question}<br><b>A:</b> {scene.answer}</p>")
    rows.append(f"<p><b>Stops when</b> {esc(scene.stop.describe())} (at most {scene.within} iterations)"
                + (f"; <b>promises</b> {esc(scene.promise.describe())}" if scene.promise else "") + "</p>")
    rows.append(f"<p><b>Now:</b> {esc(player.status_line())}</p>")
    rows.append(f"<p style='color:{th.muted}'>Next: {esc(nxt.title) if nxt else 'the end'} · "
                "PageDown / → next · PageUp / ← back · Home replay</p>")
    return f"<div style='font-size:{style.css_size(14)}; color:{th.foreground}'>{''.join(rows)}</div>"


class SpeakerNotes(QWidget):
    """The lecturer's window: on a second screen when there is one (shown at once), else hidden until
    Lessons ▸ Speaker notes asks for it. The clicker's keys work here too."""

    def __init__(self, player, window):
        super().__init__(window, Qt.WindowType.Window)
        self.player, self.window_ = player, window
        self.setWindowTitle("ganviz — speaker notes")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setMargin(16)
        scroll = QScrollArea()
        scroll.setWidget(self.label)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        QVBoxLayout(self).addWidget(scroll)

    def other_screen(self):
        """A screen that is not the main window's (the lecturer's laptop beside the projector), or None."""
        main = self.window_.screen()
        return next((s for s in QApplication.screens() if s is not main), None)

    def place(self) -> bool:
        """Fill the other screen if there is one; True when shown."""
        screen = self.other_screen()
        if screen is None:
            return False
        self.setScreen(screen)  # an X screen of its own needs this; a virtual desktop needs the geometry
        self.setGeometry(screen.availableGeometry())
        self.show()
        return True

    def refresh(self) -> None:
        if self.isVisible() and self.player.scene is not None:
            self.label.setText(notes_html(self.player, self.window_.style))


class Highlighter:
    """Marks the rows of the controls whose knobs a scene turned, for HIGHLIGHT_MS, then restores them."""

    def __init__(self, controls):
        self.controls = controls
        self.marked: list[tuple[QWidget, str]] = []
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear)

    def mark(self, keys) -> list[QWidget]:
        self.clear()
        for key in keys:
            for widget in self._widgets(key):
                self.marked.append((widget, widget.styleSheet()))
                widget.setStyleSheet(f"background:{HIGHLIGHT}; color:#000; border-radius:3px")
        if self.marked:
            self.timer.start(HIGHLIGHT_MS)
        return [w for w, _ in self.marked]

    def _widgets(self, key: str) -> list[QWidget]:
        if key in self.controls.rows:
            return [self.controls.rows[key][0]]  # the label: the editor keeps its own look
        return [editor for editor, keys in self.controls.composites.values() if key in keys]

    def clear(self) -> None:
        for widget, sheet in self.marked:
            widget.setStyleSheet(sheet)
        self.marked = []
