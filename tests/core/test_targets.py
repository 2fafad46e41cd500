import numpy as np
import pytest
import torch
from scipy import stats

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.targets import Empirical, Gaussian, Mixture, Uniform, load_csv_column, make_target


def draw(target, n=20000):
    g = torch.Generator().manual_seed(0)
    raw = {k: (torch.rand if k == "uniform" else torch.randn)((1, n), generator=g) for k in target.draws}
    return target.transform(raw).numpy().ravel()


@pytest.mark.parametrize("target", [Gaussian(1, 0.5), Mixture([0.2, 0.5, 0.3], [-3, 0, 2.5], [0.3, 0.6, 0.2]),
                                    Uniform(-1, 2), Empirical.from_csv("old_faithful.csv", "eruptions")])
def test_samples_follow_the_cdf(target):
    assert stats.kstest(draw(target), target.cdf).statistic < 0.02


def test_pdfs_integrate_to_one_and_match_the_cdfs():
    for target in (make_target(TrainConfig(target=t)) for t in ("gaussian", "mixture", "uniform", "empirical")):
        lo, hi = target.support()
        x = np.linspace(lo - 2, hi + 2, 40001)
        assert target.pdf(x).sum() * (x[1] - x[0]) == pytest.approx(1.0, abs=2e-3)
        mid = np.linspace(lo, hi, 7)
        numeric = np.interp(mid, x, np.cumsum(target.pdf(x)) * (x[1] - x[0]))
        assert np.allclose(numeric, target.cdf(mid), atol=3e-3)


def test_mean_and_std_are_the_distributions_own():
    for target in (Gaussian(1, 0.5), Mixture([0.3, 0.7], [-1, 2], [0.5, 0.2]), Uniform(-1, 2)):
        s = draw(target, 200_000)
        mean, std = target.mean_std()
        assert mean == pytest.approx(s.mean(), abs=0.01) and std == pytest.approx(s.std(), rel=0.01)


def test_old_faithful_is_shipped_and_bimodal():
    target = make_target(TrainConfig(target="empirical"))
    assert target.values.size == 272
    modes = target.modes()
    assert len(modes) == 2 and modes[0].hi == pytest.approx(3.0, abs=0.4)
    assert modes[0].peak == pytest.approx(2.0, abs=0.2) and modes[1].peak == pytest.approx(4.4, abs=0.2)


def test_a_large_data_set_is_binned_for_the_pdf_but_sampled_whole():
    values = np.random.default_rng(0).normal(0, 1, 200_000)
    target = Empirical(values)
    assert target.centres.size <= 2048
    x = np.linspace(-3, 3, 13)
    assert np.allclose(target.pdf(x), stats.norm.pdf(x), atol=0.01)


@pytest.mark.parametrize("content,message", [
    ("x\n1\nabc\n3\n", "line 3, column 'x': 'abc' is not a number"),
    ("", "is empty"),
    ("x\n1.5\n", "needs at least 2 values"),
    ("x\n1\nnan\n", "not a finite number"),
    ("x\n2\n2\n2\n", "single distinct value"),
    ("y\n1\n2\n", "has no column 'x'"),
    ("x\n1\n1e300\n", "beyond ±1e6"),
])
def test_bad_csv_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_csv_column(path, "x")


def test_missing_csv_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read CSV"):
        load_csv_column(tmp_path / "nope.csv", "x")
