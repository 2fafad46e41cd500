"""The main window's menus and keyboard shortcuts, as tables."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut


def _action(window, menu, text: str, key, slot, checkable: bool = False) -> QAction:
    action = QAction(text, window, checkable=checkable)
    if key:
        action.setShortcut(QKeySequence(key))
    if checkable:
        action.toggled.connect(slot)
    else:
        action.triggered.connect(lambda _=False: slot())
    menu.addAction(action)
    return action


def build_menus(w) -> None:
    file_menu = w.menuBar().addMenu("&File")
    w.export_action = _action(w, file_menu, "&Export animation…", "Ctrl+E", w._on_export)
    for text, key, slot in (("Save &figure (PNG/SVG)…", "Ctrl+S", w.save_figure),
                            ("Save &metrics (JSON/CSV)…", "Ctrl+M", w.save_metrics),
                            ("Save &config…", "Ctrl+Shift+S", w.save_config),
                            ("Sweep &lab…", "Ctrl+L", w.open_sweep),
                            ("Side &by side…", "Ctrl+B", w.open_compare),
                            ("&Quit", QKeySequence.StandardKey.Quit, w.close)):
        _action(w, file_menu, text, key, slot)
    view_menu = w.menuBar().addMenu("&View")
    w.dark_action = _action(w, view_menu, "&Dark theme", None, w._on_dark, checkable=True)
    w.presenter_action = _action(w, view_menu, "&Presenter mode (2× fonts and lines, controls hidden)",
                                 "Ctrl+P", w.set_presenter, checkable=True)
    show_controls = w.controls_dock.toggleViewAction()
    show_controls.setText("Show &controls")
    view_menu.addAction(show_controls)


def install_shortcuts(w) -> None:
    """Single keys for the lecture: they act on the whole window, whichever widget has the focus."""
    keys = {"Space": w.controls.play_btn.toggle, ".": lambda: w.worker.step_once(),
            "D": lambda: w.worker.step_d(), "G": lambda: w.worker.step_g(), "R": w.reset_run,
            "F": w._toggle_full_screen, "Ctrl+=": lambda: w.set_scale(w.style.scale * 1.25),
            "Ctrl++": lambda: w.set_scale(w.style.scale * 1.25),
            "Ctrl+-": lambda: w.set_scale(w.style.scale / 1.25), "Ctrl+0": lambda: w.set_scale(1.0)}
    w._shortcut_objs = []
    for key, fn in keys.items():
        sc = QShortcut(QKeySequence(key), w)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(fn)
        w._shortcut_objs.append(sc)
