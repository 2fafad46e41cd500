import os
import stat

import pytest

from ganviz.io.atomic import OutputError, atomic_path, atomic_write_text, check_output
from ganviz.io.limits import InputError, MAX_CSV_FIELD, csv_header, read_csv_rows


def test_a_finished_file_gets_the_users_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "m.json"
        atomic_write_text(path, "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "grid.png"
    path.write_text("old content")
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            with open(tmp, "w") as fh:
                fh.write("half")
            raise RuntimeError("the disk filled up")
    assert path.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.png"]


def test_nothing_written_is_an_error_not_an_empty_file(tmp_path):
    with pytest.raises(OutputError, match="nothing was written"):
        with atomic_path(tmp_path / "e.mp4"):
            pass
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name,needle", [("out.txt", "unknown extension"), ("nope/out.json", "does not exist")])
def test_outputs_are_checked_before_any_work(tmp_path, name, needle):
    with pytest.raises(InputError, match=needle):
        check_output(tmp_path / name, (".json", ".csv"))


def test_csv_caps_rows_and_field_size_with_a_message(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("v\n" + "1\n" * 50)
    with pytest.raises(InputError, match="more than 10 rows"):
        read_csv_rows(rows, max_rows=10)
    wide = tmp_path / "wide.csv"
    wide.write_text("v\n" + "1" * (MAX_CSV_FIELD + 10) + "\n")
    with pytest.raises(InputError, match="cannot be parsed"):
        read_csv_rows(wide)


def test_the_header_names_the_columns(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("\nduration, waiting\n3.6,79\n")
    assert csv_header(path) == ["duration", "waiting"]
