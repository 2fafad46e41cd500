"""The main window's run bar: the preset box, play / step / D / G / reset, and the speed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QToolBar

SPEEDS = [("slow motion (2/s)", 2), ("10 /s", 10), ("50 /s", 50), ("200 /s", 200), ("1000 /s", 1000),
          ("as fast as possible", 0)]


def build(w, presets) -> QToolBar:
    """The bar's widgets become attributes of the window ``w`` (preset_box, play_btn, buttons, speed)."""
    bar = QToolBar("Run")
    bar.setObjectName("run")
    bar.setMovable(False)
    bar.addWidget(QLabel(" Preset: "))
    w.preset_box = QComboBox()
    for i, p in enumerate(presets):
        if p.rescues and i and not presets[i - 1].rescues:
            w.preset_box.insertSeparator(w.preset_box.count())  # the phenomena first, then their rescues
        w.preset_box.addItem(p.title, p.name)
        w.preset_box.setItemData(w.preset_box.count() - 1, p.summary, Qt.ItemDataRole.ToolTipRole)
    w.preset_box.addItem("custom", None)
    w.preset_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    w.preset_box.setToolTip("one click per phenomenon: the run restarts with the preset's config")
    bar.addWidget(w.preset_box)
    bar.addSeparator()
    w.play_btn = QPushButton("▶ Play")
    w.play_btn.setToolTip("play / pause training (Space)")
    w.buttons = {"play": w.play_btn}
    bar.addWidget(w.play_btn)
    for name, text, tip in (("step", "Step", "one iteration: k D steps, then the G steps (.)"),
                            ("D", "D", "one discriminator update (D)"), ("G", "G", "one generator update (G)"),
                            ("reset", "Reset", "new networks from the seed, same knobs (R)")):
        b = QPushButton(text)
        b.setToolTip(tip)
        bar.addWidget(b)
        w.buttons[name] = b
    for b in w.buttons.values():
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    bar.addWidget(QLabel("  speed "))
    w.speed = QComboBox()
    for name, value in SPEEDS:
        w.speed.addItem(name, value)
    w.speed.setCurrentIndex(len(SPEEDS) - 1)
    w.speed.setToolTip("iterations per second: slow motion goes update by update and shows which player "
                          "moved, with its line of Algorithm 1")
    bar.addWidget(w.speed)
    return bar
