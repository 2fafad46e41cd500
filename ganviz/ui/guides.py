"""The Lessons menu and what it opens: a lesson played by the clicker's keys (ui/lesson_player.py) or a
challenge for a learner (ui/challenge.py). The window holds at most one of them (``window.guide``); its text
takes the place of the preset's explanation beside the figure."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication

from ganviz.config import ConfigError
from ganviz.lessons import Challenge, Lesson, list_challenges, list_lessons, load_lesson


def _safe(loader) -> list:
    try:
        return loader()
    except ConfigError:
        return []  # a broken file must not keep the window from opening (`ganviz lesson` names the problem)


def build_menu(w) -> None:
    """Lessons ▸ Open ▸ (each lesson), the clicker's moves, speaker notes, close; Challenges…, Show hint."""
    m = w.menuBar().addMenu("Le&ssons")
    opener = m.addMenu("&Open")
    for lesson in _safe(list_lessons):
        opener.addAction(lesson.title).triggered.connect(lambda _=False, name=lesson.name: open_lesson(w, name))
    m.addSeparator()
    for text, slot in (("&Next (reveal, next scene)\tPageDown / →", "next"), ("&Back (previous scene)\tPageUp / ←",
                       "back"), ("&Replay scene\tHome", "replay")):
        m.addAction(text).triggered.connect(lambda _=False, s=slot: _on_player(w, s))
    w.notes_action = QAction("Speaker &notes", w, checkable=True)
    w.notes_action.toggled.connect(lambda on: _show_notes(w, on))
    m.addAction(w.notes_action)
    m.addAction("&Close lesson or challenge").triggered.connect(lambda _=False: close_guide(w))
    m.addSeparator()
    m.addAction("&Challenges…").triggered.connect(lambda _=False: choose_challenge(w))
    m.addAction("Show &hint").triggered.connect(lambda _=False: _on_challenge(w, "show_hint"))


def open_lesson(w, lesson: Lesson | str, scene: int = 1) -> None:
    """Play ``lesson`` (or the shipped lesson of that name) from scene ``scene`` (1-based), in presenter mode;
    the speaker notes go to a second screen when there is one."""
    from ganviz.ui.lesson_player import LessonPlayer

    if isinstance(lesson, str):
        try:
            lesson = load_lesson(lesson)
        except ConfigError as exc:
            w.show_error(str(exc))
            return
    close_guide(w)
    player = LessonPlayer(w, lesson)
    w.guide = player
    w.set_presenter(True)
    w.notes_action.setChecked(player.notes.place())
    player.enter(max(0, min(scene, len(lesson.scenes)) - 1))


def open_challenge(w, challenge: Challenge) -> None:
    """Start ``challenge``: its config as a new run, the controls in view (presenter mode off), its task beside
    the figure."""
    from ganviz.ui.challenge import ChallengeTracker

    close_guide(w)
    if w.presenting:
        w.set_presenter(False)
    tracker = ChallengeTracker(w, challenge)
    w.guide = tracker
    tracker.start()


def choose_challenge(w) -> None:
    from ganviz.ui.challenge import ChallengeChooser

    challenges = _safe(list_challenges)
    if not challenges:
        w.show_error("no challenges could be read (run `ganviz lesson` to see why)")
        return
    dialog = ChallengeChooser(challenges, w)
    dialog.accepted.connect(lambda: open_challenge(w, dialog.chosen()) if dialog.chosen() else None)
    w.challenge_dialog = dialog
    dialog.show()


def close_guide(w) -> None:
    guide, w.guide = getattr(w, "guide", None), None
    if guide is not None:
        guide.close()
        w.notes_action.setChecked(False)
        w.refresh_explanation()


def _on_player(w, method: str) -> None:
    from ganviz.ui.lesson_player import LessonPlayer
    if isinstance(w.guide, LessonPlayer):
        getattr(w.guide, method)()
    else:
        w.statusBar().showMessage("Open a lesson first: Lessons ▸ Open", 5000)


def _on_challenge(w, method: str) -> None:
    from ganviz.ui.challenge import ChallengeTracker
    if isinstance(w.guide, ChallengeTracker):
        getattr(w.guide, method)()


def _show_notes(w, on: bool) -> None:
    notes = getattr(w.guide, "notes", None)
    if notes is None:
        return
    if on and not notes.isVisible():
        if not notes.place():  # one screen: a window of its own beside the main one
            notes.resize(640, 480)
            notes.show()
        notes.refresh()
    elif not on:
        notes.hide()


def script_walk(app, w, lesson: Lesson, target: int, path: str | None, outcome: dict, cancel=None) -> None:
    """`ganviz lesson NAME --screenshot shot.png --scene N`: play the lesson from its first scene with the keys a
    clicker sends (PageDown, posted to the window as key events), each scene to its stop, and save the window
    at scene ``target``'s stop."""
    from ganviz.io.atomic import OutputError, atomic_path

    def press() -> None:
        QApplication.postEvent(w, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier))

    def save() -> None:
        if path is None:
            QTimer.singleShot(0, app.quit)
            return
        try:
            with atomic_path(path, cancel=cancel) as tmp:
                if not w.grab().save(tmp, "PNG"):
                    raise OutputError(f"cannot write screenshot '{path}'")
        except OutputError as exc:
            outcome["message"], outcome["code"] = str(exc), 1
        outcome["done"] = True
        QTimer.singleShot(0, app.quit)

    def step() -> None:
        player = w.guide
        if outcome.get("done") or cancel is not None and cancel.is_set():
            return
        here = player.index + 1
        if player.stage == "ask":
            press()
        elif player.state in ("stopped", "limit") or w.session.failure:
            if here < target or (player.scene.answer and player.stage != "answer"):
                press()  # on to the next scene, or reveal the answer of the last one
            else:
                outcome["done"] = True
                outcome["report"] = (f"scene {here}/{len(lesson.scenes)} “{player.scene.title}”: "
                                     f"{player.status_line()}")
                QTimer.singleShot(600, save)  # the last frame and the pane are drawn
        QTimer.singleShot(150, step)

    open_lesson(w, lesson, 1)
    QTimer.singleShot(300, step)
