"""The strip above the figure: the badge (what the run shows now), the step, the rate, what to try, and a
message banner that a class can read (a refused file, a bad value) — not only the small status line."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ganviz.core.diagnose import HINTS, LABELS
from ganviz.draw import style as st

MESSAGE_SECONDS = 12


class ElidedLabel(QLabel):
    """One line that ends in "…" where it does not fit (the whole text in its tooltip), never cut mid-word
    without a mark."""

    def __init__(self):
        super().__init__()
        self.full = ""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:  # noqa: N802 (a new style sheet changes the font)
        super().changeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.ensurePolished()
        shown = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, max(self.width() - 4, 0))
        if shown != super().text():
            super().setText(shown)


class Header(QWidget):
    def __init__(self, style: st.Style):
        super().__init__()
        self.style = style
        self.state = "ready"
        self.badge = QLabel()
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setToolTip("what the run shows now, judged on its recent records (docs/architecture.md, "
                              "'The badge')")
        self.step_label, self.rate_label, self.hint_label = QLabel(), QLabel(), ElidedLabel()
        self.hint_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setCursor(Qt.CursorShape.PointingHandCursor)
        self.banner.mousePressEvent = lambda _event: self.banner.setVisible(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.banner.setVisible(False))
        row = QHBoxLayout()
        row.setContentsMargins(6, 4, 6, 0)
        for w in (self.badge, self.step_label, self.rate_label):
            row.addWidget(w)
        row.addWidget(self.hint_label, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        lay.addWidget(self.banner)
        self.restyle()

    def set_state(self, key: str, hint_values: dict | None = None) -> None:
        """The badge's state and, for a failure, what to try (with the knobs' values filled in)."""
        self.state = key
        self.badge.setText(f"  {LABELS.get(key, key)}  ")
        hint = HINTS.get(key, "")
        self.hint_label.setText("→ " + hint.format(**(hint_values or {})) if hint else "")
        self._style_badge()

    def set_step(self, text: str) -> None:
        self.step_label.setText(f"  {text}  ")

    def set_rate(self, text: str) -> None:
        self.rate_label.setText(f"  {text}  " if text else "")

    def show_message(self, text: str, ok: bool = False) -> None:
        """A message the class should see: a banner above the figure for MESSAGE_SECONDS (click to hide); green
        for good news (``ok``: a challenge's goal met), else red."""
        self._style_banner(ok)
        self.banner.setText(text)
        self.banner.setVisible(True)
        self._timer.start(MESSAGE_SECONDS * 1000)

    def restyle(self) -> None:
        s, th = self.style, self.style.theme
        for label in (self.step_label, self.rate_label):
            label.setStyleSheet(f"font-size:{s.css_size(12)}; color:{th.foreground}")
        self.hint_label.setStyleSheet(f"font-size:{s.css_size(11)}; color:{th.muted}")
        self._style_banner(False)
        self._style_badge()

    def _style_banner(self, ok: bool) -> None:
        s, th = self.style, self.style.theme
        back = ("#1d4d1f" if s.dark else "#dff3df") if ok else ("#5c1f1b" if s.dark else "#fde2df")
        self.banner.setStyleSheet(f"background:{back}; color:{th.foreground}; border:1px solid "
                                  f"{'#2ca02c' if ok else '#d62728'}; border-radius:4px; padding:4px 10px; "
                                  f"font-size:{s.css_size(12)}")

    def _style_badge(self) -> None:
        color = st.BADGE_COLORS.get(self.state, "#7f7f7f")
        self.badge.setStyleSheet(f"background:{color}; color:white; border-radius:6px; padding:3px 12px;"
                                 f"font-weight:bold; font-size:{self.style.css_size(14)}")
