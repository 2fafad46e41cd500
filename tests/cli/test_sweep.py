import json
import subprocess
import sys

import pytest

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.runner import run_headless
from ganviz.sweep import parse_axis, render_png, run_sweep


@pytest.mark.parametrize("spec,needle", [
    ("lr_d=abc:1e-1:log:4", "'abc' is not a number"),
    ("lr_d=1e-1:1e-4:log:4", "reversed"),
    ("lr_d=1e-4:1e-1:log:100", "N must be a whole number from 1 to 32"),
    ("g_width=1:8:4", "cannot be swept"),
    ("lr_d=-1:1:lin:4", "out of range"),
    ("lr_d", "must look like"),
    ("g_loss=saturating,hinge", "not allowed"),
])
def test_bad_axis_specs_get_a_clear_message(spec, needle):
    with pytest.raises(ConfigError, match=needle):
        parse_axis(spec)


def test_axis_values_on_log_and_list_axes():
    assert parse_axis("lr_d=1e-4:1e-2:log:3").values == pytest.approx([1e-4, 1e-3, 1e-2])
    assert parse_axis("d_steps=1:5:lin:3").values == [1, 3, 5]
    assert parse_axis("g_loss=saturating,non_saturating").values == ["saturating", "non_saturating"]


def test_a_small_sweep_diagnoses_every_cell_and_a_cell_rerun_singly_agrees(tmp_path):
    base = TrainConfig(batch_size=64, g_width=16, d_width=16, steps=400, record_every=40)
    x, y = parse_axis("lr_d=1e-5:2e-3:log:2"), parse_axis("g_loss=saturating,non_saturating")
    result = run_sweep(base, x, y)
    cells = result["cells"]
    assert len(cells) == 4 and {"outcome", "jsd", "d_dev", "lr_d", "g_loss"} <= set(cells[0])
    assert len({c["outcome"] for c in cells}) >= 2  # the grid shows distinct regions
    cell = cells[-1]
    single = run_headless(base.replace(lr_d=cell["lr_d"], g_loss=cell["g_loss"]))
    assert single.summary["jsd"] == pytest.approx(cell["jsd"], abs=0.02)
    from ganviz.core.diagnose import headline
    assert headline(single.summary["diagnosis"], single.history) == cell["outcome"]
    render_png(result, str(tmp_path / "g.png"))
    from PIL import Image
    assert Image.open(tmp_path / "g.png").size[0] > 300


def test_cli_sweep_writes_json_and_refuses_bad_specs(tmp_path):
    out = tmp_path / "g.json"
    r = subprocess.run([sys.executable, "-m", "ganviz", "sweep", "--steps", "60", "--set", "batch_size=32",
                        "--x", "lr_d=1e-4:1e-2:log:2", "--y", "seed=0:1:lin:2", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    assert data["axes"]["x"]["key"] == "lr_d" and len(data["cells"]) == 4
    r = subprocess.run([sys.executable, "-m", "ganviz", "sweep", "--x", "lr_d=1e-4:1e-1:log:100", "--y",
                        "lr_g=1e-4:1e-1:log:100", "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "from 1 to 32" in r.stderr and "Traceback" not in r.stderr
