"""`ganviz lesson`: a lesson file exported as MP4 + SRT with a chapter per scene (both files or neither), and a
broken lesson file refused in one line naming the scene and the field."""

import json
import re
import subprocess

import pytest

from ganviz.cli import main

SMALL = {"batch_size": 64, "g_width": 16, "d_width": 16, "record_every": 20}
LESSON = {"title": "Two scenes", "scenes": [
    {"title": "Warm up", "config": SMALL, "stop": {"step": 80}, "promise": {"jsd_below": 5},
     "narration": "G starts narrow. D learns first.", "question": "Where does G go?", "answer": "Towards p_data."},
    {"title": "Slower G", "continue": True, "set": {"lr_g": 1e-4}, "stop": {"step": 40}, "promise": {"jsd_below": 5},
     "narration": "Now G <i>creeps</i>: lr<sub>G</sub> = 1e-4."}]}


def chapters(path) -> list[tuple[float, float, str]]:
    import imageio_ffmpeg
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True,
                           text=True)
    found = re.findall(r"Chapter #0:\d+: start ([\d.]+), end ([\d.]+)\s+Metadata:\s+title\s+: (.+)", probe.stderr)
    return [(float(a), float(b), t.strip()) for a, b, t in found]


def test_a_lesson_exports_to_mp4_with_chapters_and_srt_captions(tmp_path, capsys):
    source = tmp_path / "two.json"
    source.write_text(json.dumps(LESSON))
    out = tmp_path / "two.mp4"
    assert main(["lesson", str(source), "--export", str(out), "--fps", "8", "--size", "320x240"]) == 0
    assert "2 chapters" in capsys.readouterr().out
    srt = (tmp_path / "two.srt").read_text(encoding="utf-8")
    cues = re.findall(r"(\d+)\n(\d\d:\d\d:\d\d,\d{3}) --> (\d\d:\d\d:\d\d,\d{3})\n(.+?)\n\n", srt, re.S)
    texts = [c[3].replace("\n", " ") for c in cues]
    assert texts == ["G starts narrow. D learns first.", "Question: Where does G go?", "Answer: Towards p_data.",
                     "Now G creeps: lr_G = 1e-4."]  # the narration, the question, then the answer; tags gone
    assert [int(c[0]) for c in cues] == [1, 2, 3, 4] and all(a < b for _, a, b, _ in cues)
    found = chapters(out)
    assert [t for _, _, t in found] == ["1. Warm up", "2. Slower G"]
    assert found[0][0] == 0 and abs(found[0][1] - found[1][0]) < 1e-3  # one after the other, no gap
    end = sum(int(x) * f for x, f in zip(re.split("[:,]", cues[-1][2]), (3600, 60, 1, 0.001)))
    assert abs(found[1][1] - end) < 0.01  # the last chapter ends with the last caption


def test_an_export_cancelled_midway_leaves_neither_file_and_the_old_ones_as_they_were(tmp_path, qapp):
    from ganviz.export.lesson_video import export_lesson
    from ganviz.io.signals import CancelFlag, Cancelled
    from ganviz.lessons import load_lesson_file

    source = tmp_path / "two.json"
    source.write_text(json.dumps(LESSON))
    old = tmp_path / "two.srt"
    old.write_text("old captions")
    flag = CancelFlag()
    with pytest.raises(Cancelled):  # the SRT was staged before the first frame: it must go too
        export_lesson(load_lesson_file(source), str(tmp_path / "two.mp4"), 8, (320, 240), cancel=flag,
                      progress=lambda done, total, text: flag.set() if done == 5 else None)
    assert old.read_text() == "old captions" and sorted(p.name for p in tmp_path.iterdir()) == ["two.json", "two.srt"]
    (tmp_path / "two.srt").unlink()
    (tmp_path / "two.srt").mkdir()  # a folder where the subtitles go: refused before any work
    assert main(["lesson", str(source), "--export", str(tmp_path / "two.mp4")]) == 2


@pytest.mark.parametrize("args,needle", [
    (["lesson", "nope"], "unknown lesson 'nope'; known: paper, failures"),
    (["lesson", "paper", "--export", "x.gif"], "--export must name an .mp4 file"),
    (["lesson", "paper", "--scene", "99"], "--scene 99 is out of range"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, args, needle):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err, err


def test_a_broken_lesson_file_names_its_scene_and_field(tmp_path, capsys):
    broken = json.loads(json.dumps(LESSON))
    broken["scenes"][1]["set"] = {"lr_g": -3}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    assert main(["lesson", str(path), "--export", str(tmp_path / "b.mp4")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ganviz: lesson 'broken', scene 2 ('Slower G'): 'set' lr_g=-3.0 is out of range")
    assert len(err.splitlines()) == 1
