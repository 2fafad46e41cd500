"""The 2-D figure (draw/figures/figure_2d.py) draws a Snapshot2D: the D heat map, the samples, p_g's contours,
the z mesh through G, and a strip of the modes G covered, frame by frame — on synthetic snapshots, no training."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from scipy import special

from ganviz.core.snapshot2d import Snapshot2D
from ganviz.draw import style as st
from ganviz.draw.figures import figure_for

RADIUS, SIGMA, K = 2.0, 0.05, 8
EXTENT = (-3.0, 3.0, -3.0, 3.0)


def ring_modes(k: int = K) -> np.ndarray:
    a = 2 * np.pi * np.arange(k) / k
    return RADIUS * np.column_stack([np.cos(a), np.sin(a)])


def synthetic_snapshot(step: int, hop_every: int = 4, n: int = 512, grid: int = 64, lines: int = 11,
                       points: int = 41, collapse: float = 1.0, seed: int = 0) -> Snapshot2D:
    """A ring of 8 Gaussians (radius 2, σ 0.05) and a G that sits on one mode and moves to the next every
    ``hop_every`` frames (``step`` counts frames): during a hop part of the z square already maps to the next
    mode; ``collapse`` < 1 blends in a G that spreads the z square over the plane (z → 2.2·tanh(1.3 z)). D is
    high near the real modes and low where the fakes are. Everything is what a trainer would send, made up with
    numpy."""
    rng = np.random.default_rng(seed)
    modes = ring_modes()
    x0, x1, y0, y1 = EXTENT
    edges_x, edges_y = np.linspace(x0, x1, grid + 1), np.linspace(y0, y1, grid + 1)
    xs, ys = (edges_x[:-1] + edges_x[1:]) / 2, (edges_y[:-1] + edges_y[1:]) / 2
    cell = (x1 - x0) / grid * (y1 - y0) / grid
    p_data = np.zeros((grid, grid))
    for mx, my in modes:  # exact cell averages: the Gaussian integrated over each cell
        px = np.diff(special.ndtr((edges_x - mx) / SIGMA))
        py = np.diff(special.ndtr((edges_y - my) / SIGMA))
        p_data += np.outer(py, px) / K / cell
    real = modes[rng.integers(0, K, n)] + SIGMA * rng.standard_normal((n, 2))

    m, phase = (step // hop_every) % K, step % hop_every
    boundary = 1.3 - 2.6 * phase / hop_every  # the share of z already on the next mode grows during a hop

    def g(z: np.ndarray) -> np.ndarray:
        w = special.expit(8 * (z[..., :1] - boundary))
        centre = (1 - w) * modes[m] + w * modes[(m + 1) % K]
        spread = 2.2 * np.tanh(1.3 * z) @ np.array([[0.9, 0.45], [-0.45, 0.9]])
        return collapse * (centre + 0.09 * np.tanh(1.5 * z)) + (1 - collapse) * spread

    t = np.linspace(-1, 1, points)
    across = np.linspace(-1, 1, lines)
    rows = np.stack([np.column_stack([t, np.full(points, c)]) for c in across])
    cols = np.stack([np.column_stack([np.full(points, c), t]) for c in across])
    z_mesh = np.concatenate([rows, cols])
    z = rng.uniform(-1, 1, (n, 2))
    fake = g(z)
    zz = np.stack(np.meshgrid(np.linspace(-1, 1, 160), np.linspace(-1, 1, 160)), -1).reshape(-1, 2)
    hist, _, _ = np.histogram2d(g(zz)[:, 1], g(zz)[:, 0], bins=[edges_y, edges_x])
    p_g = hist / len(zz) / cell

    def logit(p: np.ndarray) -> np.ndarray:
        near_real = sum(np.exp(-np.sum((p - mu) ** 2, -1) / (2 * 0.45 ** 2)) for mu in modes)
        near_fake = np.exp(-np.sum((p - fake.mean(0)) ** 2, -1) / (2 * 0.35 ** 2))
        return 4.0 * near_real - 5.0 * near_fake - 0.4

    centres = np.stack(np.meshgrid(xs, ys), -1)
    h = 1e-4
    dlogit = np.column_stack([(logit(fake + [h, 0]) - logit(fake - [h, 0])) / (2 * h),
                              (logit(fake + [0, h]) - logit(fake - [0, h])) / (2 * h)])
    dist = np.linalg.norm(fake[:, None, :] - modes[None], axis=-1)
    near = dist < 3 * SIGMA * 2  # the fakes' own spread is wider than σ: count a 6σ disc
    occupancy = near.mean(0)
    angle = np.linspace(0, 2 * np.pi, 48)
    outlines = [mu + 3 * SIGMA * np.column_stack([np.cos(angle), np.sin(angle)]) for mu in modes]
    covered = occupancy >= 0.2 / K
    return Snapshot2D(step=step, extent=EXTENT, p_data=p_data, p_g=p_g, d=special.expit(logit(centres)),
                      real=real, fake=fake, fake_logit=logit(fake), fake_dlogit=dlogit, z_mesh=z_mesh,
                      g_mesh=g(z_mesh), modes=modes, outlines=outlines, occupancy=occupancy,
                      jsd=0.45 - 0.02 * covered.sum(), jsd_err=0.012, sw1=0.9, sw1_floor=0.04, d_dev=0.3,
                      coverage=covered.mean(), quality=float(near.any(1).mean()),
                      pg_method="G on a 160 × 160 grid of z, binned", metrics={"loss_d": 1.1, "loss_g": 0.9})


@pytest.fixture
def figure(qtbot):
    import pyqtgraph as pg
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    fig = figure_for("2d")(st.Style())
    view.addItem(fig)
    view.resize(1000, 700)
    view.show()
    yield fig
    view.close()


def filled_rows(fig) -> list[int]:
    """Per column of the strip's history: the first covered mode."""
    return [int(np.flatnonzero(col > 0)[0]) for col in fig.history.cells]


def test_the_figure_is_registered_for_2d_snapshots():
    fig_cls = figure_for("2d")
    assert fig_cls.kind == "2d" == Snapshot2D.kind
    for name in ("show_snapshot", "blank", "reset_axes", "apply_style", "fit", "preview", "set_samples_visible",
                 "set_d_star_visible", "set_arrows_visible"):
        assert callable(getattr(fig_cls, name))


def test_the_strip_gets_one_column_per_step_and_shows_the_hop(figure):
    for step in range(0, 12):
        figure.show_snapshot(synthetic_snapshot(step))
    assert list(figure.history.steps) == list(range(12))
    assert figure.history.cells.shape == (12, K)
    rows = filled_rows(figure)
    assert rows[0] == 0 and rows == sorted(rows) and len(set(rows)) >= 3  # the filled row moves as G hops
    snap = synthetic_snapshot(11)
    np.testing.assert_array_equal(figure.history.cells[-1] > 0, snap.covered())
    figure.apply_style()  # the last frame drawn again: its column is replaced, not added
    assert figure.history.n == 12


def test_a_smaller_step_truncates_the_strip_and_blank_clears_it(figure):
    for step in (0, 2, 4, 6, 8):
        figure.show_snapshot(synthetic_snapshot(step))
    figure.show_snapshot(synthetic_snapshot(4))  # a restart from step 4
    assert list(figure.history.steps) == [0, 2, 4]
    figure.blank()
    assert figure.history.n == 0 and figure.last is None
    assert figure.strip_image.image is None or figure.strip_image.image.size == 0


def test_the_heat_map_is_d_and_the_mesh_holds_g_mesh(figure):
    snap = synthetic_snapshot(3)
    figure.show_snapshot(snap)
    np.testing.assert_array_equal(figure.heat.image, snap.d)
    assert len(figure._mesh) == snap.g_mesh.shape[0]
    for item, line in zip(figure._mesh, snap.g_mesh):
        np.testing.assert_allclose(item._segs[:, :2], line[:-1])
        np.testing.assert_allclose(item._segs[-1, 2:], line[-1])
    assert len(figure.fake_dots.data) == len(snap.fake)
    assert 0 < len(figure.pushes._segs) <= 64
    assert sum(len(c._segs) for c in figure.p_g_lines) > 0
    (x0, x1), (y0, y1) = figure.plot.vb.viewRange()
    assert x0 <= snap.extent[0] and x1 >= snap.extent[1] and y0 <= snap.extent[2] and y1 >= snap.extent[3]
    assert "modes <b>" in figure.caption.text
    assert figure.legend.toolTip().startswith("p_g: G on a 160")


def test_the_plane_keeps_its_range_between_frames_and_reset_axes_forgets_it(figure):
    figure.show_snapshot(synthetic_snapshot(0))
    before = figure.plot.vb.viewRange()
    assert before[0][0] <= -3.0 and before[0][1] >= 3.0 and before[1][0] <= -3.0 and before[1][1] >= 3.0
    figure.show_snapshot(synthetic_snapshot(1))
    assert figure.plot.vb.viewRange() == before
    figure.reset_axes(fixed_x=(-1.0, 1.0, -1.0, 1.0))
    figure.show_snapshot(synthetic_snapshot(2))
    assert figure.x_policy.fixed == (-1.0, 1.0, -1.0, 1.0)
    (x0, x1), (y0, y1) = figure.plot.vb.viewRange()
    assert x0 <= -1.0 and x1 >= 1.0 and x1 - x0 < 3
    figure.reset_axes(fixed_x=(-4.0, 6.0), fixed_y=0.8)  # a 1-D figure's range, carried over: ignored
    figure.show_snapshot(synthetic_snapshot(3))
    assert figure.x_policy.fixed is None and figure.plot.vb.viewRange() == before


def test_dark_theme_and_presenter_scale_restyle_the_figure(figure):
    figure.show_snapshot(synthetic_snapshot(5))
    figure.style.dark = True
    figure.style.scale = 2.0
    figure.apply_style()
    assert figure.last.step == 5
    assert tuple(figure.heat.lut[128]) == tuple(figure.heat.lut[128])  # a LUT is set
    figure.set_samples_visible(False)
    assert not figure.fake_dots.isVisible() and not figure.pushes.isVisible()
    figure.set_samples_visible(True)
    figure.set_arrows_visible(False)
    assert figure.fake_dots.isVisible() and not figure.pushes.isVisible()


def test_preview_draws_p_data_before_the_first_frame(figure):
    class Ring:
        def pdf(self, xy):
            return sum(np.exp(-np.sum((xy - mu) ** 2, -1) / (2 * 0.2 ** 2)) for mu in ring_modes())

        def extent(self):
            return EXTENT

    figure.preview(Ring())
    assert len(figure.p_data_lines._segs) > 0
    figure.show_snapshot(synthetic_snapshot(0))
    assert len(figure.p_data_lines._segs) == 0


def test_export_renders_a_2d_snapshot_as_png_and_svg(qapp, tmp_path):
    from ganviz.export.frames import PanelsRenderer
    renderer = PanelsRenderer(640, 400, kind="2d")
    try:
        img = renderer.render(synthetic_snapshot(4))
        assert img.shape == (400, 640, 3)
        assert np.count_nonzero(np.any(img != 255, axis=-1)) > 0.1 * 640 * 400
        out = tmp_path / "frame.svg"
        renderer.save_vector(str(out), [synthetic_snapshot(4)])
    finally:
        renderer.close()
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert len(list(root.iter())) > 50


def test_holes_in_the_grids_and_a_target_without_modes_draw_without_warnings(figure):
    """A critic's D may be NaN where it cannot be read as a ratio; a CSV's cloud may have no modes at all."""
    from dataclasses import replace
    snap = synthetic_snapshot(2)
    d, p_g = snap.d.copy(), snap.p_g.copy()
    d[:5], p_g[:, :3] = np.nan, np.nan
    figure.show_snapshot(replace(snap, d=d, p_g=p_g))
    bare = replace(synthetic_snapshot(3), modes=np.zeros((0, 2)), outlines=[], occupancy=np.zeros(0))
    figure.show_snapshot(bare)
    assert "modes <b>0/0</b>" in figure.caption.text
    figure.show_snapshot(replace(synthetic_snapshot(4), jsd=float("nan")))  # diverged: said, nothing redrawn
    assert "diverged" in figure.caption.text


def test_the_live_view_swaps_to_the_plane_for_a_2d_snapshot_and_keeps_its_options(qtbot):
    from ganviz.ui.figure_view import FigureView
    view = FigureView(st.Style())
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    view.set_option("samples", False)
    view.show_snapshot(synthetic_snapshot(1))
    assert view.panel.kind == "2d" and view.last.step == 1
    assert not view.panel.fake_dots.isVisible()
    view.set_option("samples", True)
    assert view.panel.fake_dots.isVisible() and len(view.panel.fake_dots.data) == 512
    view.style.dark = True
    view.apply_style()
