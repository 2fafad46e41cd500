import numpy as np
import pytest
import torch
from scipy import stats

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.targets import Empirical, Mixture, Uniform, load_csv_column, make_target


def draw(target, n=20000):
    g = torch.Generator().manual_seed(0)
    return target.sample(n, g, torch.device("cpu")).numpy().ravel()


def cdf_from_pdf(target, lo, hi):
    x = np.linspace(lo, hi, 20001)
    c = np.cumsum(target.pdf(x)) * (x[1] - x[0])
    return lambda v: np.interp(v, x, c)


@pytest.mark.parametrize("target", [Mixture([0.2, 0.5, 0.3], [-3, 0, 2.5], [0.3, 0.6, 0.2]), Uniform(-1, 2),
                                    Empirical.from_csv("old_faithful.csv", "eruptions")])
def test_samples_follow_the_pdf(target):
    lo, hi = target.support()
    ks = stats.kstest(draw(target), cdf_from_pdf(target, lo - 1, hi + 1))
    assert ks.statistic < 0.02


def test_pdfs_integrate_to_one():
    for target in (make_target(TrainConfig(target=t)) for t in ("gaussian", "mixture", "uniform", "empirical")):
        lo, hi = target.support()
        x = np.linspace(lo - 2, hi + 2, 40001)
        assert target.pdf(x).sum() * (x[1] - x[0]) == pytest.approx(1.0, abs=2e-3)


def test_old_faithful_is_shipped_and_bimodal():
    target = make_target(TrainConfig(target="empirical"))
    assert target.values.size == 272
    modes = target.modes()
    assert len(modes) == 2 and modes[0].hi == pytest.approx(3.0, abs=0.4)


def test_mixture_modes_split_between_components():
    modes = Mixture([0.5, 0.5], [-2, 2], [0.3, 0.3]).modes()
    assert len(modes) == 2 and modes[0].hi == pytest.approx(0.0, abs=0.01)


@pytest.mark.parametrize("content,message", [
    ("x\n1\nabc\n3\n", "line 3, column 'x': 'abc' is not a number"),
    ("", "is empty"),
    ("x\n1.5\n", "needs at least 2 values"),
    ("x\n1\nnan\n", "not a finite number"),
    ("x\n2\n2\n2\n", "single distinct value"),
    ("y\n1\n2\n", "has no column 'x'"),
])
def test_bad_csv_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_csv_column(path, "x")


def test_missing_csv_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read CSV"):
        load_csv_column(tmp_path / "nope.csv", "x")
