import numpy as np
import pytest
from PIL import Image

from ganviz.export.video import gif_durations, write_animation
from ganviz.io.limits import InputError


@pytest.mark.parametrize("fps", [30, 24, 15, 7, 50])
def test_gif_delays_average_exactly_the_fps_asked_for(fps):
    d = gif_durations(3 * fps, fps)
    assert all(v % 10 == 0 for v in d)  # GIF delays are whole centiseconds
    assert sum(d) == 3000  # three seconds of frames take three seconds


def test_a_gif_plays_at_its_fps_and_a_fast_gif_is_refused(tmp_path):
    frames = [np.full((40, 60, 3), i * 8, dtype=np.uint8) for i in range(30)]
    out = tmp_path / "a.gif"
    assert write_animation(iter(frames), str(out), fps=30) == 30
    with Image.open(out) as im:
        total = 0
        for i in range(im.n_frames):
            im.seek(i)
            total += im.info["duration"]
    assert total == 1000
    with pytest.raises(InputError, match="at most 50 frames per second"):
        write_animation(iter(frames), str(tmp_path / "b.gif"), fps=60)


def test_an_mp4_is_written_and_nothing_else_is_left(tmp_path):
    frames = [np.random.default_rng(i).integers(0, 255, (72, 128, 3), dtype=np.uint8) for i in range(10)]
    out = tmp_path / "a.mp4"
    assert write_animation(iter(frames), str(out), fps=10) == 10
    assert out.stat().st_size > 1000 and [p.name for p in tmp_path.iterdir()] == ["a.mp4"]


def test_the_four_panels_share_one_row_and_one_set_of_axes(qapp, tmp_path):
    from ganviz.config import TrainConfig
    from ganviz.export.figure1 import choose_steps, figure1
    out = tmp_path / "fig.png"
    steps = figure1(TrainConfig(steps=600, batch_size=64), str(out), size=(1600, 480))
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] == 600
    with Image.open(out) as im:
        assert im.size == (1600, 480)
    records = [{"step": s, "jsd": j, "d_dev": d} for s, j, d in
               zip(range(0, 1000, 100), [0.6, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02],
                   [0.0, 0.3, 0.2, 0.1, 0.1, 0.05, 0.03, 0.02, 0.01, 0.01])]
    a, b, c, d = choose_steps(records)
    assert (a, b, d) == (0, 100, 900) and 100 < c < 900  # (b): D most confident; (c): JSD halfway down
