import json
import subprocess
import sys


def test_bench_prints_the_table_and_writes_sane_json(tmp_path):
    out = tmp_path / "b.json"
    r = subprocess.run([sys.executable, "-m", "ganviz", "bench", "--quick", "--json", str(out)],
                       capture_output=True, text=True, timeout=400)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    for key in ("trainer_vs_reference", "gui_vs_headless", "gui_fps", "snapshot_ms", "export_fps", "sweep"):
        assert key in data, key
    assert 0.2 < data["trainer_vs_reference"] < 20
    assert 0.05 < data["gui_vs_headless"] < 3 and data["gui_fps"] > 1
    assert 0 < data["snapshot_ms"] < 500 and data["export_fps"] > 0.5
    assert set(data["sweep"]["gan_its"]) == {"1", "64", "256"} and 0 < data["sweep"]["matmul_fraction"] < 1.5
    assert "trainer vs reference loop" in r.stdout and "GUI-driven vs headless" in r.stdout
