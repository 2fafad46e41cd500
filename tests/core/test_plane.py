"""Targets in the plane: samples follow the density, the coverage rule counts what it says, and a trainer on a
plane target measures a Snapshot2D whose numbers a learner can trust."""

import math

import numpy as np
import pytest
import torch

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.measure import take_snapshot
from ganviz.core.plane import COVER_SHARE, Grid, Moons, Ring, Spiral, make_plane_target
from ganviz.core.trainer import Trainer

PLANE = ["ring", "grid", "moons", "spiral", "points"]


def _samples(target, n=40_000, seed=0):
    """Samples through the training path (the tensors' transform), as numpy."""
    gen = torch.Generator().manual_seed(seed)
    raw = {k: (torch.rand if k.startswith("uniform") else torch.randn)((1, n, 2) if k.endswith("2") else (1, n),
                                                                      generator=gen) for k in target.draws}
    return target.transform(raw).reshape(-1, 2).numpy().astype(np.float64)


@pytest.mark.parametrize("name", PLANE)
def test_samples_follow_the_density_cell_by_cell(name):
    target = make_plane_target(TrainConfig(target=name))
    x0, x1, y0, y1 = target.extent()
    xe, ye = np.linspace(x0, x1, 17), np.linspace(y0, y1, 17)
    exact, outside = target.cell_masses(xe, ye)
    assert exact.sum() + outside == pytest.approx(1.0, abs=1e-9) and outside < 1e-3
    counts, _, _ = np.histogram2d(_samples(target)[:, 1], _samples(target)[:, 0], bins=(ye, xe))
    observed = counts / counts.sum()
    big = exact > 0.01  # cells with enough mass for a tight comparison: within 4 binomial standard errors
    se = np.sqrt(exact[big] * (1 - exact[big]) / 40_000)
    assert np.all(np.abs(observed[big] - exact[big]) < 4 * se + 1e-3)
    # the pdf integrates to the cell masses (midpoint rule on a fine grid)
    fine = np.linspace(x0, x1, 401)
    xx, yy = np.meshgrid(0.5 * (fine[1:] + fine[:-1]), 0.5 * (fine[1:] + fine[:-1]))
    area = ((x1 - x0) / 400) * ((y1 - y0) / 400)
    assert (target.pdf(np.stack([xx, yy], -1)) * area).sum() == pytest.approx(1.0, abs=0.02)


def test_ring_modes_sit_on_the_circle_and_the_coverage_rule_counts_within_three_sigma():
    ring = Ring(8, 2.0, 0.05)
    centres = ring.mode_centres()
    assert np.allclose(np.linalg.norm(centres, axis=1), 2.0)
    inside = centres[3] + [0.05 * 2.9, 0.0]  # 2.9σ from mode 3: near it
    outside = centres[3] + [0.05 * 3.1, 0.0]  # 3.1σ: near nothing
    occ, quality = ring.occupancy(np.array([inside, outside, centres[5]]))
    assert occ[3] == pytest.approx(1 / 3) and occ[5] == pytest.approx(1 / 3) and occ.sum() == pytest.approx(2 / 3)
    assert quality == pytest.approx(2 / 3)
    # a collapsed G (every sample on mode 0) covers 1 of 8; an even spread covers all
    assert (ring.occupancy(np.repeat(centres[:1], 100, 0))[0] >= COVER_SHARE / 8).sum() == 1
    assert (ring.occupancy(_samples(ring, 8000))[0] >= COVER_SHARE / 8).sum() == 8


def test_grid_moons_and_spiral_have_the_modes_they_name():
    assert Grid(5, 2.0, 0.05).n_modes == 25
    moons = Moons(0.1)
    assert moons.n_modes == 2 and len(moons.outlines()) == 2
    occ, quality = moons.occupancy(_samples(moons, 20_000))
    assert occ == pytest.approx([0.5, 0.5], abs=0.02) and quality > 0.99  # p_data itself: 3σ holds 98.9 %
    assert Spiral(0.1).n_modes == 4


def test_points_from_two_csv_columns_and_clear_errors(tmp_path):
    target = make_plane_target(TrainConfig(target="points"))  # Old Faithful: eruptions × waiting
    mean, std = target.mean_std()
    assert np.allclose(mean, 0, atol=1e-9) and np.all((std > 1.0) & (std < 1.3))  # standardised (+ bandwidth)
    bad = tmp_path / "one.csv"
    bad.write_text("a,b\n1,x\n2,3\n")
    with pytest.raises(ConfigError, match="column 'b'"):
        make_plane_target(TrainConfig(target="points", data_path=str(bad), data_column="a", data_column_y="b"))


@pytest.mark.parametrize("name", ["ring", "moons"])
def test_a_trainer_in_the_plane_measures_a_snapshot2d(name):
    cfg = TrainConfig(target=name, g_width=32, d_width=32, batch_size=128, seed=1)
    t = Trainer(cfg)
    assert t.dim == 2 and t.z_dim == 2  # z is 2-D for a plane target, whatever noise_dim says
    t.train(30)
    snap = take_snapshot(t)
    assert snap.kind == "2d"
    assert snap.p_data.shape == snap.p_g.shape == snap.d.shape
    p, q = snap.masses()
    assert p.sum() == pytest.approx(1.0, abs=0.01) and q.sum() <= 1.0 + 1e-9
    assert 0.0 <= snap.jsd <= math.log(2) and snap.jsd_err < 0.05
    assert snap.sw1 > snap.sw1_floor  # an untrained G is farther from p_data than sampling noise
    assert snap.g_mesh.shape == snap.z_mesh.shape and snap.push().shape == snap.fake.shape
    row = snap.record()
    assert row["n_modes"] == t.target.n_modes and isinstance(row["covered"], int)


def test_switching_between_a_line_and_the_plane_rebuilds_the_nets():
    t = Trainer(TrainConfig(batch_size=64))
    t.train(3)
    t.set(target="ring")
    t.train(3)
    assert t.g_of(t.side_z(4)).shape == (4, 2)
    t.set(target="gaussian")
    t.train(3)
    assert t.g_of(t.side_z(4)).shape == (4,)
