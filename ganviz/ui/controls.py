"""The control panel: every knob of TrainConfig that a lecture needs, each with the formula it changes.

Widgets only edit values: they emit ``knobs_changed({key: value})`` and the window passes that to the
worker; bad text in a field emits ``error(message)`` and keeps the old value.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSlider, QSpinBox, QStackedWidget,
                               QVBoxLayout, QWidget)

from ganviz.config import ConfigError, TrainConfig

TIPS = {
    "d_steps": "k: discriminator updates per iteration (Algorithm 1's inner loop)\n"
               "for k steps: ascend ∇θd 1/m Σ [log D(x) + log(1 − D(G(z)))]",
    "g_steps": "generator updates per iteration\ndescend ∇θg 1/m Σ log(1 − D(G(z))) (or the chosen G loss)",
    "lr_d": "η_D: θd ← θd + η_D ∇θd V(D, G)", "lr_g": "η_G: θg ← θg − η_G ∇θg L_G",
    "g_loss": "saturating: min log(1 − D(G(z)))  — the minimax game, gradient vanishes when D wins\n"
              "non-saturating: max log D(G(z))  — the paper's §3 fix\n"
              "least squares: min ½(D(G(z)) − 1)²  (LSGAN)\n"
              "Wasserstein-GP: min −C(G(z)), critic with λ·(‖∇C‖ − 1)²",
    "optimizer": "SGD with momentum (the paper): v ← μv + ∇, θ ← θ − ηv\nAdam: θ ← θ − η m̂ / (√v̂ + ε)",
    "batch_size": "m: samples per minibatch for each D and G update",
    "target": "p_data: the real distribution the generator must learn",
    "noise": "p_z: the noise prior z ~ U(−1, 1) (the paper's figure) or N(0, 1); x = G(z)",
    "noise_dim": "dimension of z (1 draws the z → x mapping exactly; > 1 estimates p_g by KDE)",
    "seed": "random seed: same config + seed ⇒ the same run (CPU)",
    "speed": "iterations per second: slow motion to watch single updates, or as fast as possible",
}
SPEEDS = [("slow motion (2/s)", 2), ("10 /s", 10), ("50 /s", 50), ("200 /s", 200), ("1000 /s", 1000),
          ("as fast as possible", 0)]
LOSS_NAMES = [("non-saturating  −log D(G(z))", "non_saturating"), ("saturating  log(1 − D(G(z)))", "saturating"),
              ("least squares", "least_squares"), ("Wasserstein-GP", "wasserstein_gp")]


class LogSlider(QWidget):
    """A log-scale slider (1e-5 … 1) with an editable value field."""

    value_changed = Signal(float)
    error = Signal(str)

    def __init__(self, key: str, lo: float = 1e-5, hi: float = 1.0):
        super().__init__()
        self.key, self.lo, self.hi = key, math.log10(lo), math.log10(hi)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 1000)
        self.field = QLineEdit()
        self.field.setFixedWidth(80)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.field)
        self._value = 1e-3
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
        except ValueError as exc:
            msg = str(exc) if isinstance(exc, ConfigError) else f"{self.key}: '{text}' is not a number"
            self.error.emit(msg)
            self.set_value(self._value)
            return
        if value != self._value:
            self.set_value(value)
            self.value_changed.emit(value)


class Controls(QWidget):
    knobs_changed = Signal(dict)
    error = Signal(str)
    play_toggled = Signal(bool)
    step_d = Signal()
    step_g = Signal()
    step_once = Signal()
    reset = Signal()
    speed_changed = Signal(float)
    d_star_toggled = Signal(bool)
    auto_pause_toggled = Signal(bool)
    window_changed = Signal(object)  # int steps or None

    def __init__(self, cfg: TrainConfig):
        super().__init__()
        self._building = True
        lay = QVBoxLayout(self)
        lay.addWidget(self._transport())
        lay.addWidget(self._game())
        lay.addWidget(self._target())
        lay.addWidget(self._nets())
        lay.addWidget(self._view())
        lay.addStretch(1)
        self.set_config(cfg)
        self._building = False

    # --- groups ---------------------------------------------------------------------------------
    def _transport(self) -> QGroupBox:
        box = QGroupBox("Run")
        lay = QVBoxLayout(box)
        row = QHBoxLayout()
        self.play_btn = QPushButton("▶ Play")
        self.play_btn.setCheckable(True)
        self.play_btn.setToolTip("Play / pause training (Space)")
        self.play_btn.toggled.connect(self._on_play)
        row.addWidget(self.play_btn, 2)
        for text, sig, tip in (("Step", self.step_once, "one iteration: k D-steps then G-steps (.)"),
                               ("D", self.step_d, "one discriminator update (D)"),
                               ("G", self.step_g, "one generator update (G)"),
                               ("Reset", self.reset, "new nets from the seed (R)")):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(sig.emit)
            row.addWidget(b, 1)
        lay.addLayout(row)
        form = QFormLayout()
        self.speed = QComboBox()
        for name, value in SPEEDS:
            self.speed.addItem(name, value)
        self.speed.setCurrentIndex(len(SPEEDS) - 1)
        self.speed.setToolTip(TIPS["speed"])
        self.speed.currentIndexChanged.connect(lambda i: self.speed_changed.emit(float(self.speed.itemData(i))))
        form.addRow("Speed", self.speed)
        lay.addLayout(form)
        return box

    def _spin(self, key: str, lo: int, hi: int) -> QSpinBox:
        w = QSpinBox()
        w.setRange(lo, hi)
        w.setToolTip(TIPS.get(key, TrainConfig.spec(key).get("doc", "")))
        w.valueChanged.connect(lambda v: self._emit({key: int(v)}))
        setattr(self, key, w)
        return w

    def _dspin(self, key: str, lo: float, hi: float, step: float = 0.1, decimals: int = 3) -> QDoubleSpinBox:
        w = QDoubleSpinBox()
        w.setRange(lo, hi)
        w.setSingleStep(step)
        w.setDecimals(decimals)
        w.setKeyboardTracking(False)
        w.setToolTip(TrainConfig.spec(key).get("doc", ""))
        w.valueChanged.connect(lambda v: self._emit({key: float(v)}))
        setattr(self, key, w)
        return w

    def _combo(self, key: str, items: list[tuple[str, str]]) -> QComboBox:
        w = QComboBox()
        for text, value in items:
            w.addItem(text, value)
        w.setToolTip(TIPS.get(key, TrainConfig.spec(key).get("doc", "")))
        w.currentIndexChanged.connect(lambda i: self._emit({key: w.itemData(i)}))
        setattr(self, key, w)
        return w

    def _game(self) -> QGroupBox:
        box = QGroupBox("The game")
        form = QFormLayout(box)
        form.addRow("k (D steps)", self._spin("d_steps", 1, 20))
        form.addRow("G steps", self._spin("g_steps", 1, 20))
        for key, label in (("lr_d", "lr D"), ("lr_g", "lr G")):
            w = LogSlider(key)
            w.setToolTip(TIPS[key])
            w.value_changed.connect(lambda v, k=key: self._emit({k: v}))
            w.error.connect(self.error.emit)
            setattr(self, key, w)
            form.addRow(label, w)
        form.addRow("G loss", self._combo("g_loss", LOSS_NAMES))
        form.addRow("Optimizer", self._combo("optimizer", [("Adam", "adam"), ("SGD + momentum", "sgd")]))
        form.addRow("Batch m", self._spin("batch_size", 2, 8192))
        return box

    def _target(self) -> QGroupBox:
        box = QGroupBox("Real data p_data and noise p_z")
        form = QFormLayout(box)
        form.addRow("p_data", self._combo("target", [("Gaussian", "gaussian"), ("Mixture", "mixture"),
                                                      ("Uniform", "uniform"), ("CSV samples", "empirical")]))
        self.target_pages = QStackedWidget()
        g = QWidget()
        gf = QFormLayout(g)
        gf.addRow("mean μ", self._dspin("target_mean", -50, 50))
        gf.addRow("std σ", self._dspin("target_std", -1, 50, 0.05))
        m = QWidget()
        mf = QFormLayout(m)
        self.mixture = QLineEdit()
        self.mixture.setToolTip("components as weight:mean:std, separated by commas\n"
                                "p(x) = Σ π_i N(x; μ_i, σ_i²)   e.g. 0.5:-2:0.3, 0.5:2:0.3")
        self.mixture.editingFinished.connect(self._on_mixture)
        mf.addRow("π:μ:σ, …", self.mixture)
        add, remove = QPushButton("+ component"), QPushButton("− component")
        add.setToolTip("add a component to the right of the others (or drag the bands on the plot)")
        remove.setToolTip("remove the last component")
        add.clicked.connect(lambda: self._edit_components(+1))
        remove.clicked.connect(lambda: self._edit_components(-1))
        mf.addRow(self._pair(add, remove))
        u = QWidget()
        uf = QFormLayout(u)
        uf.addRow("low a", self._dspin("uniform_low", -50, 50))
        uf.addRow("high b", self._dspin("uniform_high", -50, 50))
        e = QWidget()
        ef = QFormLayout(e)
        self.data_path = QPushButton("old_faithful.csv")
        self.data_path.setToolTip("a CSV file with a header row; one numeric column is the sample")
        self.data_path.clicked.connect(self._on_pick_csv)
        self.data_column = QLineEdit()
        self.data_column.editingFinished.connect(lambda: self._emit({"data_column": self.data_column.text()}))
        ef.addRow("file", self.data_path)
        ef.addRow("column", self.data_column)
        for page in (g, m, u, e):
            self.target_pages.addWidget(page)
        self.target.currentIndexChanged.connect(self.target_pages.setCurrentIndex)
        form.addRow(self.target_pages)
        form.addRow("p_z", self._combo("noise", [("uniform U(−1, 1)", "uniform"), ("normal N(0, 1)", "normal")]))
        form.addRow("z dims", self._spin("noise_dim", 1, 16))
        return box

    def _nets(self) -> QGroupBox:
        box = QGroupBox("Networks (changing these resets the nets)")
        form = QFormLayout(box)
        acts = [(a, a) for a in ("relu", "leaky_relu", "tanh", "elu")]
        form.addRow("G layers × width", self._pair(self._spin("g_layers", 0, 5), self._spin("g_width", 1, 256)))
        form.addRow("G activation", self._combo("g_activation", acts))
        form.addRow("D layers × width", self._pair(self._spin("d_layers", 0, 5), self._spin("d_width", 1, 256)))
        form.addRow("D activation", self._combo("d_activation", acts))
        form.addRow("Seed", self._spin("seed", 0, 2**31 - 1))
        return box

    def _view(self) -> QGroupBox:
        box = QGroupBox("View")
        lay = QVBoxLayout(box)
        self.d_star = QCheckBox("show D*(x) = p_data / (p_data + p_g)")
        self.d_star.setChecked(True)
        self.d_star.toggled.connect(self.d_star_toggled.emit)
        self.auto_pause = QCheckBox("pause at Nash equilibrium")
        self.auto_pause.setToolTip("pause when JSD < 0.02 and mean |D − ½| < 0.05")
        self.auto_pause.toggled.connect(self.auto_pause_toggled.emit)
        self.window = QComboBox()
        for text, value in (("whole run", None), ("last 500 steps", 500), ("last 2000 steps", 2000)):
            self.window.addItem(text, value)
        self.window.currentIndexChanged.connect(lambda i: self.window_changed.emit(self.window.itemData(i)))
        lay.addWidget(self.d_star)
        lay.addWidget(self.auto_pause)
        row = QHBoxLayout()
        row.addWidget(QLabel("metrics:"))
        row.addWidget(self.window, 1)
        lay.addLayout(row)
        return box

    @staticmethod
    def _pair(a: QWidget, b: QWidget) -> QWidget:
        w = QWidget()
        lay = QHBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(a)
        lay.addWidget(QLabel("×"))
        lay.addWidget(b)
        return w

    # --- values ---------------------------------------------------------------------------------
    def set_config(self, cfg: TrainConfig) -> None:
        """Show ``cfg`` without emitting changes."""
        self._building = True
        try:
            for key in ("d_steps", "g_steps", "batch_size", "noise_dim", "g_layers", "g_width", "d_layers",
                        "d_width", "seed", "target_mean", "target_std", "uniform_low", "uniform_high"):
                getattr(self, key).setValue(getattr(cfg, key))
            for key in ("lr_d", "lr_g"):
                getattr(self, key).set_value(getattr(cfg, key))
            for key in ("g_loss", "optimizer", "target", "noise", "g_activation", "d_activation"):
                w: QComboBox = getattr(self, key)
                w.setCurrentIndex(max(0, w.findData(getattr(cfg, key))))
            self.target_pages.setCurrentIndex(self.target.currentIndex())
            self.mixture.setText(", ".join(f"{w:g}:{m:g}:{s:g}" for w, m, s in
                                           zip(cfg.mixture_weights, cfg.mixture_means, cfg.mixture_stds)))
            self.data_path.setText(cfg.data_path)
            self.data_column.setText(cfg.data_column)
        finally:
            self._building = False

    def set_playing(self, playing: bool) -> None:
        self.play_btn.blockSignals(True)
        self.play_btn.setChecked(playing)
        self.play_btn.setText("❚❚ Pause" if playing else "▶ Play")
        self.play_btn.blockSignals(False)

    def _emit(self, knobs: dict) -> None:
        if self._building:
            return
        try:
            TrainConfig().replace(**{k: v for k, v in knobs.items() if k not in ("data_path", "data_column")})
        except ConfigError as exc:
            self.error.emit(str(exc))
            return
        self.knobs_changed.emit(knobs)

    def _on_play(self, checked: bool) -> None:
        self.play_btn.setText("❚❚ Pause" if checked else "▶ Play")
        self.play_toggled.emit(checked)

    def _on_mixture(self) -> None:
        text = self.mixture.text()
        try:
            parts = [p.strip() for p in text.split(",") if p.strip()]
            comps = [tuple(float(v) for v in p.split(":")) for p in parts]
            if not comps or any(len(c) != 3 for c in comps):
                raise ValueError
        except ValueError:
            self.error.emit(f"mixture: write components as weight:mean:std, e.g. 0.5:-2:0.3, 0.5:2:0.3 "
                            f"(got '{text}')")
            return
        self._emit({"mixture_weights": [c[0] for c in comps], "mixture_means": [c[1] for c in comps],
                    "mixture_stds": [c[2] for c in comps], "target": "mixture"})

    def components(self) -> list[tuple[float, float, float]]:
        parts = [p.strip() for p in self.mixture.text().split(",") if p.strip()]
        return [tuple(float(v) for v in p.split(":")) for p in parts]

    def set_components(self, comps: list[tuple[float, float, float]]) -> None:
        self.mixture.setText(", ".join(f"{w:g}:{m:g}:{s:g}" for w, m, s in comps))
        self._on_mixture()

    def _edit_components(self, delta: int) -> None:
        try:
            comps = self.components()
        except ValueError:
            comps = []
        if delta > 0:
            w = sum(c[0] for c in comps) / len(comps) if comps else 1.0
            right = max((c[1] for c in comps), default=-2.0)
            comps.append((w, right + 2.0, 0.3))
        elif len(comps) > 1:
            comps.pop()
        else:
            self.error.emit("a mixture needs at least one component")
            return
        self.set_components(comps)

    def _on_pick_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Samples (CSV)", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.data_path.setText(path)
            self._emit({"data_path": path, "target": "empirical"})
