import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ganviz(*args, cwd=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "ganviz", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=300)


def test_run_writes_metrics_json_with_the_contract_keys(tmp_path):
    out = tmp_path / "m.json"
    r = ganviz("run", "--steps", "200", "--set", "batch_size=64", "--metrics", str(out))
    assert r.returncode == 0, r.stderr
    assert "steps 200" in r.stdout and "JSD" in r.stdout and "steps/s" in r.stdout
    data = json.loads(out.read_text())
    assert data["config"]["batch_size"] == 64
    for key in ("step", "loss_d", "loss_g", "jsd", "d_real", "d_fake", "grad_norm_g"):
        assert key in data["history"][-1]
    for key in ("steps", "jsd", "d_dev", "mode_coverage", "steps_per_second", "diagnosis"):
        assert key in data["summary"]
    assert data["summary"]["steps"] == 200


def test_run_writes_csv(tmp_path):
    out = tmp_path / "m.csv"
    r = ganviz("run", "--steps", "100", "--metrics", str(out))
    assert r.returncode == 0, r.stderr
    lines = out.read_text().splitlines()
    assert lines[0].startswith("step,") and len(lines) == 3


def test_the_same_seed_reproduces_the_same_metrics(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        assert ganviz("run", "--steps", "100", "--seed", "3", "--metrics", str(out)).returncode == 0
    assert json.loads(a.read_text())["history"] == json.loads(b.read_text())["history"]


@pytest.mark.parametrize("args,needle", [
    (["--set", "lr_d=-1"], "lr_d"),
    (["--set", "d_steps=0"], "d_steps"),
    (["--preset", "no_such_preset"], "unknown preset 'no_such_preset'"),
    (["--set", "target=empirical", "--set", "data_path=BADCSV"], "is not a number"),
    (["--config", "BADJSON"], "not valid JSON"),
    (["--metrics", "out.txt"], "unknown extension"),
    (["--metrics", "/nonexistent-dir/m.json"], "does not exist"),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, args, needle):
    (tmp_path / "bad.csv").write_text("x\n1\nhello\n")
    (tmp_path / "bad.json").write_text("{not json")
    args = [a.replace("BADCSV", str(tmp_path / "bad.csv")).replace("BADJSON", str(tmp_path / "bad.json"))
            for a in args]
    if "target=empirical" in args:
        args += ["--set", "data_column=x"]
    r = ganviz("run", "--steps", "10", *args, cwd=tmp_path)
    assert r.returncode == 2
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_a_diverging_run_exits_2_saying_at_which_step():
    r = ganviz("run", "--steps", "3000", "--set", "optimizer=sgd", "--set", "lr_d=10", "--set", "lr_g=10",
               "--set", "momentum=0.99", "--set", "g_loss=wasserstein_gp", "--set", "gp_weight=0",
               "--set", "record_every=10")
    assert r.returncode == 2
    assert "diverged at step" in r.stderr and "Traceback" not in r.stderr


def test_presets_lists_names_with_their_purpose():
    r = ganviz("presets")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("figure1") and any(line.startswith("mode_collapse") for line in lines)
    assert all(" — " in line for line in lines)


def test_run_preset_prints_the_diagnosis():
    r = ganviz("run", "--preset", "weak_discriminator")
    assert r.returncode == 0, r.stderr
    assert "diagnosis: weak_discriminator" in r.stdout
