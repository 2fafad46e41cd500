"""The main window's view modes, applied from one layout plan (ui/layout.py): the window's size on its screen,
where the controls and the explanation go, the type scale, presenter mode, the dark theme, full screen.

A mixin of MainWindow (it reads the window's widgets); kept apart so the window's file stays about wiring.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ganviz.draw import style as st
from ganviz.ui import layout


class ViewModes:
    user_scale = 1.0  # Ctrl+= / Ctrl+- multiply it; the plan multiplies it into the mode's own scale
    plan: layout.Plan | None = None
    fills_screen = False  # the preferred size does not fit the screen: show maximized

    # --- the window on its screen ---------------------------------------------------------------
    def fit_to_screen(self) -> None:
        """Open no larger than the screen's available area (a 1366 × 768 projector included), centred; a size
        the user gave the window on this screen before is restored instead."""
        screen = self.screen() or QApplication.primaryScreen()
        area = screen.availableGeometry()
        key = f"geometry/{screen.name()}/{area.width()}x{area.height()}"
        saved = self.settings.value(key) if self.settings is not None else None
        if saved is not None and self.restoreGeometry(saved) and area.contains(self.frameGeometry()):
            return
        w, h = layout.window_size(area.width(), area.height())
        self.fills_screen = layout.opens_maximized(area.width(), area.height())  # app.py shows it maximized
        self.resize(w, h)
        self.move(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2)

    def save_screen_geometry(self) -> None:
        if self.settings is None:
            return
        screen = self.screen() or QApplication.primaryScreen()
        area = screen.availableGeometry()
        self.settings.setValue(f"geometry/{screen.name()}/{area.width()}x{area.height()}", self.saveGeometry())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self.apply_layout)  # after Qt has laid the window out at its new size

    # --- one plan for everything ----------------------------------------------------------------
    def apply_layout(self) -> None:
        """Lay the window out for its size and mode (idempotent: the same state gives the same layout)."""
        p = layout.plan(self.width(), self.height(), self.presenting, self.user_scale)
        previous, self.plan = self.plan, p
        if previous is None or p.scale != previous.scale:
            self._apply_scale(p.scale)
        self._place_controls(p.controls)
        self._place_explanation(p)
        total = max(self.split.width(), 1)
        self.split.setSizes([max(total - p.side, 1), p.side])

    def _apply_scale(self, scale: float) -> None:
        self.style.scale = scale
        self.figure.apply_style()
        for panel in self.panels.values():
            panel.apply_style()
        font = QApplication.font()
        font.setPointSizeF(10 * scale)
        QApplication.setFont(font)  # menus, dialogs, toolbar, timeline, controls and status line
        self.setFont(font)
        for widget in (self.toolbar, self.timeline_bar, self.controls, self.tabs.tabBar()):
            widget.updateGeometry()
        self.preset_box.adjustSize()
        self._restyle_labels()

    def _place_controls(self, where: str) -> None:
        scroll, dock = self.controls_scroll, self.controls_dock
        in_tab = self.tabs.indexOf(scroll) >= 0
        if where == "tab" and not in_tab:
            self.tabs.insertTab(0, scroll, "Controls")
        elif where != "tab" and in_tab:
            self.tabs.removeTab(self.tabs.indexOf(scroll))
        if where == "column" and dock.widget() is not scroll:
            dock.setWidget(scroll)
        dock.setVisible(where == "column" and self.controls_wanted)
        scroll.setVisible(where != "hidden")

    def _place_explanation(self, p: layout.Plan) -> None:
        box = self.explain_box
        in_tab = self.tabs.indexOf(box) >= 0
        if p.explain == "tab" and not in_tab:
            self.left_layout.removeWidget(box)
            self.tabs.insertTab(0, box, "Lesson")
            box.setMaximumHeight(16_777_215)
        elif p.explain == "below":
            if in_tab:
                self.tabs.removeTab(self.tabs.indexOf(box))
                self.left_layout.addWidget(box)
            box.setMaximumHeight(p.explain_h)
            box.show()

    def _restyle_labels(self) -> None:
        """Labels with a style sheet keep the colours they were styled with: restyle them after a theme or scale
        change."""
        self.header.restyle()
        self._show_preset_text()

    # --- the user's switches --------------------------------------------------------------------
    def set_scale(self, factor: float) -> None:
        """The user's scale factor (Ctrl+= / Ctrl+- / Ctrl+0), on top of the mode's own."""
        self.user_scale = min(max(factor, 0.6), 2.5)
        self.apply_layout()

    def set_presenter(self, on: bool) -> None:
        """For a projector: larger type scaled to the screen, the controls hidden, the explanation beside the
        figure. Leaving it applies the normal plan again: nothing of presenter mode stays."""
        self.presenting = on
        self.presenter_action.setChecked(on)
        self.apply_layout()
        if on and self.tabs.indexOf(self.explain_box) >= 0:
            self.tabs.setCurrentWidget(self.explain_box)

    def set_dark(self, dark: bool) -> None:
        self.style.dark = dark
        st.apply_app_theme(QApplication.instance(), self.style)
        self.figure.apply_style()
        for panel in self.panels.values():
            panel.apply_style()
        self._restyle_labels()
        self.theme_changed.emit(dark)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()
