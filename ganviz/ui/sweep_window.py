"""The sweep lab: pick two axes, train the whole grid at once, watch the phase diagram fill in.

Hovering a cell shows its numbers; clicking it opens that cell's exact config as a new run in the main
window. The grid trains in a background thread and hands results over through a lock (newest wins).
"""

from __future__ import annotations

import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.diagnose import LABELS
from ganviz.core.ensemble import PER_MEMBER
from ganviz.sweep import OUTCOME_COLORS, Axis, cell_config, iter_sweep, parse_axis, sweep_configs

DEFAULTS = {"lr_d": (1e-4, 1e-1, True), "lr_g": (1e-4, 1e-1, True), "d_steps": (1, 10, False),
            "g_steps": (1, 10, False), "seed": (0, 15, False), "momentum": (0.0, 0.95, False),
            "beta1": (0.0, 0.9, False)}


class AxisEditor(QWidget):
    def __init__(self, key: str, n: int = 12):
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.key = QComboBox()
        for k in PER_MEMBER:
            self.key.addItem(k)
        self.lo, self.hi = QDoubleSpinBox(), QDoubleSpinBox()
        for w in (self.lo, self.hi):
            w.setDecimals(5)
            w.setRange(0, 1e6)
        self.n = QSpinBox()
        self.n.setRange(1, 32)
        self.n.setValue(n)
        self.log = QCheckBox("log")
        for w in (self.key, QLabel("from"), self.lo, QLabel("to"), self.hi, QLabel("cells"), self.n, self.log):
            lay.addWidget(w)
        self.key.currentTextChanged.connect(self._defaults)
        self.key.setCurrentText(key)
        self._defaults(key)

    def _defaults(self, key: str) -> None:
        lo, hi, log = DEFAULTS.get(key, (0, 1, False))
        self.lo.setValue(lo)
        self.hi.setValue(hi)
        self.log.setChecked(log)
        categorical = key == "g_loss"
        for w in (self.lo, self.hi, self.log):
            w.setEnabled(not categorical)

    def spec(self) -> str:
        key = self.key.currentText()
        if key == "g_loss":
            return "g_loss=saturating,non_saturating,least_squares"
        return f"{key}={self.lo.value():g}:{self.hi.value():g}:{'log' if self.log.isChecked() else 'lin'}:{self.n.value()}"


class SweepWindow(QWidget):
    cell_opened = Signal(object)  # TrainConfig of the clicked cell

    def __init__(self, base: TrainConfig):
        super().__init__()
        self.setWindowTitle("ganviz — sweep lab")
        self.base = base
        self.result: dict | None = None
        self._lock = threading.Lock()
        self._latest: dict | None = None
        self._error: str | None = None
        self._stop = False
        self._thread: threading.Thread | None = None
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.x_axis, self.y_axis = AxisEditor("lr_d"), AxisEditor("lr_g")
        self.steps = QSpinBox()
        self.steps.setRange(10, 100_000)
        self.steps.setValue(min(base.steps, 1000))
        form.addRow("x axis", self.x_axis)
        form.addRow("y axis", self.y_axis)
        form.addRow("steps", self.steps)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.run_btn = QPushButton("Train the grid")
        self.run_btn.clicked.connect(self.start)
        self.stop_btn = QPushButton("Stop")
        self.stop_btn.clicked.connect(self.stop)
        self.status = QLabel("Choose two axes and press Train.")
        self.color_by = QComboBox()
        for text, key in (("colour by outcome", "outcome"), ("colour by final JSD", "jsd"),
                          ("colour by final d_dev", "d_dev")):
            self.color_by.addItem(text, key)
        self.color_by.currentIndexChanged.connect(lambda _: self.result and self.show_result(self.result))
        row.addWidget(self.run_btn)
        row.addWidget(self.stop_btn)
        row.addWidget(self.color_by)
        row.addWidget(self.status, 1)
        lay.addLayout(row)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        lay.addWidget(self.plot, 1)
        legend = QHBoxLayout()
        for name, (r, g, b) in OUTCOME_COLORS.items():
            label = QLabel(f"■ {LABELS.get(name, name)}")
            label.setStyleSheet(f"color: rgb({r},{g},{b}); font-weight: bold")
            legend.addWidget(label)
        lay.addLayout(legend)
        self.hover = QLabel(" ")
        lay.addWidget(self.hover)
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self.resize(1000, 800)

    # --- running --------------------------------------------------------------------------------
    def start(self) -> None:
        try:
            x, y = parse_axis(self.x_axis.spec()), parse_axis(self.y_axis.spec())
            sweep_configs(self.base, x, y)
        except ConfigError as exc:
            self.status.setText(f"⚠ {exc}")
            return
        self.stop()
        self._stop = False
        self._axes = (x, y)
        self._thread = threading.Thread(target=self._work, args=(x, y, self.steps.value()), daemon=True)
        self._thread.start()
        self.timer.start()
        self.status.setText(f"training {len(x.values) * len(y.values)} GANs at once…")

    def _work(self, x: Axis, y: Axis, steps: int) -> None:
        try:
            for result in iter_sweep(self.base, x, y, steps, should_stop=lambda: self._stop):
                with self._lock:
                    self._latest = result
        except Exception as exc:  # noqa: BLE001 — shown in the window, never a crash
            with self._lock:
                self._error = f"{type(exc).__name__}: {exc}"

    def stop(self) -> None:
        self._stop = True
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._poll()
        self.timer.stop()

    def _poll(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
            error, self._error = self._error, None
        if error:
            self.status.setText(f"⚠ sweep failed: {error}")
        if latest is not None:
            self.show_result(latest)
        if self._thread is not None and not self._thread.is_alive() and latest is None:
            self.timer.stop()
            self._thread = None

    def show_result(self, result: dict) -> None:
        self.result = result
        ax, ay = result["axes"]["x"], result["axes"]["y"]
        nx, ny = len(ax["values"]), len(ay["values"])
        rgb = np.zeros((ny, nx, 3), dtype=np.uint8)
        key = self.color_by.currentData()
        if key == "outcome":
            for c in result["cells"]:
                rgb[c["row"], c["col"]] = OUTCOME_COLORS.get(c["outcome"], (200, 200, 200))
        else:  # a metric on a fixed scale (JSD 0 … log 2, d_dev 0 … ½), dark = good; missing (NaN) = black
            top = np.log(2) if key == "jsd" else 0.5
            cmap = pg.colormap.get("viridis")
            for c in result["cells"]:
                v = c[key]
                rgb[c["row"], c["col"]] = (0, 0, 0) if v is None else cmap.map(min(v / top, 1.0), mode="byte")[:3]
        self.image.setImage(rgb, levels=(0, 255))
        self.image.setRect(0, 0, nx, ny)
        self.plot.setXRange(0, nx, padding=0.02)
        self.plot.setYRange(0, ny, padding=0.02)
        fmt = lambda v: f"{v:.2g}" if isinstance(v, float) else str(v)  # noqa: E731
        step = max(1, nx // 8)
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, fmt(v)) for i, v in enumerate(ax["values"]) if i % step == 0]])
        step = max(1, ny // 8)
        self.plot.getAxis("left").setTicks([[(j + 0.5, fmt(v)) for j, v in enumerate(ay["values"]) if j % step == 0]])
        self.plot.setLabel("bottom", ax["key"] + (" (log)" if ax["log"] else ""))
        self.plot.setLabel("left", ay["key"] + (" (log)" if ay["log"] else ""))
        done = result["steps"] >= result["total_steps"]
        self.status.setText(f"step {result['steps']} / {result['total_steps']}" + (" — done; click a cell to open it"
                                                                                   if done else ""))

    # --- hover and click ------------------------------------------------------------------------
    def _cell_at(self, scene_pos):
        if self.result is None:
            return None
        p = self.plot.getPlotItem().vb.mapSceneToView(scene_pos)
        col, row = int(np.floor(p.x())), int(np.floor(p.y()))
        ax, ay = self.result["axes"]["x"], self.result["axes"]["y"]
        if 0 <= col < len(ax["values"]) and 0 <= row < len(ay["values"]):
            return row, col
        return None

    def cell(self, row: int, col: int) -> dict:
        nx = len(self.result["axes"]["x"]["values"])
        return self.result["cells"][row * nx + col]

    def _on_hover(self, pos) -> None:
        rc = self._cell_at(pos)
        if rc is None:
            return
        c = self.cell(*rc)
        ax, ay = self.result["axes"]["x"]["key"], self.result["axes"]["y"]["key"]
        num = lambda v: "–" if v is None else f"{v:.4f}"  # noqa: E731
        self.hover.setText(f"{ax} = {c[ax]:.4g}  {ay} = {c[ay]}   outcome: {LABELS.get(c['outcome'], c['outcome'])}"
                           f"   JSD {num(c['jsd'])}   d_dev {num(c['d_dev'])}   coverage {num(c['coverage'])}")

    def _on_click(self, event) -> None:
        rc = self._cell_at(event.scenePos())
        if rc is not None:
            self.open_cell(*rc)

    def open_cell(self, row: int, col: int) -> None:
        self.cell_opened.emit(cell_config(self.result, row, col))

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)
