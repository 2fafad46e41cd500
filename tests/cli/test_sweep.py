import json

from PIL import Image

from tests.cli.helpers import ganviz


def test_sweep_writes_the_grid_as_json_and_a_cell_replays_as_a_run(tmp_path):
    out = tmp_path / "grid.json"
    r = ganviz("sweep", "--set", "batch_size=64", "--steps", "100", "--x", "lr_d=1e-3:1e-2:log:2",
               "--y", "r1_gamma=0,1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "2×2 cells after 100 steps" in r.stdout
    result = json.loads(out.read_text())
    assert len(result["cells"]) == 4 and {c["outcome"] for c in result["cells"]} <= {
        "equilibrium", "converging", "training", "mode_collapse", "oscillation", "vanishing_gradients",
        "weak_discriminator", "broken_game", "diverged"}
    cell = result["cells"][3]
    cfg = dict(result["config"], lr_d=cell["lr_d"], r1_gamma=cell["r1_gamma"])
    (tmp_path / "cell.json").write_text(json.dumps(cfg))
    m = tmp_path / "m.json"
    assert ganviz("run", "--config", str(tmp_path / "cell.json"), "--metrics", str(m)).returncode == 0
    jsd = json.loads(m.read_text())["summary"]["jsd"]
    assert abs(jsd - cell["jsd"]) < 0.02  # the cell, opened as a run, follows its trajectory


def test_sweep_draws_a_png(tmp_path):
    out = tmp_path / "grid.png"
    r = ganviz("sweep", "--set", "batch_size=32", "--steps", "30", "--x", "lr_d=1e-3:1e-2:log:3",
               "--y", "seed=0,1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert im.size[0] > 300 and len(im.convert("RGB").getcolors(maxcolors=100_000) or []) > 10
