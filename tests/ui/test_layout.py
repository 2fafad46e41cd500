"""Projector-grade: the window on every screen a lecture hall has, in every mode. The plan is arithmetic
(tested without a window); the real window is then laid out at each size and measured."""

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLabel, QLineEdit, QPushButton

from ganviz.ui import layout

SCREENS = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]
MODES = [("normal", False, False), ("presenter", True, False), ("presenter + dark", True, True)]


@pytest.mark.parametrize("width,height", SCREENS)
def test_the_window_opens_no_larger_than_the_screen(width, height):
    w, h = layout.window_size(width, height - 40)
    assert w <= width and h <= height - 40


@pytest.mark.parametrize("width,height", SCREENS)
def test_a_window_as_large_as_a_projector_opens_maximized(width, height):
    """Sized to the available area alone, the window overhung a 1366 × 768 screen by its title bar (openbox):
    the status bar was off the screen. Maximized, the window manager fits the frame too."""
    assert layout.opens_maximized(width, height - 40) == (width < 1700)
    assert not layout.opens_maximized(2560, 1400)


def test_presenter_type_scales_with_the_screen():
    assert layout.presenter_scale(1920, 1080) == 2.0
    assert 1.3 < layout.presenter_scale(1366, 768) < 1.5
    assert layout.presenter_scale(1024, 768) == 1.2


@pytest.mark.parametrize("width,height", SCREENS)
def test_the_side_column_never_takes_the_figures_share(width, height):
    for presenter in (False, True):
        p = layout.plan(width, height, presenter)
        used = p.side + (layout.CONTROLS_WIDTH if p.controls == "column" else 0)
        assert width - used > 0.5 * width
    assert layout.plan(width, height, False).controls == ("column" if width >= layout.WIDE else "tab")
    assert layout.plan(width, height, True).controls == "hidden"


def settle(qtbot):
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(60)


def measure(w) -> dict:
    p = w.figure.panel
    return {"plot": p.plot.sceneBoundingRect().height(), "window": w.height()}


def widgets_outside(w) -> list[str]:
    """Visible controls (buttons, fields, combos, labels) that stick out of the window."""
    frame = QRect(0, 0, w.width(), w.height())
    out = []
    for kind in (QPushButton, QComboBox, QLineEdit, QAbstractSpinBox, QLabel):
        for child in w.findChildren(kind):
            if not child.isVisibleTo(w) or child.width() == 0:
                continue
            top_left = child.mapTo(w, child.rect().topLeft())
            rect = QRect(top_left, child.size())
            scroll = child.parentWidget()
            inside_scroll = False
            while scroll is not None and scroll is not w:  # a widget inside a scroll area may scroll out of view
                if scroll.metaObject().className() == "QScrollArea":
                    inside_scroll = True
                    break
                scroll = scroll.parentWidget()
            if not inside_scroll and not frame.contains(rect):
                out.append(f"{kind.__name__} {child.objectName() or child.text()[:20] if hasattr(child, 'text') else ''}"
                           f" at {rect.getRect()}")
    return out


def test_every_screen_and_mode_keeps_the_figure_dominant_and_readable(qtbot, window):
    """1024×768 to 1920×1080, normal / presenter / presenter + dark: the density plot keeps ≥ 45 % of the
    window's height, no control sticks out of the window, the density axis reads in data units, the badge
    and the stats line are whole."""
    w = window
    w.session.run_until(200)
    qtbot.waitUntil(lambda: w.session.step >= 200 and not w.session.playing, timeout=30_000)
    for width, height in SCREENS:
        for name, presenter, dark in MODES:
            w.set_presenter(presenter)
            w.set_dark(dark)
            w.resize(width, height)
            settle(qtbot)
            where = f"{width}×{height} {name}"
            m = measure(w)
            assert m["plot"] >= 0.45 * m["window"], (where, m)
            assert widgets_outside(w) == [], where
            axis = w.figure.panel.plot.getAxis("left")
            assert axis.autoSIPrefixScale == 1.0, where  # a density of 0.8 reads 0.8, not 800
            assert axis.tickStrings([0.2, 0.4], axis.autoSIPrefixScale * axis.scale, 0.2) == ["0.2", "0.4"]
            badge = w.badge
            assert badge.isVisible() and badge.width() >= badge.sizeHint().width(), where
            caption = w.figure.panel.caption
            assert caption.item.boundingRect().width() <= w.figure.width(), where  # the stats line is whole
    w.set_dark(False)
    w.set_presenter(False)


def test_larger_type_in_presenter_mode_still_leaves_the_plot_its_share(qtbot, window):
    w = window
    w.resize(1920, 1080)
    w.set_presenter(True)
    for _ in range(2):
        w.set_scale(w.user_scale * 1.25)  # Ctrl+= twice
    settle(qtbot)
    m = measure(w)
    assert m["plot"] >= 0.45 * m["window"], m
    w.set_scale(1.0)
    w.set_presenter(False)


def test_leaving_presenter_mode_restores_the_normal_layout_exactly(qtbot, window):
    """Ctrl+P, the dark theme, Ctrl+P, the light theme: every control is back at its normal size."""
    w = window
    w.resize(1366, 768)
    settle(qtbot)

    def sizes():
        return {"lr_d": w.controls.widgets["lr_d"].field.sizeHint().width(), "toolbar": w.toolbar.sizeHint().height(),
                "font": QApplication.font().pointSizeF(), "scale": w.style.scale,
                "tabs": [w.tabs.tabText(i) for i in range(w.tabs.count())]}

    before = sizes()
    w.set_presenter(True)
    w.set_dark(True)
    settle(qtbot)
    assert w.style.scale > 1.3 and not w.controls_scroll.isVisible()
    w.set_presenter(False)
    w.set_dark(False)
    settle(qtbot)
    assert sizes() == before
    assert w.controls_scroll.isVisible()
