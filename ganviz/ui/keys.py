"""Single-key shortcuts that work whatever has the focus, while typing in a text field still types.

An application-wide event filter: Space, R, D, G and "." act on the training unless the focused widget would
take the key as text — any character in a free-text field (the mixture's components, a file name), and in a
number field the characters of a number (digits, ".", "-", "e"). Space in a number field is not part of a
number, so it plays / pauses there too. A lesson's ← → and Home are the field's own while a field edits text.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QSpinBox, QTextEdit

NUMBER_CHARS = set("0123456789.-+eE")
INTEGER_CHARS = set("0123456789-+")
CURSOR_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End}  # an editor's, while it edits


def takes_as_text(widget, text: str) -> bool:
    """Would ``widget`` type ``text`` rather than let it be a shortcut?"""
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        parent = widget.parent()
        if isinstance(parent, QAbstractSpinBox):
            return takes_as_text(parent, text)
        return (text in NUMBER_CHARS) if widget.property("numeric") is True else True
    if isinstance(widget, QSpinBox):  # whole numbers: "." is a step, not a decimal point
        return text in INTEGER_CHARS
    if isinstance(widget, QAbstractSpinBox):
        return text in NUMBER_CHARS
    return False


class KeyFilter(QObject):
    """``actions`` maps a key (Qt.Key) to a callable; ``window`` limits it to that window's widgets."""

    def __init__(self, window, actions: dict[int, Callable[[], None]]):
        super().__init__(window)
        self.window, self.actions = window, actions

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            return False  # Ctrl / Alt combinations belong to the menus
        action = self.actions.get(event.key())
        if action is None:
            return False
        focus = QApplication.focusWidget()
        if focus is not None and focus.window() is not self.window:
            return False  # another window (a dialog) has the keyboard
        if focus is not None and takes_as_text(focus, event.text()):
            return False
        if focus is not None and event.key() in CURSOR_KEYS and takes_as_text(focus, "0"):
            return False  # a lesson's ← → Home move the cursor in a text field, not the scenes
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # claim the key before widgets (a focused button would "click" on Space)
            return True
        if event.isAutoRepeat():
            return True
        action()
        return True


def install(window, actions: dict[int, Callable[[], None]]) -> KeyFilter:
    f = KeyFilter(window, actions)
    QApplication.instance().installEventFilter(f)
    return f
