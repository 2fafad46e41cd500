"""The main window's view modes: the presenter scale, presenter mode, the dark theme, full screen.

A mixin of MainWindow (it reads the window's widgets); kept apart so the window's file stays about wiring.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ganviz.draw import style as st


class ViewModes:
    def set_scale(self, scale: float) -> None:
        scale = min(max(scale, 0.6), 4.0)
        self.style.scale = scale
        self.figure.apply_style()
        for panel in self.panels.values():
            panel.apply_style()
        app = QApplication.instance()
        font = app.font()
        font.setPointSizeF(10 * scale)
        app.setFont(font)  # menus, dialogs, toolbar, timeline, controls and status line
        self.setFont(font)
        self._restyle_labels()

    def _restyle_labels(self) -> None:
        """Labels with a style sheet keep the colours they were styled with: restyle them after a theme or scale
        change."""
        fg = self.style.theme.foreground
        self._set_badge(self.diagnosis)
        self._show_preset_text()
        for label in (self.step_label, self.rate_label):
            label.setStyleSheet(f"font-size:{self.style.css_size(12)}; color:{fg}")
        self.hint_label.setStyleSheet(f"font-size:{self.style.css_size(11)}; color:{self.style.theme.muted}")

    def set_presenter(self, on: bool) -> None:
        """For a projector: everything twice as large, the controls hidden, the explanation moved to its own tab
        beside the figure so the figure keeps the whole height."""
        self.presenting = on
        self.set_scale(2.0 if on else 1.0)
        self.controls_dock.setVisible(not on)
        if on and self.tabs.indexOf(self.explain_box) < 0:
            self.tabs.insertTab(0, self.explain_box, "Lesson")
            self.explain_box.setMaximumHeight(16_777_215)
        elif not on and self.tabs.indexOf(self.explain_box) >= 0:
            self.tabs.removeTab(self.tabs.indexOf(self.explain_box))
            self.left_layout.addWidget(self.explain_box)
            self.explain_box.setMaximumHeight(120)
            self.explain_box.show()
        total = max(self.split.width(), 1)
        self.split.setSizes([int(total * (0.7 if on else 0.6)), int(total * (0.3 if on else 0.4))])

    def set_dark(self, dark: bool) -> None:
        self.style.dark = dark
        st.apply_app_theme(QApplication.instance(), self.style)
        self.figure.apply_style()
        for panel in self.panels.values():
            panel.apply_style()
        self._restyle_labels()

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

