"""Side by side: two runs that differ in one knob, from the same seed (so the same initial weights), each with
its own figure and badge, on the same x axis, trained in lockstep (both reach every step together).
E.g. saturating vs non-saturating G loss."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ganviz.config import ConfigError, TrainConfig, format_value, sweep_keys, sweep_values
from ganviz.core.diagnose import LABELS
from ganviz.draw import style as st
from ganviz.draw.axes import XPolicy, mass_extent
from ganviz.ui import keys
from ganviz.ui.figure_view import FigureView
from ganviz.ui.screens import place
from ganviz.ui.session import LiveSession

LOCKSTEP = 25  # iterations per leg: both runs train to the same step, then both go on


class CompareWindow(QWidget):
    def __init__(self, base: TrainConfig, style: st.Style | None = None, parent=None):
        super().__init__()
        self.setWindowTitle("ganviz — side by side")
        self.base = base
        self.playing = False
        self.target = 0
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("B differs from A in"))
        self.key = QComboBox()
        self.key.addItems(sweep_keys())
        self.value = QLineEdit()
        self.key.currentTextChanged.connect(self._suggest)
        row.addWidget(self.key)
        row.addWidget(QLabel("="))
        row.addWidget(self.value)
        self.start_btn = QPushButton("Start both")
        self.start_btn.clicked.connect(self.start)
        self.play_btn = QPushButton("▶ Play both")
        self.play_btn.clicked.connect(self.toggle)
        row.addWidget(self.start_btn)
        row.addWidget(self.play_btn)
        self.status = QLabel("")
        row.addWidget(self.status, 1)
        lay.addLayout(row)
        grid = QGridLayout()
        scale = style.scale if style else 1.0
        self.figures = [FigureView(st.Style(scale=scale, dark=style.dark if style else False)) for _ in range(2)]
        self.captions = [QLabel(), QLabel()]
        self.badges = [QLabel(), QLabel()]
        self.sessions: list[LiveSession] = []
        self.x_policy = XPolicy()  # one x range for both panels
        for fig in self.figures:
            fig.panel.auto_x = False
        for i, (fig, cap, badge) in enumerate(zip(self.figures, self.captions, self.badges)):
            head = QHBoxLayout()
            head.addWidget(cap, 1)
            head.addWidget(badge)
            grid.addLayout(head, 0, i)
            grid.addWidget(fig, 1, i)
        lay.addLayout(grid, 1)
        self.key.setCurrentText("g_loss")
        self._suggest("g_loss")
        place(self, 1600, 760, parent)
        self._keys = keys.install(self, {Qt.Key.Key_Space: self.toggle})  # Space plays both, as the badges say

    def _suggest(self, key: str) -> None:
        """B's value for ``key``: another choice of a categorical knob (saturating ↔ non-saturating first), else
        A's value to edit."""
        value = getattr(self.base, key)
        others = [v for v in sweep_values(key) or [] if v != value]
        value = others[0] if others else value
        self.value.setText(value if isinstance(value, str) else json.dumps(value))

    def configs(self) -> tuple[TrainConfig, TrainConfig]:
        return self.base, self.base.with_assignments([f"{self.key.currentText()}={self.value.text()}"])

    def start(self) -> None:
        try:
            a, b = self.configs()
        except ConfigError as exc:
            self.status.setText(f"⚠ {exc}")
            return
        self.stop_sessions()
        key = self.key.currentText()
        self.status.setText("same seed, same initial weights, trained in lockstep; only one knob differs")
        for i, (cfg, label) in enumerate(zip((a, b), ("A", "B"))):
            self.captions[i].setText(f"<b>{label}</b>: {key} = {format_value(key, getattr(cfg, key))}")
            session = LiveSession(cfg, self)
            session.frame_ready.connect(lambda snap, i=i: self._on_frame(i, snap))
            session.records_added.connect(lambda i=i: self._on_records(i))
            session.status_changed.connect(lambda status, i=i: self._on_status(i, status))
            session.failed.connect(lambda msg, i=i: self._set_badge(i, "diverged"))
            self.sessions.append(session)
            self._set_badge(i, "ready")
        self.target = 0
        self.x_policy.reset()
        if self.playing:
            self._next_leg()

    def toggle(self) -> None:
        self.playing = not self.playing
        self.play_btn.setText("❚❚ Pause both" if self.playing else "▶ Play both")
        if self.playing:
            self._next_leg()
        else:
            for s in self.sessions:
                s.pause()

    def _next_leg(self) -> None:
        """Both runs train to the same next step; the next leg starts when both have arrived."""
        if not self.sessions or any(s.failure for s in self.sessions):
            return
        self.target = max(s.step for s in self.sessions) + LOCKSTEP
        for s in self.sessions:
            s.run_until(self.target)

    def _on_status(self, i: int, status) -> None:
        if self.playing and not any(s.playing for s in self.sessions) \
                and all(s.step >= self.target for s in self.sessions):
            self._next_leg()

    def _on_frame(self, i: int, snap) -> None:
        if snap.kind != "1d":  # the plane: each figure keeps its target's own extent (the same for both runs)
            self.figures[i].show_snapshot(snap)
            return
        other = self.figures[1 - i].last
        extents = [e for e in (mass_extent(snap.x, snap.p_data, snap.p_g),
                               mass_extent(other.x, other.p_data, other.p_g) if other is not None else None) if e]
        if extents:  # both panels on one x axis: the union of what either shows
            new = self.x_policy.update((min(e[0] for e in extents), max(e[1] for e in extents)))
            if new:
                for f in self.figures:
                    f.panel.plot.setXRange(*new, padding=0)
        self.figures[i].show_snapshot(snap)

    def _on_records(self, i: int) -> None:
        _, head = self.sessions[i].recording.diagnosis()
        if not self.sessions[i].failure:
            self._set_badge(i, head)

    def _set_badge(self, i: int, key: str) -> None:
        color = st.BADGE_COLORS.get(key, "#7f7f7f")
        self.badges[i].setText(f"  {LABELS.get(key, key)}  ")
        self.badges[i].setStyleSheet(f"background:{color}; color:white; border-radius:6px; padding:2px 8px;"
                                     "font-weight:bold")

    def stop_sessions(self) -> None:
        for s in self.sessions:
            s.stop()
            s.deleteLater()
        self.sessions = []

    def closeEvent(self, event) -> None:
        self.stop_sessions()
        super().closeEvent(event)
