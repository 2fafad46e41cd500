"""The sweep lab: pick two axes, train the whole grid at once in a background process, watch the phase
diagram fill in. Hovering a cell shows its numbers; clicking it opens that cell's exact config as a run in
the main window (and brings the main window to the front)."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ganviz.config import ConfigError, TrainConfig, format_value, sweep_keys, sweep_range, sweep_values
from ganviz.core.diagnose import LABELS
from ganviz.draw.colors import OUTCOME_RGB
from ganviz.engine import process
from ganviz.engine.grid import cell_config, parse_axis, pending_grid, sweep_configs
from ganviz.engine.messages import SweepGrid
from ganviz.draw import style as st
from ganviz.ui.bridge import ProcessBridge
from ganviz.ui.screens import place


class AxisEditor(QWidget):
    def __init__(self, key: str, n: int = 12):
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.key = QComboBox()
        self.key.addItems(sweep_keys())
        self.lo, self.hi = QDoubleSpinBox(), QDoubleSpinBox()
        for w in (self.lo, self.hi):
            w.setDecimals(5)
            w.setRange(-1e6, 1e6)
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
        categorical = sweep_values(key) is not None
        lo, hi, log = (0.0, 1.0, False) if categorical else sweep_range(key)
        self.lo.setValue(lo)
        self.hi.setValue(hi)
        self.log.setChecked(log)
        for w in (self.lo, self.hi, self.log, self.n):
            w.setEnabled(not categorical)

    def spec(self) -> str:
        key = self.key.currentText()
        values = sweep_values(key)
        if values is not None:  # every choice of a categorical knob (every registered objective, …)
            return f"{key}=" + ",".join(str(v).lower() for v in values)
        return f"{key}={self.lo.value():g}:{self.hi.value():g}:{'log' if self.log.isChecked() else 'lin'}:{self.n.value()}"


class SweepWindow(QWidget):
    cell_opened = Signal(object)  # TrainConfig of the clicked cell

    def __init__(self, base: TrainConfig, parent_window=None):
        super().__init__()
        self.setWindowTitle("ganviz — sweep lab")
        self.base = base
        self.result: dict | None = None
        self.bridge: ProcessBridge | None = None
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
                          ("colour by final d_dev", "d_dev"), ("colour by modes covered", "coverage")):
            self.color_by.addItem(text, key)
        self.color_by.currentIndexChanged.connect(lambda _: self.result and self.show_result(self.result))
        for w in (self.run_btn, self.stop_btn, self.color_by):
            row.addWidget(w)
        row.addWidget(self.status, 1)
        lay.addLayout(row)
        self.plot = pg.PlotWidget()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        lay.addWidget(self.plot, 1)
        self.legend = QLabel()  # a coloured square per outcome, its name in the text colour (readable on any theme)
        self.legend.setWordWrap(True)
        self.legend.setText(" &nbsp; ".join(
            f"<span style='color:rgb({r},{g},{b}); font-size:large'>■</span> {LABELS.get(name, name)}"
            for name, (r, g, b) in OUTCOME_RGB.items()))
        lay.addWidget(self.legend)
        self.hover = QLabel(" ")
        lay.addWidget(self.hover)
        self.parent_window = parent_window
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._started = 0.0
        place(self, 1000, 800, parent_window)
        if parent_window is not None:
            parent_window.theme_changed.connect(lambda _dark: self.apply_style())
        self.apply_style()

    def apply_style(self) -> None:
        """The main window's theme: the grid's background and axes (the outcome colours stay)."""
        dark = self.parent_window is not None and self.parent_window.style.dark
        style = st.Style(dark=dark)
        self.plot.setBackground(style.theme.background)
        st.style_plot(self.plot.getPlotItem(), style)
        if self.result is not None:
            self.show_result(self.result)

    # --- running --------------------------------------------------------------------------------
    def start(self) -> None:
        try:
            x, y = parse_axis(self.x_axis.spec()), parse_axis(self.y_axis.spec())
            sweep_configs(self.base, x, y)
        except ConfigError as exc:
            self.status.setText(f"⚠ {exc}")
            return
        self.stop()
        self.bridge = ProcessBridge(self)
        self.bridge.message_received.connect(self._on_message)
        self.bridge.failed.connect(lambda msg: self.status.setText(f"⚠ sweep failed: {msg}"))
        request = {"config": self.base, "x": x, "y": y, "steps": self.steps.value()}
        self.bridge.start(process.SWEEP_JOB, request, daemon=False)  # it starts its shards' processes
        self.show_result(pending_grid(self.base, x, y, self.steps.value()))  # the grid at once, every cell grey
        self._started = time.perf_counter()
        self._ticker.start(500)
        self._tick()

    def _tick(self) -> None:
        """Until the sweep's process reports, say that it is starting and for how long."""
        n = len(self.result["cells"]) if self.result else 0
        self.status.setText(f"starting the sweep's process ({n} GANs at once)… {time.perf_counter() - self._started:.0f} s")

    def _on_message(self, message) -> None:
        if isinstance(message, SweepGrid):
            self._ticker.stop()
            self.show_result(message.result)
            if message.done:
                self.stop(keep_status=True)

    def stop(self, keep_status: bool = False) -> None:
        self._ticker.stop()
        if self.bridge is not None:
            bridge, self.bridge = self.bridge, None
            bridge.stop()
            if not keep_status and self.result:
                self.status.setText(f"stopped at step {self.result['steps']}; click a cell to open it")

    def show_result(self, result: dict) -> None:
        self.result = result
        ax, ay = result["axes"]["x"], result["axes"]["y"]
        nx, ny = len(ax["values"]), len(ay["values"])
        rgb = np.zeros((ny, nx, 3), dtype=np.uint8)
        key = self.color_by.currentData()
        if key == "outcome":
            for c in result["cells"]:
                rgb[c["row"], c["col"]] = OUTCOME_RGB.get(c["outcome"], (200, 200, 200))
        else:  # a metric on a fixed scale (JSD 0 … log 2, d_dev 0 … ½, the share of modes covered 0 … 1), dark =
            top = {"jsd": np.log(2), "d_dev": 0.5}.get(key, 1.0)  # good; missing (NaN) = black
            cmap = pg.colormap.get("viridis")
            for c in result["cells"]:
                v = c[key] if key != "coverage" or c[key] is None else 1.0 - c[key]  # all covered = dark
                rgb[c["row"], c["col"]] = (0, 0, 0) if v is None else cmap.map(min(v / top, 1.0), mode="byte")[:3]
        self.image.setImage(rgb, levels=(0, 255))
        self.image.setRect(0, 0, nx, ny)
        self.plot.setXRange(0, nx, padding=0.02)
        self.plot.setYRange(0, ny, padding=0.02)
        step = max(1, nx // 8)
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, format_value(ax["key"], v))
                                               for i, v in enumerate(ax["values"]) if i % step == 0]])
        step = max(1, ny // 8)
        self.plot.getAxis("left").setTicks([[(j + 0.5, format_value(ay["key"], v))
                                             for j, v in enumerate(ay["values"]) if j % step == 0]])
        self.plot.setLabel("bottom", ax["key"] + (" (log)" if ax["log"] else ""))
        self.plot.setLabel("left", ay["key"] + (" (log)" if ay["log"] else ""))
        done = result["steps"] >= result["total_steps"]
        self.status.setText(f"step {result['steps']} / {result['total_steps']}"
                            + (" — done; click a cell to open it as a run" if done else ""))

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
        self.hover.setText(f"{ax} = {format_value(ax, c[ax])}   {ay} = {format_value(ay, c[ay])}   outcome: "
                           f"{LABELS.get(c['outcome'], c['outcome'])}   JSD {num(c['jsd'])}   d_dev {num(c['d_dev'])}"
                           f"   coverage {num(c['coverage'])}")

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        rc = self._cell_at(event.scenePos())
        if rc is not None:
            self.open_cell(*rc)

    def open_cell(self, row: int, col: int) -> None:
        self.cell_opened.emit(cell_config(self.result, row, col))

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)
