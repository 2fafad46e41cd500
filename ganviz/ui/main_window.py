"""The main window: the figure, the timeline, the explanation, the metrics and mechanism panels, the controls
and the status line, bound to one LiveSession. Widgets draw what the session reports and send knob changes;
nothing here trains or holds a second copy of the run's state."""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (QDockWidget, QFrame, QLabel, QMainWindow, QPushButton, QScrollArea,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.targets import make_target
from ganviz.core.snapshot import Snapshot
from ganviz.draw import style as st
from ganviz.engine.messages import SLOW_MOTION
from ganviz.presets import DEFAULT, Preset, initial_run, list_presets
from ganviz.ui import file_actions, guides, keys, menus, run_bar
from ganviz.ui.controls import Controls
from ganviz.ui.figure_view import FigureView
from ganviz.ui.header import Header
from ganviz.ui.panels import PANELS
from ganviz.ui.session import LiveSession
from ganviz.ui.timeline import TimelineBar
from ganviz.ui.view_modes import ViewModes

KEYS = [("Space", "play / pause"), (".", "one iteration (k D steps, then G steps)"), ("D", "one D update"),
        ("G", "one G update"), ("R", "reset: new nets from the seed, same knobs"), ("F", "full screen"),
        ("Ctrl+P", "presenter mode"), ("Ctrl+= / Ctrl+- / Ctrl+0", "larger / smaller / normal type"),
        ("Ctrl+E", "export animation"), ("Ctrl+1", "export Figure 1 panels (a)–(d)"), ("Ctrl+S / Ctrl+M",
        "save figure / metrics"), ("Ctrl+O / Ctrl+Shift+S", "open / save config"), ("Ctrl+L / Ctrl+B",
        "sweep lab / side by side"), ("PageDown / →", "lesson: run, reveal the answer, next scene"),
        ("PageUp / ←", "lesson: previous scene"), ("Home", "lesson: replay the scene"), ("F1", "these keys")]


TITLE_1D = "ganviz — Goodfellow et al. 2014, Figure 1, live"


class MainWindow(ViewModes, QMainWindow):
    frame_shown = Signal(object)  # Snapshot, after it is drawn (tests and the scripted mode wait on it)
    file_written = Signal(str)  # a background write ended (the status bar's text: saved, or why not)
    theme_changed = Signal(bool)  # dark or not (the sweep lab and side by side follow)

    def __init__(self, cfg: TrainConfig | None = None, preset: Preset | None = None,
                 settings: QSettings | None = None, started=None):
        super().__init__()
        self.settings = settings
        self.style = st.Style()
        self.presets = _safe_presets()
        config, self.preset = initial_run(cfg, preset)
        self.user_changed = False  # a knob was turned since the run started (the preset box says "modified")
        self._resetting = False
        self.auto_pause = False
        self.presenting = False
        self.controls_wanted = True  # View ▸ Show controls
        self._timeline_at = 0.0
        self.writes: list = []  # figures being written in the background (file_actions.BackgroundWrite)
        self.guide = None  # a lesson or a challenge being played (ui/guides.py): its text beside the figure
        from PySide6.QtWidgets import QApplication
        self._base_font = QApplication.font()
        self.setWindowTitle(TITLE_1D)
        self.session = LiveSession(config, self, started=started)  # the app may have started its process already
        self._build(config)
        self._connect()
        self.fit_to_screen()
        self.apply_layout()
        self._start_run(config, self.preset)

    # --- layout ---------------------------------------------------------------------------------
    def _build(self, cfg: TrainConfig) -> None:
        self.figure = FigureView(self.style)
        self.timeline_bar = TimelineBar()
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.RichText)
        self.explain.setMargin(8)
        self.header = Header(self.style)
        self.badge = self.header.badge
        self.explain_box = QScrollArea()
        self.explain_box.setWidget(self.explain)
        self.explain_box.setWidgetResizable(True)
        self.explain_box.setFrameShape(QFrame.Shape.NoFrame)
        self.explain_box.setMaximumHeight(120)
        left = QWidget()
        lay = self.left_layout = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.header)
        lay.addWidget(self.figure, 1)
        lay.addWidget(self.timeline_bar)
        lay.addWidget(self.explain_box)
        self.tabs = QTabWidget()
        self.panels = {}  # every registered panel (ui/panels), one tab each
        for cls in PANELS:
            self.panels[cls.name] = cls(self.style)
            self.tabs.addTab(self.panels[cls.name], cls.tab_label)
        self.tabs.currentChanged.connect(self._on_tab)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(self.tabs)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.setCentralWidget(self.split)

        self.controls = Controls(cfg)
        scroll = self.controls_scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        dock = QDockWidget("Controls")
        dock.setObjectName("controls")
        dock.setWidget(scroll)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.controls_dock = dock

        bar = run_bar.build(self, self.presets)
        self.addToolBar(bar)
        self.toolbar = bar
        self.reset_offer = QPushButton("Reset")
        self.reset_offer.setVisible(False)
        self.statusBar().addPermanentWidget(self.reset_offer)
        menus.build_menus(self)
        self._keys = keys.install(self, {
            Qt.Key.Key_Space: self.session.toggle, Qt.Key.Key_Period: lambda: self.session.step_once("iteration"),
            Qt.Key.Key_D: lambda: self.session.step_once("D"), Qt.Key.Key_G: lambda: self.session.step_once("G"),
            Qt.Key.Key_R: self.reset_run, Qt.Key.Key_F: self.toggle_full_screen})

    def _connect(self) -> None:
        s = self.session
        s.frame_ready.connect(self._on_frame)
        s.records_added.connect(self._on_records)
        s.status_changed.connect(self._on_status)
        s.notice.connect(self._on_notice)
        s.failed.connect(self._on_failed)
        s.run_started.connect(self._on_run_started)
        s.restarted.connect(self._on_restarted)
        c = self.controls
        c.knobs_changed.connect(self._on_knobs_changed)
        c.error.connect(self.show_error)
        self.play_btn.clicked.connect(s.toggle)
        self.buttons["step"].clicked.connect(lambda: s.step_once("iteration"))
        self.buttons["D"].clicked.connect(lambda: s.step_once("D"))
        self.buttons["G"].clicked.connect(lambda: s.step_once("G"))
        self.buttons["reset"].clicked.connect(self.reset_run)
        self.reset_offer.clicked.connect(self.reset_run)
        self.speed.currentIndexChanged.connect(self._on_speed)
        self.preset_box.activated.connect(self._on_preset_chosen)
        self.timeline_bar.frame_chosen.connect(self._on_frame_chosen)
        self.timeline_bar.restart_requested.connect(self._on_restart_requested)
        self.timeline_bar.back_to_live.connect(self._on_back_to_live)
        self.figure.mixture_edited.connect(self._on_mixture_dragged)

    # --- runs -----------------------------------------------------------------------------------
    def _start_run(self, config: TrainConfig, preset: Preset | None) -> None:
        self.preset = preset
        self.session.new_run(config, preset.schedule if preset else None, preset.x_range if preset else None)
        self._show_preset_text()
        self._sync_preset_box()

    def _on_run_started(self, recording) -> None:
        self.user_changed = self._resetting and self.user_changed  # Reset keeps the knobs (and the mark)
        self._resetting = False
        self.timeline_bar.go_live()
        self.figure.panel.blank()
        self.figure.panel.reset_axes(self.preset.x_range if self.preset else None)
        self._preview(recording.config)
        for panel in self.panels.values():
            panel.set_recording(recording)
            panel.blank()
        self.timeline_bar.refresh(recording)
        self.reset_offer.setVisible(False)
        self._set_badge("ready")
        self.header.set_step("step 0")
        self.header.set_rate("")
        self._sync_preset_box()

    def _preview(self, cfg: TrainConfig) -> None:
        """p_data at once, before the first frame (a CSV that cannot be read is the training process's to say)."""
        try:
            target = make_target(cfg)
        except ConfigError:
            return
        plane = getattr(target, "dim", 1) == 2
        self.figure.set_kind("2d" if plane else "1d")  # the figure the target asks for
        self.setWindowTitle("ganviz — the GAN game in the plane, live" if plane else TITLE_1D)
        if hasattr(self.figure.panel, "preview"):
            self.figure.panel.preview(target)

    def load_preset(self, preset: Preset) -> None:
        self._start_run(preset.config, preset)
        self.statusBar().showMessage(f"Preset: {preset.title} — press Space to play", 8000)

    def load_config(self, cfg: TrainConfig, message: str = "New run from the chosen config") -> None:
        """A new run from ``cfg`` (a sweep cell, an opened config file, restore defaults)."""
        self._start_run(cfg, None)
        self.statusBar().showMessage(f"{message} — press Space to play", 8000)

    def reset_run(self) -> None:
        self._resetting = True
        self.session.reset()
        self.statusBar().showMessage("New networks from the seed (same knobs) — press Space to play", 5000)

    def _on_restart_requested(self, snap: Snapshot) -> None:
        self.session.restart_from(snap.step)
        self.figure.show_snapshot(snap)

    def _on_restarted(self, step: int) -> None:
        for panel in self.panels.values():
            panel.records_changed(force=True)  # the abandoned future leaves the curves now
        self.timeline_bar.refresh(self.session.recording)
        self._update_badge()
        self.statusBar().showMessage(f"Restarted from step {step}: its weights, optimizer state and random "
                                     "stream, with today's knobs", 8000)

    # --- from the session -----------------------------------------------------------------------
    def _on_frame(self, snap: Snapshot) -> None:
        now = time.perf_counter()
        if not self.session.playing or now - self._timeline_at > 0.25:  # the slider needs no 60 Hz
            self._timeline_at = now
            self.timeline_bar.refresh(self.session.recording)
        if self.timeline_bar.scrubbing:
            return  # looking at the past: the recorded frame stays on screen
        self.figure.panel.settle = not self.session.playing
        self.figure.show_snapshot(snap)
        self._current_panel().show_snapshot(snap)
        self.header.set_step(f"step {snap.step}")
        if self.diagnosis == "ready" and (snap.step > 0 or snap.player):
            self._update_badge()  # the first update happened: no longer "ready", whatever the records say
        self.frame_shown.emit(snap)

    def _on_records(self) -> None:
        for panel in self.panels.values():
            panel.records_changed(force=not self.session.playing)
        self._update_badge()

    def _on_status(self, status) -> None:
        self.controls.set_config(status.config)
        for panel in self.panels.values():
            panel.set_config(status.config)
        self.play_btn.setText("❚❚ Pause" if status.playing else "▶ Play")
        self.header.set_rate(f"{status.rate:,.0f} it/s" if status.playing else "paused")
        cfg = status.config
        if hasattr(self.figure.panel, "set_mixture_handles"):  # (the 1-D figure's draggable components)
            self.figure.panel.set_mixture_handles(cfg.mixture_means if cfg.target == "mixture" else None,
                                                  cfg.mixture_stds)
        self._update_badge()

    def _on_notice(self, text: str, level: str) -> None:
        if level == "error":
            self.show_error(text)
        else:
            self.statusBar().showMessage(("Script: " if level == "script" else "") + text, 8000)

    def _on_failed(self, message: str) -> None:
        self._set_badge("diverged")
        self.reset_offer.setVisible(True)
        self.show_error(f"{message}. Paused — press Reset (R) to start again.")

    def show_error(self, message: str) -> None:
        """A refused value, file or run: in the banner above the figure (readable from the back of the room)
        and in the status line."""
        self.statusBar().showMessage(f"⚠ {message}", 15000)
        self.header.show_message(f"⚠ {message}")

    def show_keys(self) -> None:
        """F1: the keys, in a window of their own (large enough to read on a projector)."""
        from PySide6.QtWidgets import QMessageBox
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in KEYS)
        box = QMessageBox(QMessageBox.Icon.NoIcon, "ganviz — keys", f"<table>{rows}</table>", parent=self)
        box.setModal(False)
        box.show()
        self.keys_box = box

    # --- panels ---------------------------------------------------------------------------------
    def _current_panel(self):
        widget = self.tabs.currentWidget()
        return widget if widget in self.panels.values() else next(iter(self.panels.values()))

    def _on_tab(self, _index: int) -> None:
        """A panel that was hidden catches up with the frame on screen."""
        if self.figure.last is not None:
            self._current_panel().show_snapshot(self.figure.last)

    @property
    def metrics(self):
        return self.panels["metrics"]

    @property
    def loss_panel(self):
        return self.panels["loss"]

    @property
    def dirac_panel(self):
        return self.panels["dirac"]

    # --- badge ----------------------------------------------------------------------------------
    def _update_badge(self) -> None:
        if self.session.failure:
            return
        found, head = self.session.recording.diagnosis()
        last = self.session.recording.frames[-1] if self.session.recording.frames else None
        started = self.session.step > 0 or self.session.playing or (last is not None and (last.step or last.player))
        if head == "ready" and started:
            head = "warming_up"  # updates have happened, the first records are not in yet
        self._set_badge(head)
        if self.auto_pause and head == "equilibrium" and self.session.playing:
            self.session.pause()
            self.statusBar().showMessage("Paused: Nash equilibrium reached (p_g ≈ p_data, D ≈ ½)", 8000)

    def _set_badge(self, key: str) -> None:
        self.diagnosis = key
        cfg = self.session.config
        self.header.set_state(key, {"lr_d": cfg.lr_d, "lr_g": cfg.lr_g})

    # --- controls -------------------------------------------------------------------------------
    def _on_knobs_changed(self, knobs: dict) -> None:
        self.user_changed = True
        self._sync_preset_box()
        self.session.set_knobs(**knobs)

    def _on_mixture_dragged(self, means: list, stds: list) -> None:
        cfg = self.session.config
        n = min(len(means), len(cfg.mixture_weights))
        self._on_knobs_changed({"target": "mixture", "mixture_weights": cfg.mixture_weights[:n],
                                "mixture_means": means[:n], "mixture_stds": stds[:n]})

    def _on_speed(self, index: int) -> None:
        speed = float(self.speed.itemData(index))
        self.session.set_speed(speed)
        self.figure.set_option("player", 0 < speed <= SLOW_MOTION)

    def _on_frame_chosen(self, snap: Snapshot) -> None:
        if self.session.playing:
            self.session.pause()
        self.figure.show_snapshot(snap)
        self.header.set_step(f"viewing step {snap.step}")

    def _on_back_to_live(self) -> None:
        frames = self.session.recording.frames
        if frames:
            self.figure.show_snapshot(frames[-1])

    # --- presets --------------------------------------------------------------------------------
    def _on_preset_chosen(self, index: int) -> None:
        name = self.preset_box.itemData(index)
        preset = next((p for p in self.presets if p.name == name), None)
        if preset is not None:
            self.load_preset(preset)
        else:
            self._sync_preset_box()

    def _sync_preset_box(self) -> None:
        """The box shows the preset the run started from (marked when a knob was turned since)."""
        box = self.preset_box
        box.blockSignals(True)
        for p in self.presets:
            mine = self.preset is not None and p.name == self.preset.name
            box.setItemText(box.findData(p.name), p.title + (" (modified)" if mine and self.user_changed else ""))
        index = box.findData(self.preset.name) if self.preset else box.count() - 1
        box.setCurrentIndex(index if index >= 0 else box.count() - 1)  # a lesson's own config: "custom"
        box.blockSignals(False)

    def refresh_explanation(self) -> None:
        """The text beside the figure again (a lesson's scene or stage, or a challenge's state, changed)."""
        self._show_preset_text()

    def _show_preset_text(self) -> None:
        if self.guide is not None:
            self.explain.setText(self.guide.html(self.style))
            return
        p, s = self.preset, self.style
        if p is None:
            text = ("<b>Your own run.</b> Press Space to play; turn any knob while it trains. "
                    "Pick a preset above for one phenomenon per click.")
        else:
            algo = f"<br><span style='color:{s.theme.muted}'>{p.algorithm}</span>" if p.algorithm else ""
            text = f"<b>{p.title}.</b> {p.explanation}{algo}"
        self.explain.setText(f"<span style='font-size:{s.css_size(11)}; color:{s.theme.foreground}'>{text}</span>")

    def _default_preset(self) -> Preset | None:
        """At launch: the paper's Figure 1 (a lecture starts where the paper does)."""
        return next((p for p in self.presets if p.name == DEFAULT), self.presets[0] if self.presets else None)

    # --- files and windows ----------------------------------------------------------------------
    def save_figure(self, path: str | None = None, width: int | None = None) -> None:
        file_actions.save_figure(self, path, width)

    def save_metrics(self, path: str | None = None) -> None:
        file_actions.save_metrics(self, path)

    def save_config(self, path: str | None = None) -> None:
        file_actions.save_config(self, path)

    def open_config(self, path: str | None = None) -> None:
        file_actions.open_config(self, path)

    def restore_defaults(self) -> None:
        """Back to what the app starts with: the paper's Figure 1 preset."""
        preset = self._default_preset()
        if preset is None:
            self.load_config(TrainConfig(), "Defaults restored")
            return
        self._start_run(preset.config, preset)
        self.statusBar().showMessage(f"Defaults restored: {preset.title} — press Space to play", 8000)

    def open_preset_or_config(self, cfg: TrainConfig, message: str) -> None:
        """A config that is a preset's (a saved preset, say) runs as that preset: its script, its axes, its
        name in the box; any other config is a run of its own ("custom")."""
        preset = next((p for p in self.presets if p.config == cfg), None)
        if preset is not None:
            self._start_run(cfg, preset)
            self.statusBar().showMessage(f"{message}: the preset {preset.title} — press Space to play", 8000)
        else:
            self.load_config(cfg, message)

    def open_export(self) -> None:
        from ganviz.ui.export_dialog import ExportDialog
        if self.session.playing:
            self.session.pause()
        self.export_dialog = ExportDialog(self)
        self.export_dialog.show()

    def open_lesson(self, lesson, scene: int = 1) -> None:
        """Play a lesson (or the shipped one of that name) from ``scene``, in presenter mode (ui/guides.py)."""
        guides.open_lesson(self, lesson, scene)

    def open_challenge(self, challenge) -> None:
        guides.open_challenge(self, challenge)

    def open_figure1(self, path: str | None = None) -> None:
        file_actions.export_figure1(self, path)

    def open_sweep(self) -> None:
        """The sweep lab (the same window again, with its grid and settings, if it was opened before)."""
        from ganviz.ui.sweep_window import SweepWindow
        if getattr(self, "sweep_window", None) is None:
            self.sweep_window = SweepWindow(self.session.config, self)
            self.sweep_window.cell_opened.connect(self._open_cell)
        elif self.sweep_window.bridge is None:
            self.sweep_window.base = self.session.config  # a new grid starts from the run as it is now
        self.sweep_window.show()
        self.sweep_window.raise_()
        self.sweep_window.activateWindow()

    def _open_cell(self, cfg: TrainConfig) -> None:
        self.load_config(cfg, "Opened the sweep's cell")
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def open_compare(self) -> None:
        from ganviz.ui.compare_window import CompareWindow
        self.compare_window = CompareWindow(self.session.config, self.style, self)
        self.compare_window.show()
        self.compare_window.start()

    # --- persistence and shutdown --------------------------------------------------------------
    def closeEvent(self, event) -> None:
        dialog = getattr(self, "export_dialog", None)
        if dialog is not None:
            dialog.cancel()  # an export in flight is cancelled: no file is left behind
        guides.close_guide(self)
        from PySide6.QtWidgets import QApplication
        QApplication.setFont(self._base_font)  # the presenter scale belongs to this window
        for name in ("sweep_window", "compare_window", "export_dialog"):
            if getattr(self, name, None) is not None:
                getattr(self, name).close()
        self.save_screen_geometry()
        self.session.stop()
        super().closeEvent(event)
        from PySide6.QtWidgets import QApplication
        if QApplication.instance() is not None and self.settings is not None:
            QApplication.instance().quit()  # the app ends with its main window, whatever dialog is still open


def _safe_presets() -> list[Preset]:
    try:
        return list_presets()
    except ConfigError:
        return []
