"""The control panel, generated from TrainConfig's metadata: one widget per knob, its range, label and
tooltip (doc + formula) read from the config's fields, so the panel can never disagree with validation.

Widgets only edit values: they emit ``knobs_changed({key: value})``; the window sends that to the training
process, and the config the trainer reports back is shown again (``set_config``). A refused change therefore
snaps back to the value in use, with the reason in the status bar.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSlider, QSpinBox, QVBoxLayout, QWidget)

from ganviz.config import GROUPS, ConfigError, TrainConfig, format_value, visible


def tooltip(key: str) -> str:
    spec = TrainConfig.spec(key)
    parts = [f"<b>{spec['label']}</b> ({key}): {spec['doc']}"]
    formula = spec.get("formula")
    formula = formula() if callable(formula) else formula  # a registry's entries (the objectives) are live
    if formula:
        parts.append("<code>" + formula.replace("\n", "<br>") + "</code>")
    if "lo" in spec and not spec.get("list"):
        parts.append(f"range {spec['lo']:g} … {spec['hi']:g}" + (" (log scale)" if spec.get("log") else ""))
    if spec.get("effect") == "reset":
        parts.append("<i>changing it starts new networks from the seed</i>")
    return "<br>".join(parts)


class LogSlider(QWidget):
    """A log-scale slider over the knob's range, with an editable value field."""

    value_changed = Signal(float)
    error = Signal(str)

    def __init__(self, key: str, lo: float, hi: float):
        super().__init__()
        self.key, self.lo, self.hi = key, math.log10(lo), math.log10(hi)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 1000)
        self.field = QLineEdit()
        self.field.setFixedWidth(90)
        self.field.setProperty("numeric", True)  # Space, R, D, G still act on training from here
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.field)
        self._value = 10 ** self.lo
        self.slider.valueChanged.connect(self._on_slider)
        self.field.editingFinished.connect(self._on_field)

    def value(self) -> float:
        return self._value

    def set_value(self, value: float) -> None:
        self._value = value
        self.slider.blockSignals(True)
        self.slider.setValue(round((math.log10(value) - self.lo) / (self.hi - self.lo) * 1000))
        self.slider.blockSignals(False)
        self.field.setText(f"{value:.3g}")

    def _on_slider(self, pos: int) -> None:
        value = float(f"{10 ** (self.lo + (self.hi - self.lo) * pos / 1000):.3g}")
        self._value = value
        self.field.setText(f"{value:.3g}")
        self.value_changed.emit(value)

    def _on_field(self) -> None:
        text = self.field.text().strip()
        try:
            value = float(text)
            TrainConfig().replace(**{self.key: value})
        except (ValueError, ConfigError) as exc:
            self.error.emit(str(exc) if isinstance(exc, ConfigError) else f"{self.key}: '{text}' is not a number")
            self.set_value(self._value)
            return
        if value != self._value:
            self.set_value(value)
            self.value_changed.emit(value)


class MixtureEditor(QWidget):
    """Components as weight:mean:std text, + / − buttons (and the draggable bands on the plot)."""

    changed = Signal(dict)
    error = Signal(str)

    def __init__(self):
        super().__init__()
        self.text = QLineEdit()
        self.text.setToolTip("components as weight:mean:std, separated by commas<br>"
                             "<code>p(x) = Σ π_i N(x; μ_i, σ_i²)</code>  e.g. 0.5:-2:0.3, 0.5:2:0.3<br>"
                             "or drag each component's μ ± σ band on the plot")
        self.text.editingFinished.connect(self._on_text)
        add, remove = QPushButton("+ component"), QPushButton("− component")
        add.setToolTip("add a component to the right of the others")
        remove.setToolTip("remove the last component")
        add.clicked.connect(lambda: self._edit(+1))
        remove.clicked.connect(lambda: self._edit(-1))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.text)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        lay.addLayout(row)
        self.comps: list[tuple[float, float, float]] = []

    def show(self, cfg: TrainConfig) -> None:
        self.set_components(list(zip(cfg.mixture_weights, cfg.mixture_means, cfg.mixture_stds)))

    def set_components(self, comps: list[tuple[float, float, float]]) -> None:
        self.comps = list(comps)
        if not self.text.hasFocus():
            self.text.setText(", ".join(f"{w:g}:{m:g}:{s:g}" for w, m, s in comps))

    def _parse(self, text: str):
        parts = [p.strip() for p in text.split(",") if p.strip()]
        comps = [tuple(float(v) for v in p.split(":")) for p in parts]
        if not comps or any(len(c) != 3 for c in comps):
            raise ValueError
        return comps

    def _on_text(self) -> None:
        try:
            comps = self._parse(self.text.text())
        except ValueError:
            self.error.emit(f"mixture: write components as weight:mean:std, e.g. 0.5:-2:0.3, 0.5:2:0.3 "
                            f"(got '{self.text.text()}')")
            self.text.setText(", ".join(f"{w:g}:{m:g}:{s:g}" for w, m, s in self.comps))
            return
        self.emit_components(comps)

    def emit_components(self, comps) -> None:
        self.changed.emit({"target": "mixture", "mixture_weights": [c[0] for c in comps],
                           "mixture_means": [c[1] for c in comps], "mixture_stds": [c[2] for c in comps]})

    def _edit(self, delta: int) -> None:
        comps = list(self.comps)
        if delta > 0:
            w = sum(c[0] for c in comps) / len(comps) if comps else 1.0
            comps.append((w, max((c[1] for c in comps), default=-2.0) + 2.0, 0.3))
        elif len(comps) > 1:
            comps.pop()
        else:
            self.error.emit("a mixture needs at least one component")
            return
        self.emit_components(comps)


class CsvPicker(QWidget):
    """A CSV file and its column, chosen together: the column list comes from the file's header, and the
    change is sent as one (file, column) pair, applied whole or not at all."""

    changed = Signal(dict)
    error = Signal(str)

    def __init__(self):
        super().__init__()
        self.file = QPushButton("old_faithful.csv")
        self.file.setToolTip("choose a CSV file with a header row; then pick the column that holds the samples")
        self.file.clicked.connect(self._choose)
        self.column = QComboBox()
        self.column.setToolTip("the column of the CSV that holds the samples (from the file's header)")
        self.column.activated.connect(self._on_column)
        self.column_y = QComboBox()
        self.column_y.setToolTip("2-D points: the column of the second coordinate")
        self.column_y.activated.connect(self._on_column)
        lay = QFormLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addRow("file", self.file)
        lay.addRow("column", self.column)
        self.y_label = QLabel("column y")
        lay.addRow(self.y_label, self.column_y)
        self.path, self.col, self._columns = "", "", []
        self.target, self.col_y = "empirical", ""

    def show(self, cfg: TrainConfig) -> None:
        self.target = cfg.target if cfg.target in ("empirical", "points") else "empirical"
        plane = self.target == "points"
        self.y_label.setVisible(plane)
        self.column_y.setVisible(plane)
        if plane and cfg.data_column_y != self.col_y or not self.column_y.count():
            self.col_y = cfg.data_column_y
            self.column_y.blockSignals(True)
            self.column_y.clear()
            columns = self._columns or [cfg.data_column_y]
            self.column_y.addItems(columns if self.col_y in columns else [*columns, self.col_y])
            self.column_y.setCurrentText(self.col_y)
            self.column_y.blockSignals(False)
        self.set_value(cfg.data_path, cfg.data_column)

    def set_value(self, path: str, column: str) -> None:
        """Show (file, column); the file's header is read once per file, not on every status update (a user's
        CSV may hold a million rows)."""
        if (path, column) == (self.path, self.col) and self.column.count():
            return
        if path != self.path or not self.column.count():
            self._columns = self._header(path, quiet=True) or [column]
        self.path, self.col = path, column
        self.file.setText(Path(path).name)
        self.file.setToolTip(f"{path}<br>choose another CSV file (then its column)")
        self.column.blockSignals(True)
        self.column.clear()
        self.column.addItems(self._columns if column in self._columns else [*self._columns, column])
        self.column.setCurrentText(column)
        self.column.blockSignals(False)

    def _header(self, path: str, quiet: bool = False) -> list[str] | None:
        from ganviz.io.limits import InputError, csv_header
        from ganviz.io.resources import resolve_data_path
        try:
            return csv_header(resolve_data_path(path))
        except InputError as exc:
            if not quiet:
                self.error.emit(str(exc))
            return None

    def choose_file(self, path: str) -> None:
        """A new file: read its header, keep the column if it has one of that name, else its first column."""
        header = self._header(path)
        if header is None:
            return  # the message says why; file and column stay as they were
        column = self.col if self.col in header else header[0]
        change = {"target": self.target, "data_path": path, "data_column": column}
        if self.target == "points":
            change["data_column_y"] = self.col_y if self.col_y in header else header[min(1, len(header) - 1)]
        self.changed.emit(change)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Samples (CSV)", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.choose_file(path)

    def _on_column(self, index: int) -> None:
        change = {"target": self.target, "data_path": self.path, "data_column": self.column.currentText()}
        if self.target == "points":
            change["data_column_y"] = self.column_y.currentText()
        self.changed.emit(change)


COMPOSITES = {"mixture": MixtureEditor, "csv": CsvPicker}  # editors named by the knobs' ``widget``


class Controls(QWidget):
    knobs_changed = Signal(dict)
    error = Signal(str)

    def __init__(self, cfg: TrainConfig):
        super().__init__()
        self.widgets: dict[str, QWidget] = {}
        self.rows: dict[str, tuple[QWidget, ...]] = {}
        self.composites: dict[str, tuple[QWidget, list[str]]] = {}  # editor name → (widget, its keys)
        self._building = True
        self._shown: TrainConfig | None = None
        lay = QVBoxLayout(self)
        for group, title in GROUPS.items():
            box = QGroupBox(title)
            form = QFormLayout(box)
            for f in dataclasses.fields(TrainConfig):
                meta = f.metadata
                if meta["group"] != group or meta["widget"] == "none":
                    continue
                if meta["widget"]:  # one composite editor for several knobs (the mixture, the CSV file)
                    if meta["widget"] not in self.composites:
                        editor = COMPOSITES[meta["widget"]]()
                        editor.changed.connect(self._emit)
                        editor.error.connect(self.error.emit)
                        form.addRow(editor)
                        self.composites[meta["widget"]] = (editor, [])
                    self.composites[meta["widget"]][1].append(f.name)
                    continue
                w = self._widget(f.name)
                label = QLabel(meta["label"])
                label.setToolTip(tooltip(f.name))
                form.addRow(label, w)
                self.rows[f.name] = (label, w)
            if form.rowCount():
                lay.addWidget(box)
        lay.addStretch(1)
        self.mixture, self.csv = self.composites["mixture"][0], self.composites["csv"][0]
        self.set_config(cfg)
        self._building = False

    # --- widgets from metadata ------------------------------------------------------------------
    def _widget(self, key: str) -> QWidget:
        spec = TrainConfig.spec(key)
        default = getattr(TrainConfig(), key)
        if "choices" in spec:
            w = QComboBox()
            for name, value in zip(spec["names"], spec["choices"]):
                w.addItem(name, value)
            w.activated.connect(lambda i, k=key, w=w: self._emit({k: w.itemData(i)}))
        elif isinstance(default, bool):
            w = QCheckBox()
            w.toggled.connect(lambda on, k=key: self._emit({k: bool(on)}))
        elif spec.get("log"):
            w = LogSlider(key, spec["lo"], spec["hi"])
            w.value_changed.connect(lambda v, k=key: self._emit({k: v}))
            w.error.connect(self.error.emit)
        elif spec.get("integer"):
            w = QSpinBox()
            w.setRange(int(spec["lo"]), int(min(spec["hi"], 2**31 - 1)))
            w.setKeyboardTracking(False)
            w.valueChanged.connect(lambda v, k=key: self._emit({k: int(v)}))
        else:
            w = QDoubleSpinBox()
            w.setDecimals(4 if spec["hi"] <= 1 else 3)
            w.setRange(spec["lo"], spec["hi"])
            w.setSingleStep(spec.get("step") or 0.1)
            w.setKeyboardTracking(False)
            w.valueChanged.connect(lambda v, k=key: self._emit({k: float(v)}))
        w.setToolTip(tooltip(key))
        self.widgets[key] = w
        return w

    # --- values ---------------------------------------------------------------------------------
    def set_config(self, cfg: TrainConfig) -> None:
        """Show ``cfg`` (the trainer's config) without emitting changes; the same config again (every status
        message repeats it) touches no widget."""
        if cfg == self._shown:
            return
        self._building = True
        try:
            for key, w in self.widgets.items():
                value = getattr(cfg, key)
                w.blockSignals(True)
                if isinstance(w, QComboBox):
                    w.setCurrentIndex(max(0, w.findData(value)))
                elif isinstance(w, QCheckBox):
                    w.setChecked(bool(value))
                elif isinstance(w, LogSlider):
                    if not w.field.hasFocus():
                        w.set_value(value)
                elif not w.hasFocus() or w.value() != value:
                    w.setValue(value)
                w.blockSignals(False)
            for editor, _ in self.composites.values():
                editor.show(cfg)
            self._visibility(cfg)
            self._shown = cfg
        finally:
            self._building = False

    def _visibility(self, cfg: TrainConfig) -> None:
        """Each control shown when its knob matters (the knobs' ``visible_when``)."""
        for key, row in self.rows.items():
            shown = visible(key, cfg)
            for w in row:
                w.setVisible(shown)
        for editor, keys in self.composites.values():
            editor.setVisible(any(visible(k, cfg) for k in keys))

    def _emit(self, knobs: dict) -> None:
        if self._building:
            return
        self._shown = None  # the next status is shown whatever it says (a refused change snaps back)
        self.knobs_changed.emit(knobs)

    def describe(self, knobs: dict) -> str:
        return ", ".join(f"{TrainConfig.spec(k)['label']} = {format_value(k, v)}" for k, v in knobs.items())
