"""The main window: the figure, the metrics, the controls, the status line; binds them to the worker."""

from __future__ import annotations

import json
from collections import deque

from PySide6.QtCore import QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDockWidget, QLabel, QMainWindow, QPushButton, QScrollArea, QSplitter,
                               QToolBar, QVBoxLayout, QWidget)

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.diagnose import LABELS, diagnose, headline, is_equilibrium
from ganviz.core.snapshot import Snapshot
from ganviz.engine.history import History
from ganviz.engine.worker import TrainingWorker
from ganviz.presets import Preset, list_presets
from ganviz.ui import file_actions, menus
from ganviz.ui import style as st
from ganviz.ui.controls import Controls
from ganviz.ui.figure_view import FigureView
from ganviz.ui.metrics_view import MetricsView
from ganviz.ui.timeline import TimelineBar

DIAGNOSE_EVERY = 8  # frames between detector runs
POLL_MS = 15  # how often the GUI takes the worker's newest Snapshot (≈ 60 Hz)


class MainWindow(QMainWindow):
    frame_shown = Signal(object)  # Snapshot, after it is drawn (tests and the scripted mode wait on it)
    trainer_state_changed = Signal(object)  # dict: what the trainer uses on its next step

    def __init__(self, cfg: TrainConfig | None = None, preset: Preset | None = None,
                 settings: QSettings | None = None, engine: str = "process"):
        super().__init__()
        self.settings = settings
        self.engine = engine
        self.trainer_state: dict = {}
        self.style = st.Style()
        self.presets = _safe_presets()
        self.preset = preset
        self.history: deque[dict] = deque(maxlen=400)
        self.n_modes = 1
        self.auto_pause = False
        self.diagnosis = "training"
        self.thread: QThread | None = None
        self.worker: TrainingWorker | None = None
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._drain)
        cfg = cfg or (preset.config if preset else None) or self._saved_config() or TrainConfig()
        self.cfg = cfg
        self.setWindowTitle("ganviz — Goodfellow et al. 2014, Figure 1, live")
        self._build(cfg)
        if settings is not None and settings.value("geometry") is not None:
            self.restoreGeometry(settings.value("geometry"))
        else:
            self.resize(1600, 900)
        if preset:
            self._show_preset_text(preset)
            self.figure.set_fixed_x(preset.view.get("x"))
        self.start_worker(cfg)

    # --- layout ---------------------------------------------------------------------------------
    def _build(self, cfg: TrainConfig) -> None:
        self.figure = FigureView(self.style)
        self.metrics = MetricsView(self.style)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.RichText)
        self.explain.setMargin(8)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.figure, 1)
        self.timeline_bar = TimelineBar(cfg)
        self.timeline_bar.frame_chosen.connect(self._on_frame_chosen)
        self.timeline_bar.restart_requested.connect(self._on_restart_requested)
        self.scrub, self.scrub_label = self.timeline_bar.slider, self.timeline_bar.label
        self.restart_here = self.timeline_bar.restart
        lay.addWidget(self.timeline_bar)
        lay.addWidget(self.explain)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.metrics)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.setCentralWidget(split)

        self.controls = Controls(cfg)
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(340)
        dock = QDockWidget("Controls")
        dock.setObjectName("controls")
        dock.setWidget(scroll)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.controls_dock = dock

        bar = QToolBar("Presets")
        bar.setObjectName("presets")
        bar.setMovable(False)
        bar.addWidget(QLabel(" Preset: "))
        self.preset_box = QComboBox()
        self.preset_box.addItem("(custom)", None)
        for p in self.presets:
            self.preset_box.addItem(p.title, p.name)
            self.preset_box.setItemData(self.preset_box.count() - 1, p.summary, Qt.ItemDataRole.ToolTipRole)
        if self.preset:
            self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(self.preset.name)))
        self.preset_box.currentIndexChanged.connect(self._on_preset_chosen)
        bar.addWidget(self.preset_box)
        self.addToolBar(bar)

        self.step_label, self.rate_label, self.jsd_label = QLabel(), QLabel(), QLabel()
        self.badge = QLabel()
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reset_offer = QPushButton("Reset")
        self.reset_offer.setVisible(False)
        self.reset_offer.clicked.connect(self.reset_run)
        sb = self.statusBar()
        for w in (self.step_label, self.rate_label, self.jsd_label, self.badge, self.reset_offer):
            sb.addPermanentWidget(w)
        self._set_badge("training")

        c = self.controls
        c.knobs_changed.connect(self._on_knobs_changed)
        c.error.connect(self.show_error)
        c.play_toggled.connect(lambda on: self.worker.play() if on else self.worker.pause())
        c.step_d.connect(lambda: self.worker.step_d())
        c.step_g.connect(lambda: self.worker.step_g())
        c.step_once.connect(lambda: self.worker.step_once())
        c.reset.connect(self.reset_run)
        c.speed_changed.connect(lambda v: self.worker.set_speed(v))
        c.d_star_toggled.connect(self.figure.set_d_star_visible)
        c.auto_pause_toggled.connect(lambda on: setattr(self, "auto_pause", on))
        c.window_changed.connect(self.metrics.set_window)
        self.figure.mixture_edited.connect(self._on_mixture_dragged)

        menus.build_menus(self)
        menus.install_shortcuts(self)

    # --- worker ---------------------------------------------------------------------------------
    def start_worker(self, cfg: TrainConfig) -> None:
        self.stop_worker()
        self.cfg = cfg
        self._configure_for(cfg)
        self.thread = QThread()
        self.trainer_state = {}
        self.worker = TrainingWorker(cfg, mode=self.engine)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self.thread.quit)
        self.thread.start()
        if self.preset is not None and self.preset.config == cfg and self.preset.schedule:
            self.worker.set_schedule(self.preset.schedule)  # the knob changes the preset makes on its own
        self.poll.start()

    def _drain(self) -> None:
        """Timer slot: apply what the worker posted since the last tick (only the newest Snapshot draws)."""
        if self.worker is None:
            return
        handlers = {"state": self.controls.set_playing, "diverged": self._on_diverged,
                    "scheduled": self._on_scheduled,
                    "failed": self.show_error, "reset": self._on_reset_done, "trainer": self._on_trainer_state}
        snap = None
        for kind, value in self.worker.collect():
            if kind == "snapshot":
                snap = value
            else:
                handlers[kind](value)
        if snap is not None:
            self._on_snapshot(snap)

    def stop_worker(self, timeout_ms: int = 3000) -> None:
        self.poll.stop()
        if self.worker is None:
            return
        self.worker.stop()
        self.thread.quit()
        self.thread.wait(timeout_ms)
        self.worker.deleteLater()
        self.thread.deleteLater()
        self.worker = self.thread = None

    def _on_mixture_dragged(self, means: list, stds: list) -> None:
        weights = self.cfg.mixture_weights
        self.controls.set_components(list(zip(weights, means, stds)))

    def _configure_for(self, cfg: TrainConfig) -> None:
        from ganviz.core.targets import make_target
        if cfg.target == "mixture":
            self.figure.set_mixture_handles(cfg.mixture_means, cfg.mixture_stds)
        else:
            self.figure.set_mixture_handles(None)
        try:
            self.n_modes = len(make_target(cfg).modes())
        except ConfigError:
            self.n_modes = 1
        self.history.clear()
        self.metrics.reset_curves()
        self.timeline_bar.reset(cfg)

    # --- slots ----------------------------------------------------------------------------------
    @property
    def timeline(self) -> History:
        return self.timeline_bar.history

    @property
    def scrubbing(self) -> bool:
        return self.timeline_bar.scrubbing

    def _on_frame_chosen(self, snap: Snapshot) -> None:
        if self.worker is not None and self.worker.playing:
            self.worker.pause()
        self.figure.show_snapshot(snap)

    def _on_restart_requested(self, snap: Snapshot) -> None:
        if self.worker is not None:
            self.worker.rewind(self.worker_config(), snap.weights, snap.step)
            self.statusBar().showMessage(f"Restarted from step {snap.step} with the weights recorded there", 5000)

    def _on_snapshot(self, snap: Snapshot) -> None:
        if not self.timeline_bar.add(snap, self.worker is not None and self.worker.playing):
            return  # looking at the past: keep the recorded frame on screen
        self.figure.show_snapshot(snap)
        self.metrics.add(snap, force_draw=self.worker is None or not self.worker.playing)
        if self.history and snap.step < self.history[-1]["step"]:
            self.history.clear()
        if not self.history or snap.step > self.history[-1]["step"]:
            self.history.append(snap.record())
        playing = self.worker is not None and self.worker.playing
        if len(self.history) % DIAGNOSE_EVERY == 0 or not playing:
            found = diagnose(list(self.history), self.n_modes)
            self._set_badge(headline(found, list(self.history)))
            if self.auto_pause and playing and len(self.history) > 10 and is_equilibrium(
                    list(self.history)):
                self.worker.pause()
                self.statusBar().showMessage("Paused: Nash equilibrium reached (p_g ≈ p_data, D ≈ ½)", 8000)
        rate = snap.metrics.get("steps_per_second", 0.0)
        self.step_label.setText(f"  step {snap.step}  ")
        self.rate_label.setText(f"  {rate:,.0f} steps/s  ")
        self.jsd_label.setText(f"  JSD {snap.jsd:.4f}  ")
        self.frame_shown.emit(snap)

    def _on_scheduled(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        self.controls.set_config(self.worker_config())

    def _on_trainer_state(self, state: dict) -> None:
        self.trainer_state = state
        self.cfg = state["cfg"]
        self.trainer_state_changed.emit(state)

    def _on_knobs_changed(self, knobs: dict) -> None:
        self._mark_custom()
        self.worker.set_knobs(**knobs)
        if any(k.startswith(("target", "mixture", "uniform", "data")) for k in knobs):
            try:
                self.cfg = self.cfg.replace(**knobs)
                from ganviz.core.targets import make_target
                self.n_modes = len(make_target(self.cfg).modes())
            except ConfigError:
                return  # the worker reports the problem in the status bar
            self.history.clear()  # the detectors judge the new target from here on
            cfg = self.cfg  # rebuild the bands after the drag that moved them has finished
            QTimer.singleShot(0, lambda: self.figure.set_mixture_handles(
                cfg.mixture_means if cfg.target == "mixture" else None, cfg.mixture_stds))

    def _on_reset_done(self, cfg: TrainConfig) -> None:
        self.cfg = cfg
        self.history.clear()
        self.metrics.reset_curves()
        self.reset_offer.setVisible(False)
        self.statusBar().showMessage("New networks from the seed", 3000)

    def _on_diverged(self, message: str) -> None:
        self._set_badge("diverged")
        self.reset_offer.setVisible(True)
        self.show_error(f"{message}. Paused — press Reset (R) to start again.")

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(f"⚠ {message}", 15000)

    def reset_run(self) -> None:
        if self.worker is None or self.thread is None or not self.thread.isRunning():
            self.start_worker(self.cfg)  # the training process ended: start a fresh one
        else:
            self.worker.reset()

    def _set_badge(self, key: str) -> None:
        self.diagnosis = key
        color = st.BADGE_COLORS.get(key, "#7f7f7f")
        self.badge.setText(f"  {LABELS.get(key, key)}  ")
        self.badge.setStyleSheet(f"background:{color}; color:white; border-radius:6px; padding:2px 8px;"
                                 f"font-weight:bold; font-size:{self.style.css_size(11)}")

    # --- presets --------------------------------------------------------------------------------
    def _on_preset_chosen(self, index: int) -> None:
        name = self.preset_box.itemData(index)
        if not name:
            return
        preset = next(p for p in self.presets if p.name == name)
        self.load_preset(preset)

    def load_preset(self, preset: Preset) -> None:
        self.preset = preset
        self.controls.set_config(preset.config)
        self.figure.set_fixed_x(preset.view.get("x"))
        self._show_preset_text(preset)
        self.start_worker(preset.config)
        self.statusBar().showMessage(f"Preset: {preset.title} — press Space to play", 5000)

    def _show_preset_text(self, preset: Preset) -> None:
        fs = self.style.css_size(11)
        algo = f"<br><span style='color:#555'>{preset.algorithm}</span>" if preset.algorithm else ""
        self.explain.setText(f"<span style='font-size:{fs}'><b>{preset.title}.</b> {preset.explanation}{algo}"
                             "</span>")

    def _mark_custom(self) -> None:
        if self.preset_box.currentIndex() != 0:
            self.preset_box.blockSignals(True)
            self.preset_box.setCurrentIndex(0)
            self.preset_box.blockSignals(False)

    # --- view -----------------------------------------------------------------------------------
    def set_scale(self, scale: float) -> None:
        scale = min(max(scale, 0.6), 4.0)
        self.style.scale = scale
        self.figure.apply_style()
        self.metrics.apply_style()
        font = self.font()
        font.setPointSizeF(10 * scale)
        self.setFont(font)  # menus, toolbar, timeline, controls and status line inherit it
        self._set_badge(self.diagnosis)
        if self.preset:
            self._show_preset_text(self.preset)

    def set_presenter(self, on: bool) -> None:
        """For a projector: everything twice as large, the figure and metrics get the whole width."""
        self.set_scale(2.0 if on else 1.0)
        self.controls_dock.setVisible(not on)

    def _on_dark(self, dark: bool) -> None:
        self.style.dark = dark
        self.figure.apply_style()
        self.metrics.apply_style()

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _on_export(self) -> None:
        from ganviz.ui.export_dialog import ExportDialog
        was_playing = self.worker is not None and self.worker.playing
        if was_playing:
            self.worker.pause()
        ExportDialog(self, self.worker_config(), x_range=self.figure.fixed_x,
                     schedule=self.preset.schedule if self.preset else None).exec()

    def open_sweep(self) -> None:
        from ganviz.ui.sweep_window import SweepWindow
        self.sweep_window = SweepWindow(self.worker_config())
        self.sweep_window.cell_opened.connect(self.load_config)
        self.sweep_window.show()

    def open_compare(self) -> None:
        from ganviz.ui.compare_window import CompareWindow
        self.compare_window = CompareWindow(self.worker_config(), self.style)
        self.compare_window.show()
        self.compare_window.start()

    def load_config(self, cfg: TrainConfig) -> None:
        """Start a new run from ``cfg`` (a sweep cell, a saved config)."""
        self.preset = None
        self._mark_custom()
        self.controls.set_config(cfg)
        self.figure.set_fixed_x(None)
        self.start_worker(cfg)
        self.statusBar().showMessage("New run from the chosen config — press Space to play", 5000)

    def save_figure(self, path: str | None = None) -> None:
        file_actions.save_figure(self, path)

    def save_metrics(self, path: str | None = None) -> None:
        file_actions.save_metrics(self, path)

    def save_config(self, path: str | None = None) -> None:
        file_actions.save_config(self, path)

    def worker_config(self) -> TrainConfig:
        """The config the trainer runs now (knob changes included)."""
        return self.trainer_state.get("cfg", self.cfg)

    # --- persistence and shutdown --------------------------------------------------------------
    def _saved_config(self) -> TrainConfig | None:
        if self.settings is None:
            return None
        text = self.settings.value("config")
        try:
            return TrainConfig.from_dict(json.loads(text)) if text else None
        except (ConfigError, ValueError, TypeError):
            return None

    def closeEvent(self, event) -> None:
        for name in ("sweep_window", "compare_window"):
            if getattr(self, name, None) is not None:
                getattr(self, name).close()
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("config", self.worker_config().to_json())
        self.stop_worker()
        super().closeEvent(event)


def _safe_presets() -> list[Preset]:
    try:
        return list_presets()
    except ConfigError:
        return []
