"""Playing a lesson in the main window, driven by the keys a presenter's clicker sends.

The player drives the window's own API — ``load_preset`` for a scene that starts a run (its config, its script
as the Driver's schedule, its x range), ``session.set_knobs`` for a scene that continues the run, ``run_until``
/ ``pause`` — and watches the run's records for the scene's stop condition with the badge's own logic
(conditions.py ``Watch``). Nothing here trains: the window's process never loads torch.

A scene goes through stages, one key press each: *ask* (only with a question: the run waits while the class
predicts), *run* (plays until the stop), *answer* (the answer revealed), then the next scene. PageDown / →
move forward, PageUp / ← go back to the previous scene (from its start), Home replays the scene. A scene that
continues the previous one's run continues it from where it is; replayed, it restarts from the step it began at
(the training process keeps the states of the frames it showed).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ganviz.conditions import Watch
from ganviz.lessons import Lesson, Scene
from ganviz.presets import Preset
from ganviz.ui import keys
from ganviz.ui.lesson_view import HIGHLIGHT_MS, QUIET_KEYS, Highlighter, SpeakerNotes, pane_html
from ganviz.ui.run_bar import SPEEDS

NEXT_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Right)  # what presenter clickers send
BACK_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_Left)
REPLAY_KEYS = (Qt.Key.Key_Home,)


def scene_preset(scene: Scene, presets: list[Preset]) -> Preset:
    """The scene's run as the window starts a preset: its config, script and x range; the preset box shows the
    preset it came from when the scene runs it unchanged (else "custom")."""
    view = {"x": list(scene.x_range)} if scene.x_range else {}
    same = any(p.name == scene.preset and p.config == scene.config and p.schedule == scene.schedule for p in presets)
    return Preset(name=scene.preset if same else "lesson", title=scene.title, phenomenon="", summary="",
                  explanation=scene.narration, config=scene.config, schedule=dict(scene.schedule), view=view)


class LessonPlayer(QObject):
    changed = Signal()  # the scene, its stage or its state changed (the notes window and the tests listen)

    def __init__(self, window, lesson: Lesson):
        super().__init__(window)
        self.w, self.lesson = window, lesson
        self.index = -1
        self.stage = ""  # "ask", "run" or "answer"
        self.state = ""  # "waiting", "playing", "stopped" (the stop held), "limit" (``within`` ran out)
        self.watch: Watch | None = None
        self.start_step = 0
        self.turned: dict = {}  # {knob: (old, new)} this scene turned
        self.befores: dict[int, dict] = {}  # scene index → the config when it was first entered
        self.highlighting = False
        self.starts: dict[int, tuple[int, int]] = {}  # scene index -> (run id, step) where it began
        self.run_id = 0  # counts the runs the window started (a continuing scene needs its run on screen)
        self._phase = ""  # "restarting", "knobs": waiting for the training process; "" when ready
        self._play_when_ready = False
        self.highlighter = Highlighter(window.controls)
        self.notes = SpeakerNotes(self, window)
        s = window.session
        s.records_added.connect(self._on_records)
        s.status_changed.connect(self._on_status)
        s.run_started.connect(self._on_run_started)
        s.restarted.connect(self._on_restarted)
        s.notice.connect(self._on_notice)
        self.actions = {k: self.next for k in NEXT_KEYS} | {k: self.back for k in BACK_KEYS}
        self.actions |= {k: self.replay for k in REPLAY_KEYS}
        window._keys.actions.update(self.actions)
        self._notes_keys = keys.install(self.notes, self.actions)
        self.changed.connect(self.notes.refresh)

    @property
    def scene(self) -> Scene | None:
        return self.lesson.scenes[self.index] if 0 <= self.index < len(self.lesson.scenes) else None

    # --- the clicker ----------------------------------------------------------------------------
    def next(self) -> None:
        """PageDown / →: run the scene (after a question), reveal the answer, or go to the next scene."""
        scene = self.scene
        if scene is None:
            self.enter(0)
        elif self.stage == "ask":
            self.stage = "run"
            self._play()
        elif self.stage == "run" and scene.answer:
            self.stage = "answer"
            self._refresh()
            self._show_the_end()  # the answer is the last paragraph: scroll it into view on a small screen
            return
        elif self.index + 1 < len(self.lesson.scenes):
            self.enter(self.index + 1)
            return
        else:
            self.w.header.show_message(f"End of the lesson “{self.lesson.title}” — PageUp goes back")
        self._refresh()

    def back(self) -> None:
        """PageUp / ←: the previous scene, from its start (the first scene: replayed)."""
        self.enter(max(0, self.index - 1), replay=True)

    def replay(self) -> None:
        """Home: this scene again from its start."""
        self.enter(max(0, self.index), replay=True)

    # --- scenes ---------------------------------------------------------------------------------
    def enter(self, index: int, replay: bool = False) -> None:
        """Show scene ``index`` (0-based): its run, its knobs, its narration; it plays at once unless it asks a
        question first."""
        scene = self.lesson.scenes[index]
        before = self.w.session.config
        self.index, self.stage = index, ("ask" if scene.question else "run")
        self.watch, self._phase, self._play_when_ready = None, "", scene.question == ""
        self.state = "waiting"
        mine, previous = self.starts.get(index), self.starts.get(index - 1)
        if replay:
            self.starts = {i: v for i, v in self.starts.items() if i <= index}  # later scenes' runs are gone
        if not scene.continues:
            self._fresh(scene)
        elif replay and mine is not None and mine[0] == self.run_id:
            self._phase = "restarting"
            self.w.session.restart_from(mine[1])
        elif previous is not None and previous[0] == self.run_id and not replay:
            self._continue()
        else:
            self._fresh(scene, note="this scene continues a run that is no longer on screen: started afresh "
                                    "with its knobs")
        # the knobs as they were when this scene was first entered (a replay or a step back starts from a run
        # that already has the scene's knobs: "Turned" must still say what the scene changed)
        old = self.befores.setdefault(index, before.to_dict())
        self.turned = {k: (old[k], getattr(scene.config, k)) for k in scene.changes if k not in QUIET_KEYS}
        self._highlight()
        self._speed(scene)
        self._refresh()

    def _fresh(self, scene: Scene, note: str = "") -> None:
        self.w.load_preset(scene_preset(scene, self.w.presets))
        self._begin(0)
        self.w.statusBar().showMessage(note or f"Scene {scene.index}: {scene.title}", 8000)

    def _continue(self) -> None:
        """The run goes on: pause it and turn the scene's knobs; the status that shows them (paused) says at
        which iteration the scene begins, and starts it."""
        self.w.session.pause()
        self._turn_knobs()

    def _turn_knobs(self) -> None:
        session, scene = self.w.session, self.scene
        self._phase = "knobs"
        # nothing to turn: a harmless knob (the run's length) still brings a status with the iteration
        session.set_knobs(**(session.config.changed(scene.config) or {"steps": scene.config.steps}))

    def _begin(self, start: int) -> None:
        """The scene's run is on screen with its knobs: watch for its stop from ``start``; play if it should."""
        self._phase = ""
        self.start_step = start
        self.starts[self.index] = (self.run_id, start)
        self.watch = Watch(self.scene.stop, start)
        self.watch.feed(self.w.session.recording.records)
        if self._play_when_ready:
            self._play()

    def _play(self) -> None:
        if self._phase:
            self._play_when_ready = True  # the knobs are on their way: play once they are in
            return
        self._play_when_ready = False
        if self.watch is not None and self.watch.met_at is None:
            self.state = "playing"
            self.w.session.run_until(self.start_step + self.scene.within)

    def _speed(self, scene: Scene) -> None:
        if scene.speed is None:
            return
        values = [v for _, v in SPEEDS]
        best = min(range(len(values)), key=lambda i: abs((values[i] or 1e9) - (scene.speed or 1e9)))
        self.w.speed.setCurrentIndex(best)  # the window's own handler sends the speed

    def _highlight(self) -> None:
        self.highlighter.mark(self.turned)
        self.highlighting = bool(self.turned)
        QTimer.singleShot(HIGHLIGHT_MS, self._unhighlight)

    def _unhighlight(self) -> None:
        self.highlighting = False
        self._refresh()

    # --- from the session -----------------------------------------------------------------------
    def _on_run_started(self, _recording) -> None:
        self.run_id += 1
        if self.watch is not None and self.scene is not None:  # the user's Reset: the scene's run starts over
            self.watch = Watch(self.scene.stop, 0)
            self.start_step, self.state = 0, "waiting"
            self.starts[self.index] = (self.run_id, 0)

    def _on_restarted(self, step: int) -> None:
        if self._phase == "restarting":
            self._turn_knobs()
        elif self.watch is not None:
            self.watch = Watch(self.scene.stop, min(step, self.start_step))

    def _on_status(self, status) -> None:
        scene = self.scene
        if scene is None:
            return
        if self._phase == "knobs" and status.config == scene.config and not status.playing:
            self._begin(status.iteration)
        elif (self.state == "playing" and not status.playing
              and status.iteration >= self.start_step + scene.within):
            self.state = "limit"
        self._refresh()

    def _on_notice(self, _text: str, level: str) -> None:
        if level == "error" and self._phase == "knobs":  # a knob was refused (the window says why): go on
            self._begin(self.w.session.step)
            self._refresh()

    def _on_records(self) -> None:
        if self.watch is None or self.watch.met_at is not None:
            return
        if self.watch.feed(self.w.session.recording.records) is not None:
            self.state = "stopped"
            self.w.session.pause()
            self._refresh()

    # --- what the class and the speaker read ----------------------------------------------------
    def status_line(self) -> str:
        scene = self.scene
        last = self.index + 1 >= len(self.lesson.scenes)
        after = "PageDown: the answer" if scene.answer and self.stage != "answer" else (
            "the end of the lesson" if last else "PageDown: next scene")
        if self.stage == "ask":
            return "Predict first — PageDown runs it"
        if self.state == "stopped":
            why = "" if scene.stop.only_step else f": {scene.stop.describe()}"
            return f"❚❚ Stopped at step {self.watch.met_at}{why} — {after}"
        if self.state == "limit":
            return f"❚❚ {scene.within} iterations without “{scene.stop.describe()}” — {after}"
        if self.state == "playing" and not self.w.session.playing:
            return f"Paused before {scene.stop.describe()} — Space plays on, {after}"
        if self.state == "playing":
            return f"▶ Plays until {scene.stop.describe()} — {after}"
        return "Setting up the scene…"

    def html(self, style) -> str:
        return pane_html(self, style) if self.scene is not None else ""

    def _show_the_end(self) -> None:
        bar = self.w.explain_box.verticalScrollBar()
        QTimer.singleShot(0, lambda: bar.setValue(bar.maximum()))  # after the text's new height is laid out

    def _refresh(self) -> None:
        self.w.refresh_explanation()
        self.changed.emit()

    def close(self) -> None:
        """Leave the lesson: the keys, the notes window and the highlight go; the run stays on screen."""
        for key in self.actions:
            self.w._keys.actions.pop(key, None)
        from PySide6.QtWidgets import QApplication
        QApplication.instance().removeEventFilter(self._notes_keys)
        self.highlighter.clear()
        self.notes.close()
        s = self.w.session
        for signal, slot in ((s.records_added, self._on_records), (s.status_changed, self._on_status),
                             (s.run_started, self._on_run_started), (s.restarted, self._on_restarted),
                             (s.notice, self._on_notice)):
            signal.disconnect(slot)
