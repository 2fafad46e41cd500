"""Bad input: one line on stderr, exit 2, nothing written — never a traceback, never a hang. (In-process
through ganviz.cli.main; tests/cli/test_run.py and test_files_and_signals.py run the real command.)"""

import pytest

from ganviz.cli import main
from tests.cli.helpers import one_line


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("bad")
    f = {
        "bad.csv": "x\n1\nhello\n",
        "nested.json": "[" * 50_000 + "]" * 50_000,
        "mapping.json": '{"mixture_means": "abc", "mixture_weights": {"a": 1}}',
        "wide.csv": "v\n" + "9" * 140_000 + "\n",
        "rows.csv": "v\n" + "1\n" * 1_000_100,
        "bad.json": "{not json",
    }
    for name, text in f.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "binary.json").write_bytes(bytes(range(256)) * 10)
    with open(tmp_path / "big.json", "w") as fh:
        fh.write('{"seed": 1, "pad": "' + "x" * (50 << 20) + '"}')
    return tmp_path


CASES = [
    (["run", "--set", "lr_d=-1"], "lr_d"),
    (["run", "--set", "d_steps=0"], "d_steps"),
    (["run", "--preset", "no_such_preset"], "unknown preset 'no_such_preset'"),
    (["run", "--set", "target=empirical", "--set", "data_path=T/bad.csv", "--set", "data_column=x"],
     "is not a number"),
    (["run", "--config", "T/bad.json"], "not valid JSON"),
    (["run", "--config", "T/nested.json"], "nested too deeply"),
    (["run", "--config", "T/binary.json"], "not UTF-8 text"),
    (["run", "--config", "T/big.json"], "too large"),
    (["run", "--config", "/dev/zero"], "not a regular file"),
    (["run", "--config", "T/mapping.json"], "must be a list of numbers"),
    (["run", "--set", "target=empirical", "--set", "data_path=T/wide.csv", "--set", "data_column=v"],
     "cannot be parsed"),
    (["run", "--set", "target=empirical", "--set", "data_path=T/rows.csv", "--set", "data_column=v"],
     "more than 1,000,000 rows"),
    (["run", "--metrics", "T/out.txt"], "unknown extension"),
    (["run", "--metrics", "/nonexistent-dir/m.json"], "does not exist"),
    (["export", "--out", "T/e.mp4", "--every", "0"], "--every 0 is out of range"),
    (["export", "--out", "T/e.gif", "--fps", "60"], "at most 50 frames per second"),
    (["export", "--out", "T/e.avi"], "unknown extension"),
    (["sweep", "--x", "seed=1,2,x", "--y", "lr_g=1e-4:1e-3:log:2", "--out", "T/s.json"], "'x' is not a number"),
    (["bench", "--json", "/nonexistent-dir/b.json"], "does not exist"),
    (["figure", "--out", "T/f.png", "--at", "1,2,3"], "four step numbers"),
    (["figure", "--out", "T/f.png", "--preset", "ring_hopping"], "2-D target"),
    (["figure", "--out", "T/f.png", "--preset", "wgan_gp"], "has a critic"),
    (["gui", "--set", "target=empirical", "--set", "data_path=T/missing.csv", "--screenshot", "T/s.png"],
     "cannot read CSV"),
    (["presets", "--check", "--seeds", "a-b"], "--seeds must look like"),
]


@pytest.mark.parametrize("args,needle", CASES, ids=[" ".join(a[:3]) for a, _ in CASES])
def test_bad_input_exits_2_with_one_line(bad_files, args, needle, capsys):
    before = sorted(p.name for p in bad_files.iterdir())
    args = [a.replace("T/", f"{bad_files}/") for a in args]
    code = main(args)  # in-process: the same main() the `ganviz` command runs, without a new interpreter each
    err = capsys.readouterr().err
    assert code == 2, (code, err)
    assert needle in one_line(err)
    assert sorted(p.name for p in bad_files.iterdir()) == before, "a file (or a temporary file) was left behind"
