import json

import pytest

from ganviz.config import RESET_KEYS, TARGET_KEYS, ConfigError, TrainConfig, format_value


def test_json_round_trip(tmp_path):
    cfg = TrainConfig(lr_d=0.01, mixture_means=[-1.0, 1.0, 3.0], mixture_stds=[1, 1, 1],
                      mixture_weights=[1, 1, 2], minibatch_std=True)
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
    ({"uniform_low": 2.0}, "uniform_high (1) must be greater than uniform_low (2)"),
    ({"mixture_means": [0, 1, 2]}, "must have the same length"),
    ({"mixture_means": {"a": 1}}, "mixture_means must be a list of numbers"),
    ({"target_mean": {"nested": [1]}}, "target_mean must be a number"),
    ({"minibatch_std": "maybe"}, "minibatch_std must be true or false"),
    ({"mixture_weights": [1] * 20000, "mixture_means": [0] * 20000, "mixture_stds": [1] * 20000},
     "at most 12 are allowed"),
])
def test_bad_values_are_refused_naming_key_and_range(change, message):
    with pytest.raises(ConfigError) as err:
        TrainConfig().replace(**change)
    assert message in str(err.value)


def test_set_assignments_parse_numbers_lists_booleans_and_words():
    cfg = TrainConfig().with_assignments(["lr_d=1e-3", "g_loss=saturating", "mixture_means=[-1, 1]",
                                          "mixture_stds=0.5,0.5", "mixture_weights=[1,3]", "d_steps=5",
                                          "minibatch_std=true"])
    assert cfg.lr_d == 1e-3 and cfg.g_loss == "saturating" and cfg.d_steps == 5 and cfg.minibatch_std
    assert cfg.mixture_means == [-1.0, 1.0] and cfg.mixture_stds == [0.5, 0.5]


def test_every_knob_has_a_label_a_doc_and_a_group():
    for key in TrainConfig.keys():
        spec = TrainConfig.spec(key)
        assert spec["label"] and spec["doc"] and spec["group"], key


def test_what_a_live_change_does_is_read_from_the_metadata():
    assert {"g_width", "noise", "seed", "minibatch_std"} <= RESET_KEYS
    assert {"target", "data_path", "mixture_means"} <= TARGET_KEYS
    assert "lr_d" not in RESET_KEYS | TARGET_KEYS


def test_values_are_formatted_as_a_person_reads_them():
    assert format_value("lr_g", 0.0015848931924611114) == "0.00158"
    assert format_value("minibatch_std", True) == "on"


@pytest.mark.parametrize("content,needle", [
    ('{"lr_d": 0.1,\n oops}', "not valid JSON: Expecting property name enclosed in double quotes at line 2"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"config": ' * 40 + "{}" + "}" * 40, "nested too deeply"),
    ('"just text"', "a config must be a JSON object"),
    ('{"target_mean": "far"}', "target_mean must be a number"),
])
def test_bad_config_files_are_one_clear_message(tmp_path, content, needle):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(").replace("[", r"\[")):
        TrainConfig.from_json_file(path)


def test_binary_huge_and_device_configs_are_refused_quickly(tmp_path):
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        TrainConfig.from_json_file(binary)
    big = tmp_path / "big.json"
    big.write_text('{"seed": 1, "pad": "' + "x" * (2 << 20) + '"}')
    with pytest.raises(ConfigError, match="too large"):
        TrainConfig.from_json_file(big)
    with pytest.raises(ConfigError, match="not a regular file"):
        TrainConfig.from_json_file("/dev/zero")
