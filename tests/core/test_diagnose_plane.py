"""The badge in the plane: the same state model reads a 2-D run's records (covered masks, the emptiest mode's
share, JSD on the grid), and names hopping, collapse and Nash where a viewer of the ring would."""

import numpy as np

from tests.core.test_diagnose import history, now

from ganviz.core.diagnose import judge

K = 8


def plane(masks, **columns):
    """Records of a ring of K modes with these covered masks (one per record)."""
    counts = np.array([bin(m).count("1") for m in masks])
    base = dict(jsd=0.45, d_dev=0.2, n_modes=K, covered=list(masks), coverage=list(counts / K),
                mode_low=[1.0 if c == K else 0.0 for c in counts], stray=0.1, spread=float("nan"), dim=2)
    return history(n=len(masks), start=20, **{**base, **columns})


def test_one_mode_at_a_time_moving_around_the_ring_is_mode_hopping():
    masks = [1 << ((i // 4) % K) for i in range(40)]  # four records on each mode, then the next
    assert now(plane(masks)) == "mode_hopping"


def test_hops_through_records_that_cover_nothing_still_count():
    masks = [0, 0, 1 << 3, 0, 0, 1 << 5, 0, 1 << 5, 0, 0] * 4  # G in transit between modes most of the time
    masks[-10:] = [0, 1 << 1, 0, 0, 1 << 6, 0, 0, 1 << 2, 0, 0]
    assert now(plane(masks)) == "mode_hopping"


def test_one_mode_kept_for_good_is_mode_collapse_not_hopping():
    masks = [1 << 2] * 40
    assert now(plane(masks)) == "mode_collapse"


def test_a_grid_that_keeps_most_modes_while_some_flicker_is_not_hopping():
    rng = np.random.default_rng(0)
    full = (1 << 25) - 1
    masks = [full & ~(1 << int(a)) & ~(1 << int(b)) for a, b in rng.integers(0, 25, size=(40, 2))]
    rows = plane(masks, n_modes=25, mode_low=0.0, jsd=0.15)
    assert now(rows) != "mode_hopping"


def test_every_mode_covered_with_d_at_one_half_is_nash_in_the_plane_too():
    rows = plane([(1 << K) - 1] * 40, jsd=0.01, d_dev=0.02, stray=0.0)
    assert judge(rows)[0] == "equilibrium"
