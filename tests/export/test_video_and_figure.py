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


def test_the_four_panels_tell_the_papers_story_from_the_runs_own_states(qapp, tmp_path):
    """(a) near convergence, (b) the same G with D trained alone until D ≈ D*, (c) G's updates against that
    D, (d) the end — each caption says what was done, with the measurement."""
    from ganviz.config import TrainConfig
    from ganviz.export.figure1 import figure1
    out = tmp_path / "fig.png"
    shown = figure1(TrainConfig(steps=600, batch_size=64), str(out), size=(1600, 480))
    assert "near convergence" in shown[0] and "D trained alone" in shown[1] and "|D − D*|" in shown[1]
    assert "G update" in shown[2] and "step 600" in shown[3]
    with Image.open(out) as im:
        assert im.size == (1600, 480)


def test_d_trained_alone_converges_to_d_star(qapp):
    """Panel (b) is the paper's inner loop: with G fixed, D approaches D* = p_data / (p_data + p_g)."""
    import torch

    from ganviz.config import TrainConfig
    from ganviz.core.trainer import Trainer
    from ganviz.engine.drive import Driver
    from ganviz.engine.story import d_star_gap, tell
    trainer = Trainer(TrainConfig(batch_size=128, seed=3))
    trainer.train(150)
    before = d_star_gap(Driver(trainer).snapshot())[0]
    end = Driver(trainer).snapshot()
    story = tell(trainer, end)
    after = d_star_gap(story.snapshots[1])[0]
    assert after < 0.02 <= before or after < 0.5 * before, (before, after)
    assert torch.isfinite(trainer.g_params).all()