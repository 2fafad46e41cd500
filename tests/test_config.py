import json

import pytest

from ganviz.config import ConfigError, TrainConfig


def test_json_round_trip(tmp_path):
    cfg = TrainConfig(lr_d=0.01, mixture_means=[-1.0, 1.0, 3.0], mixture_stds=[1, 1, 1],
                      mixture_weights=[1, 1, 2])
    path = tmp_path / "c.json"
    path.write_text(cfg.to_json())
    assert TrainConfig.from_json_file(path) == cfg


def test_an_exported_metrics_file_is_read_as_its_config(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"config": TrainConfig(seed=7).to_dict(), "history": []}))
    assert TrainConfig.from_json_file(path).seed == 7


@pytest.mark.parametrize("change,message", [
    ({"lr_d": -1}, "lr_d=-1.0 is out of range; allowed: 1e-06 ≤ lr_d ≤ 10"),
    ({"d_steps": 0}, "d_steps=0 is out of range; allowed: 1 ≤ d_steps ≤ 100"),
    ({"d_steps": 1.5}, "d_steps must be a whole number"),
    ({"g_loss": "hinge"}, "g_loss='hinge' is not allowed; choose one of: saturating"),
    ({"target_std": 0}, "target_std=0.0 is out of range"),
    ({"lr_g": "fast"}, "lr_g must be a number, got 'fast'"),
    ({"bogus": 1}, "unknown key 'bogus'"),
    ({"uniform_low": 2.0}, "uniform_high (1.0) must be greater than uniform_low (2.0)"),
    ({"mixture_means": [0, 1, 2]}, "must have the same length"),
])
def test_bad_values_are_refused_naming_key_and_range(change, message):
    with pytest.raises(ConfigError) as err:
        TrainConfig().replace(**change)
    assert message in str(err.value)


def test_set_assignments_parse_numbers_lists_and_words():
    cfg = TrainConfig().with_assignments(["lr_d=1e-3", "g_loss=saturating", "mixture_means=[-1, 1]",
                                          "mixture_stds=0.5,0.5", "mixture_weights=[1,3]", "d_steps=5"])
    assert cfg.lr_d == 1e-3 and cfg.g_loss == "saturating" and cfg.d_steps == 5
    assert cfg.mixture_means == [-1.0, 1.0] and cfg.mixture_stds == [0.5, 0.5]


def test_invalid_json_config_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"lr_d": 0.1,\n oops}')
    with pytest.raises(ConfigError, match="not valid JSON.*line 2"):
        TrainConfig.from_json_file(path)
