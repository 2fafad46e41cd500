import json

import pytest

from ganviz.config import ConfigError
from ganviz.presets import list_presets, load_preset_file


@pytest.mark.parametrize("body,needle", [
    ({"config": {}, "schedule": "switch at 1500"}, "'schedule' must be an object"),
    ({"config": {}, "schedule": {"soon": {"g_loss": "saturating"}}}, "must map a step number"),
    ({"config": {}, "schedule": {"100": {"g_loss": "hinge"}}}, "g_loss='hinge' is not allowed"),
    ({"config": {"lr_d": -1}}, "lr_d"),
    ({"config": {}, "view": {"x": [3, 1]}}, "'view' must look like"),
    (["not", "an", "object"], "must be a JSON object"),
])
def test_a_broken_preset_file_is_a_clear_message(tmp_path, body, needle):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(body))
    with pytest.raises(ConfigError, match=needle):
        load_preset_file(path)


def test_every_shipped_preset_explains_itself():
    presets = list_presets()
    assert {"figure1", "nash", "mode_collapse", "vanishing_gradients", "oscillation", "helvetica",
            "weak_discriminator", "old_faithful"} <= {p.name for p in presets}
    for p in presets:
        assert p.title and p.summary and p.explanation and (p.phenomenon or p.claims), p.name
