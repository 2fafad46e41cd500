"""A challenge in the main window: the learner starts from a config, turns knobs, and the window says when the
goal is met and which change did it — or why it does not count (a knob the challenge does not allow, more
knobs than its budget, too late) — and offers the challenge's hint after a while.

The goal is judged on the run's records as they come, with the badge's own logic (conditions.py ``Watch``);
the knobs turned are the difference between the run's config (the training process's last status) and the
challenge's start. A Reset (R) starts new nets from step 0 with the knobs as they are: a new attempt.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from ganviz.conditions import Watch
from ganviz.lessons import Challenge
from ganviz.presets import Preset
from ganviz.ui.lesson_view import esc, knob_label, turned_text, visible_changes


class ChallengeTracker(QObject):
    changed = Signal()

    def __init__(self, window, challenge: Challenge):
        super().__init__(window)
        self.w, self.challenge = window, challenge
        self.watch = Watch(challenge.goal, 0)
        self.result = ""  # "met", or why a goal that held does not count ("late", "rules")
        self.met_with: dict = {}  # the knobs turned when the goal was met
        self.hint_shown = False
        self.order: list[str] = []  # knobs in the order they were turned (the last one "did it")
        self.hint_timer = QTimer(self)
        self.hint_timer.setSingleShot(True)
        self.hint_timer.timeout.connect(self.show_hint)
        s = window.session
        s.records_added.connect(self._on_records)
        s.run_started.connect(self._on_run_started)
        s.restarted.connect(self._on_restarted)
        s.status_changed.connect(self._on_status)

    def start(self) -> None:
        """The challenge's start config as a new run (no script: the learner is the script)."""
        ch = self.challenge
        view = {"x": list(ch.x_range)} if ch.x_range else {}
        self.w.load_preset(Preset("challenge", ch.title, "", "", "", ch.config, view=view))
        if ch.hint:
            self.hint_timer.start(int(ch.hint_after * 1000))
        self.w.statusBar().showMessage(f"Challenge: {ch.title} — turn knobs, press Space to play", 10000)

    # --- the rules ------------------------------------------------------------------------------
    def turned(self) -> dict:
        """{knob: (start value, value now)} for every knob that differs from the challenge's start."""
        return visible_changes(self.challenge.config, self.w.session.config)

    def problems(self) -> str:
        """Why a goal met now would not count ("" when the knobs turned are within the rules)."""
        turned, ch = self.turned(), self.challenge
        outside = [k for k in turned if k not in ch.knobs]
        if outside:
            return f"{knob_label(outside[0])} is not one of this challenge's knobs"
        if len(turned) > ch.budget:
            return f"{len(turned)} knobs turned; the budget is {ch.budget}"
        if not turned:
            return "no knob turned yet"
        return ""

    # --- from the session -----------------------------------------------------------------------
    def _on_status(self, _status) -> None:
        turned = self.turned()
        self.order = [k for k in self.order if k in turned] + [k for k in turned if k not in self.order]
        self._refresh()

    def _on_run_started(self, _recording) -> None:
        self.watch, self.result = Watch(self.challenge.goal, 0), ""  # a Reset: a new attempt from step 0
        self._refresh()

    def _on_restarted(self, _step: int) -> None:
        if self.result != "met":
            self.watch, self.result = Watch(self.challenge.goal, 0), ""

    def _on_records(self) -> None:
        if self.result or self.watch.feed(self.w.session.recording.records) is None:
            return
        ch, at, problem = self.challenge, self.watch.met_at, self.problems()
        goal = ch.goal.describe()
        if problem:
            self.result = "rules"
            self.w.header.show_message(f"The goal held at step {at} ({goal}), but {problem}: it does not count")
        elif at > ch.within:
            self.result = "late"
            self.w.header.show_message(f"The goal held at step {at}, after the {ch.within} allowed — press R to "
                                       "try again from step 0 with these knobs")
        else:
            self.result, self.met_with = "met", self.turned()
            self.hint_timer.stop()
            self.w.header.show_message(f"✓ Goal met at step {at}: {goal} — by changing "
                                       f"{self._did_it()}", ok=True)
        self._refresh()

    def _did_it(self) -> str:
        """The knobs turned, the last one turned last ("lr D 0.0005 → 0.005, lr G 5e-05 → 0.0005")."""
        ordered = {k: self.met_with[k] for k in self.order if k in self.met_with}
        ordered |= {k: v for k, v in self.met_with.items() if k not in ordered}
        return turned_text(ordered)

    def show_hint(self) -> None:
        if self.challenge.hint and self.result != "met":
            self.hint_shown = True
            self.w.header.show_message(f"Hint: {self.challenge.hint}")
            self._refresh()

    # --- the pane -------------------------------------------------------------------------------
    def html(self, style) -> str:
        """What the learner reads below the figure, most urgent first (the box is short and scrolls): the
        challenge and the knobs turned so far, the outcome, the task, then the goal, the knobs allowed, the hint."""
        th, ch = style.theme, self.challenge
        turned = self.turned()
        rows = [f"<b>Challenge: {esc(ch.title)}</b> — turned {len(turned)} of {ch.budget}: "
                f"{esc(turned_text(turned)) or 'none yet'}"]
        problem = self.problems()
        if problem and turned:
            rows.append(f" <span style='color:#d62728'>— {esc(problem)}</span>")
        if self.result == "met":
            rows.append(f"<br><b>✓ Goal met at step {self.watch.met_at} by changing {esc(self._did_it())}.</b> "
                        f"{ch.explanation}")
        rows.append(f"<br>{ch.task}")
        knobs = ", ".join(knob_label(k) for k in ch.knobs)
        rows.append(f"<br><span style='color:{th.muted}'>Goal: {esc(ch.goal.describe())} by step {ch.within}. "
                    f"Knobs: {esc(knobs)} — at most {ch.budget}.</span>")
        if self.hint_shown:
            rows.append(f"<br><i>Hint:</i> {esc(ch.hint)}")
        return f"<span style='font-size:{style.css_size(11)}; color:{th.foreground}'>{''.join(rows)}</span>"

    def _refresh(self) -> None:
        self.w.refresh_explanation()
        self.changed.emit()

    def close(self) -> None:
        self.hint_timer.stop()
        s = self.w.session
        for signal, slot in ((s.records_added, self._on_records), (s.run_started, self._on_run_started),
                             (s.restarted, self._on_restarted), (s.status_changed, self._on_status)):
            signal.disconnect(slot)


class ChallengeChooser(QDialog):
    """Lessons ▸ Challenges…: the list, each with its task; a double click (or Start) starts one."""

    def __init__(self, challenges: list[Challenge], parent=None):
        super().__init__(parent)
        self.setWindowTitle("ganviz — challenges")
        self.challenges = challenges
        self.list = QListWidget()
        for ch in challenges:
            item = QListWidgetItem(f"{ch.title}  (at most {ch.budget} knob{'s' if ch.budget > 1 else ''})")
            item.setToolTip(ch.task)
            self.list.addItem(item)
        self.task = QLabel()
        self.task.setWordWrap(True)
        self.task.setTextFormat(Qt.TextFormat.RichText)
        self.list.currentRowChanged.connect(lambda i: self.task.setText(challenges[i].task if i >= 0 else ""))
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Start", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for widget in (self.list, self.task, buttons):
            lay.addWidget(widget)
        self.list.setCurrentRow(0)
        self.resize(640, 420)

    def chosen(self) -> Challenge | None:
        row = self.list.currentRow()
        return self.challenges[row] if 0 <= row < len(self.challenges) else None
