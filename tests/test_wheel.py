"""`pip install .` must give a working app: the wheel carries the presets, the lessons, the challenges, the data
and the icon."""

import os
import subprocess
import sys
import zipfile

from tests.cli.helpers import ROOT

SCRIPT = """
import ganviz, sys
from ganviz.presets import list_presets
from ganviz.engine.headless import run_headless
from ganviz.io.resources import icon_path
assert ganviz.__file__.startswith(sys.argv[1]), ganviz.__file__
names = []
for p in list_presets():
    run = run_headless(p.config, steps=20, schedule=p.schedule)
    assert run.records[-1]["step"] == 20
    names.append(p.name)
assert icon_path().is_file()
from ganviz.lessons import list_challenges, list_lessons
assert len(list_lessons()) >= 2 and len(list_challenges()) >= 6
print(" ".join(names))
"""


def test_the_wheel_installed_outside_the_checkout_runs_every_preset(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheels), ROOT], check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("ganviz-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ganviz/resources/presets/old_faithful.json" in names and "ganviz/resources/data/old_faithful.csv" in names
    assert "ganviz/resources/lessons/paper.json" in names and "ganviz/resources/challenges/fast_nash.json" in names
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(target)], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "old_faithful" in r.stdout.split() and "figure1" in r.stdout.split()
    r = subprocess.run([sys.executable, "-m", "ganviz", "run", "--preset", "old_faithful", "--steps", "50"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "steps 50" in r.stdout, r.stderr
