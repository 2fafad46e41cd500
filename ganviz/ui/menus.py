"""The main window's menus and their shortcuts, as tables."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ganviz.ui import guides


def _action(window, menu, text: str, key, slot, checkable: bool = False, checked: bool = False,
            tip: str = "") -> QAction:
    action = QAction(text, window, checkable=checkable)
    if key:
        action.setShortcut(QKeySequence(key))
    if tip:
        action.setStatusTip(tip)
    if checkable:
        action.setChecked(checked)
        action.toggled.connect(slot)
    else:
        action.triggered.connect(lambda _=False: slot())
    menu.addAction(action)
    return action


def build_menus(w) -> None:
    m = w.menuBar().addMenu("&File")
    for text, key, slot in (("&Open config…", "Ctrl+O", w.open_config),
                            ("Save &config…", "Ctrl+Shift+S", w.save_config),
                            ("&Restore defaults", None, w.restore_defaults)):
        _action(w, m, text, key, slot)
    m.addSeparator()
    for text, key, slot in (("&Export animation (MP4/GIF)…", "Ctrl+E", w.open_export),
                            ("Export Figure &1 panels (a)–(d)…", "Ctrl+1", w.open_figure1),
                            ("Save &figure (PNG/SVG)…", "Ctrl+S", w.save_figure),
                            ("Save &metrics (JSON/CSV)…", "Ctrl+M", w.save_metrics)):
        _action(w, m, text, key, slot)
    m.addSeparator()
    _action(w, m, "Sweep &lab…", "Ctrl+L", w.open_sweep)
    _action(w, m, "Side &by side…", "Ctrl+B", w.open_compare)
    m.addSeparator()
    _action(w, m, "&Quit", QKeySequence.StandardKey.Quit, w.close)

    v = w.menuBar().addMenu("&View")
    w.presenter_action = _action(w, v, "&Presenter mode (2×, controls hidden)", "Ctrl+P", w.set_presenter,
                                 checkable=True)
    _action(w, v, "&Larger", "Ctrl+=", lambda: w.set_scale(w.user_scale * 1.25))
    _action(w, v, "Larger", "Ctrl++", lambda: w.set_scale(w.user_scale * 1.25)).setVisible(False)
    _action(w, v, "&Smaller", "Ctrl+-", lambda: w.set_scale(w.user_scale / 1.25))
    _action(w, v, "&Normal size", "Ctrl+0", lambda: w.set_scale(1.0))
    _action(w, v, "&Full screen", None, w.toggle_full_screen, tip="also the F key")
    w.dark_action = _action(w, v, "&Dark theme", None, w.set_dark, checkable=True)
    v.addSeparator()
    fig = w.figure
    _action(w, v, "Show D*(x)", None, lambda on: fig.set_option("d_star", on), checkable=True, checked=True)
    _action(w, v, "Show samples and G's pushes", None, lambda on: fig.set_option("samples", on), checkable=True,
            checked=True)
    _action(w, v, "Pause at Nash equilibrium", None, lambda on: setattr(w, "auto_pause", on), checkable=True)
    window = v.addMenu("Metrics window")
    for text, steps in (("whole run", None), ("last 500 steps", 500), ("last 2000 steps", 2000)):
        _action(w, window, text, None, lambda s=steps: w.metrics.set_window(s))
    def show_controls(on: bool) -> None:
        w.controls_wanted = on
        w.apply_layout()
    _action(w, v, "Show &controls", None, show_controls, checkable=True, checked=True)

    guides.build_menu(w)  # Lessons ▸ Open, the clicker's moves, speaker notes, Challenges…
    h = w.menuBar().addMenu("&Help")
    _action(w, h, "&Keys", "F1", w.show_keys)
