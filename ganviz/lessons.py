"""Lessons and challenges: files a lecturer (or a learner) can read, validated like presets.

A **lesson** is ``resources/lessons/NAME.json``: a title and an ordered list of scenes. A scene starts a run
from a preset or a config (or *continues* the previous scene's run, turning knobs live), shows its narration,
may script knob changes at steps (the Driver's schedule, like a preset's script), stops at a condition
(conditions.py: a step, "when the badge says X", "when JSD < y") and may ask the class a question whose answer
is revealed on the next key press. docs/lessons_guide.md is the reference.

A **challenge** is ``resources/challenges/NAME.json``: a start config, a goal (a condition judged by the badge's
detectors), the knobs a learner may turn and how many of them (the budget), a hint, and a reference solution
that the tests replay on several seeds.

Every config and every scripted or live change goes through ``TrainConfig.replace``; anything wrong is a
``ConfigError`` of one line naming the file, the scene (number and title) and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ganviz.conditions import Condition, ConditionError
from ganviz.config import RESET_KEYS, ConfigError, TrainConfig, sweep_keys
from ganviz.io.limits import InputError, clip, load_json_limited
from ganviz.io.resources import challenges_dir, lessons_dir
from ganviz.presets import load_preset

SCENE_FIELDS = ("title", "preset", "config", "set", "continue", "script", "stop", "within", "promise", "narration",
                "notes", "question", "answer", "speed", "view")
LESSON_FIELDS = ("title", "summary", "order", "scenes")
CHALLENGE_FIELDS = ("title", "task", "order", "preset", "config", "set", "goal", "within", "knobs", "budget", "hint",
                    "hint_after", "solution", "explanation")
MAX_SCENES, MAX_TEXT = 40, 2000
MAX_MESSAGE = 180  # characters of the problem itself in a one-line message (a list of every knob is clipped)


class _Field(Exception):
    """A problem with one field: (field, message); the loader adds where it is."""

    def __init__(self, name: str, message: str):
        super().__init__(name, message)
        self.name, self.message = name, message


@dataclass
class Scene:
    index: int  # 1-based, as the lecturer counts
    title: str
    config: TrainConfig  # the run's knobs once the scene has started
    changes: dict  # the knobs the scene turns: its 'set' (on its preset or config, or on the run it continues)
    continues: bool  # keep the previous scene's run (nets, step, records) and turn ``changes`` live
    schedule: dict  # step -> {knob: value}, the run's script (fresh scenes only)
    stop: Condition
    within: int  # the scene gives up after this many iterations
    promise: Condition | None  # what must hold where it stops (None: reaching the stop is the promise)
    narration: str  # short rich text, shown large beside the figure and as the video's captions
    notes: str = ""  # speaker notes (the narration when empty)
    question: str = ""
    answer: str = ""
    speed: float | None = None  # iterations per second while the scene plays (None: as the window is set)
    x_range: tuple[float, float] | None = None
    preset: str = ""


@dataclass
class Lesson:
    name: str
    title: str
    scenes: list[Scene]
    summary: str = ""
    order: int = 99


@dataclass
class Challenge:
    name: str
    title: str
    task: str  # what to do, rich text
    config: TrainConfig  # where the learner starts
    goal: Condition
    within: int  # the goal must be met by this step of the run
    knobs: tuple[str, ...]  # the knobs the learner may turn
    budget: int  # how many of them at most
    solution: dict  # a reference solution: {knob: value} …
    solution_at: int = 0  # … turned at this step (0: before pressing play)
    hint: str = ""
    hint_after: float = 60.0  # seconds without success before the hint is offered
    explanation: str = ""  # why the reference solution works (shown once the goal is met)
    order: int = 99
    x_range: tuple[float, float] | None = None
    preset: str = ""


# --- lessons -------------------------------------------------------------------------------------------
def lesson_names(directory: Path | None = None) -> list[str]:
    return [lesson.name for lesson in list_lessons(directory)]


def list_lessons(directory: Path | None = None) -> list[Lesson]:
    lessons = [load_lesson_file(p) for p in sorted((directory or lessons_dir()).glob("*.json"))]
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.name))


def load_lesson(name: str, directory: Path | None = None) -> Lesson:
    return load_lesson_file(_named(name, directory or lessons_dir(), "lesson", lesson_names))


def load_lesson_file(path: Path) -> Lesson:
    name = path.stem
    data = _read(path, "lesson")
    where = f"lesson '{clip(name, 40)}'"
    try:
        _known(data, LESSON_FIELDS)
        title = _text(data, "title", required=True)
        scenes_data = data.get("scenes")
        if not isinstance(scenes_data, list) or not 1 <= len(scenes_data) <= MAX_SCENES:
            raise _Field("scenes", f"must be a list of 1 to {MAX_SCENES} scenes")
        summary, order = _text(data, "summary"), _order(data)
    except _Field as exc:
        raise ConfigError(f"{where}: '{exc.name}' {clip(exc.message, MAX_MESSAGE)}") from None
    scenes: list[Scene] = []
    for i, body in enumerate(scenes_data, start=1):
        label = body.get("title") if isinstance(body, dict) and isinstance(body.get("title"), str) else ""
        try:
            scenes.append(_scene(i, body, scenes[-1] if scenes else None))
        except _Field as exc:
            shown = f" ('{clip(label, 40)}')" if label else ""
            raise ConfigError(f"{where}, scene {i}{shown}: '{exc.name}' {clip(exc.message, MAX_MESSAGE)}") from None
    return Lesson(name, title, scenes, summary, order)


def _scene(index: int, data: object, before: Scene | None) -> Scene:
    if not isinstance(data, dict):
        raise _Field("scene", "must be an object with a title, a preset or config, a stop and a narration")
    _known(data, SCENE_FIELDS)
    title = _text(data, "title", required=True)
    continues = data.get("continue", False)
    if not isinstance(continues, bool):
        raise _Field("continue", "must be true or false")
    if continues:
        config, changes, schedule, preset, x_range = _continued(data, before)
    else:
        config, preset, x_range, preset_schedule = _start(data)
        schedule = _schedule(data, config) if "script" in data else preset_schedule
        changes = _changes(data.get("set", {}), "set")
    stop = _condition(data, "stop", required=True)
    within = _within(data, stop, config)
    promise = _condition(data, "promise")
    if stop.only_step and promise is None:
        raise _Field("promise", "is needed with a stop at a step: what should the class see there? (e.g. "
                                "{\"badge\": \"converging\"})")
    question, answer = _text(data, "question"), _text(data, "answer")
    if bool(question) != bool(answer):
        raise _Field("answer" if question else "question", "comes with a 'question' and an 'answer', both")
    return Scene(index, title, config, changes, continues, schedule, stop, within, promise,
                 _text(data, "narration", required=True), _text(data, "notes"), question, answer,
                 _speed(data), _view(data) or x_range, preset)


def _continued(data: dict, before: Scene | None):
    """A scene that keeps the run going: the previous scene's config with this scene's knobs turned live."""
    if before is None:
        raise _Field("continue", "cannot be true in the first scene: there is no run to continue")
    for key in ("preset", "config", "script"):
        if key in data:
            raise _Field(key, "is not for a scene that continues the previous run (turn knobs with 'set')")
    changes = _changes(data.get("set", {}), "set")
    resets = sorted(set(changes) & RESET_KEYS)
    if resets:
        raise _Field("set", f"{resets[0]} starts new networks: a scene that continues the run cannot change it")
    config = _replace(before.config, changes, "set")
    return config, changes, {}, before.preset, before.x_range


def _start(data: dict):
    """A fresh run: (config, preset name, x range, the preset's script) from 'preset' or 'config', then 'set'."""
    if ("preset" in data) == ("config" in data):
        raise _Field("preset", "or 'config': a scene that starts a run needs exactly one of them")
    preset, x_range, schedule = "", None, {}
    if "preset" in data:
        name = data["preset"]
        if not isinstance(name, str):
            raise _Field("preset", "must be a preset's name")
        try:
            p = load_preset(name)
        except (ConfigError, OSError) as exc:
            raise _Field("preset", str(exc)) from None
        config, preset, x_range, schedule = p.config, p.name, p.x_range, p.schedule
    else:
        try:
            config = TrainConfig.from_dict(data["config"])
        except ConfigError as exc:
            raise _Field("config", str(exc)) from None
    return _replace(config, _changes(data.get("set", {}), "set"), "set"), preset, x_range, schedule


# --- challenges ----------------------------------------------------------------------------------------
def challenge_names(directory: Path | None = None) -> list[str]:
    return [c.name for c in list_challenges(directory)]


def list_challenges(directory: Path | None = None) -> list[Challenge]:
    found = [load_challenge_file(p) for p in sorted((directory or challenges_dir()).glob("*.json"))]
    return sorted(found, key=lambda c: (c.order, c.name))


def load_challenge(name: str, directory: Path | None = None) -> Challenge:
    return load_challenge_file(_named(name, directory or challenges_dir(), "challenge", challenge_names))


def load_challenge_file(path: Path) -> Challenge:
    data = _read(path, "challenge")
    try:
        _known(data, CHALLENGE_FIELDS)
        config, preset, x_range, _ = _start(data)
        goal = _condition(data, "goal", required=True)
        knobs = data.get("knobs")
        allowed = set(sweep_keys())
        if not isinstance(knobs, list) or not knobs or not all(isinstance(k, str) for k in knobs):
            raise _Field("knobs", "must be a list of the knobs the learner may turn")
        for k in knobs:
            if k not in allowed:
                raise _Field("knobs", f"'{clip(k, 40)}' is not a knob with a control; one of: "
                                      f"{', '.join(sorted(allowed))}")
        budget = data.get("budget", 1)
        if isinstance(budget, bool) or not isinstance(budget, int) or not 1 <= budget <= len(knobs):
            raise _Field("budget", f"must be a whole number from 1 to {len(knobs)} (the knobs allowed)")
        solution, at = _solution(data.get("solution"), config, knobs, budget)
        hint_after = data.get("hint_after", 60)
        if isinstance(hint_after, bool) or not isinstance(hint_after, (int, float)) or not 0 <= hint_after <= 3600:
            raise _Field("hint_after", "must be a number of seconds from 0 to 3600")
        return Challenge(path.stem, _text(data, "title", required=True), _text(data, "task", required=True), config,
                         goal, _within(data, goal, config), tuple(knobs), budget, solution, at, _text(data, "hint"),
                         float(hint_after), _text(data, "explanation"), _order(data), x_range, preset)
    except _Field as exc:
        raise ConfigError(f"challenge '{clip(path.stem, 40)}': '{exc.name}' {clip(exc.message, MAX_MESSAGE)}") from None


def _solution(data: object, config: TrainConfig, knobs: list[str], budget: int) -> tuple[dict, int]:
    if not isinstance(data, dict) or not isinstance(data.get("set"), dict) or not data["set"]:
        raise _Field("solution", "must look like {\"set\": {knob: value}, \"at\": step} (the reference solution)")
    changes = _changes(data["set"], "solution")
    outside = [k for k in changes if k not in knobs]
    if outside:
        raise _Field("solution", f"turns {outside[0]}, which is not one of the challenge's 'knobs'")
    if len(changes) > budget:
        raise _Field("solution", f"turns {len(changes)} knobs; the budget is {budget}")
    if not config.changed(_replace(config, changes, "solution")):
        raise _Field("solution", "changes nothing: every value is already the start config's")
    at = data.get("at", 0)
    if isinstance(at, bool) or not isinstance(at, int) or at < 0:
        raise _Field("solution", "'at' must be a step number ≥ 0")
    return changes, at


# --- fields --------------------------------------------------------------------------------------------
def _read(path: Path, what: str) -> dict:
    try:
        data = load_json_limited(path, what)
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{what} '{clip(path.stem, 40)}' must be a JSON object")
    return data


def _named(name: str, directory: Path, what: str, names) -> Path:
    path = directory / f"{name}.json"
    try:
        found = "/" not in name and path.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        known = ", ".join(names(directory)) or "(none)"
        raise ConfigError(f"unknown {what} '{clip(name, 40)}'; known: {known}")
    return path


def _known(data: dict, fields: tuple[str, ...]) -> None:
    for key in data:
        if key not in fields:
            raise _Field(clip(key, 40), f"is not a field; the fields are {', '.join(fields)}")


def _text(data: dict, key: str, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _Field(key, "must be " + ("non-empty text" if required else "text"))
    if len(value) > MAX_TEXT:
        raise _Field(key, f"is {len(value)} characters long; keep it under {MAX_TEXT} (short text reads better)")
    return value.strip()


def _order(data: dict) -> int:
    order = data.get("order", 99)
    if isinstance(order, bool) or not isinstance(order, int):
        raise _Field("order", "must be a whole number")
    return order


def _changes(value: object, key: str) -> dict:
    if not isinstance(value, dict):
        raise _Field(key, "must be an object of knob: value")
    return dict(value)


def _replace(config: TrainConfig, changes: dict, key: str) -> TrainConfig:
    try:
        return config.replace(**changes)
    except ConfigError as exc:
        raise _Field(key, str(exc)) from None


def _schedule(data: dict, config: TrainConfig) -> dict:
    script = data["script"]
    if not isinstance(script, dict):
        raise _Field("script", "must be an object of step: {knob: value}")
    steps, cfg = {}, config
    for step in sorted(script, key=lambda s: int(s) if str(s).isdigit() else -1):
        changes = script[step]
        if not str(step).isdigit() or not isinstance(changes, dict):
            raise _Field("script", f"entry '{clip(step, 20)}' must map a step number to {{knob: value}}")
        cfg = _replace(cfg, changes, "script")
        steps[int(step)] = dict(changes)
    return steps


def _condition(data: dict, key: str, required: bool = False) -> Condition | None:
    if key not in data:
        if required:
            raise _Field(key, "is missing: when does it end? (e.g. {\"badge\": \"mode_collapse\"})")
        return None
    try:
        return Condition.parse(data[key])
    except ConditionError as exc:
        raise _Field(key, str(exc)) from None


def _within(data: dict, stop: Condition, config: TrainConfig) -> int:
    default = stop.step if stop.only_step else max(config.steps, stop.step or 0)  # a step stop ends the run there
    within = data.get("within", default)
    if isinstance(within, bool) or not isinstance(within, int) or not 1 <= within <= 1_000_000:
        raise _Field("within", "must be a whole number of iterations from 1 to 1,000,000")
    if stop.step is not None and stop.step > within:
        raise _Field("within", f"({within}) ends the run before its step {stop.step}")
    return within


def _speed(data: dict) -> float | None:
    speed = data.get("speed")
    if speed is None:
        return None
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 <= speed <= 100_000:
        raise _Field("speed", "must be iterations per second from 0 (as fast as possible) to 100000")
    return float(speed)


def _view(data: dict) -> tuple[float, float] | None:
    view = data.get("view")
    if view is None:
        return None
    x = view.get("x") if isinstance(view, dict) else None
    if not (isinstance(x, list) and len(x) == 2 and all(isinstance(v, (int, float)) for v in x) and x[0] < x[1]):
        raise _Field("view", "must look like {\"x\": [lo, hi]} with lo < hi")
    return float(x[0]), float(x[1])


__all__ = ["Scene", "Lesson", "Challenge", "load_lesson", "load_lesson_file", "list_lessons", "lesson_names",
           "load_challenge", "load_challenge_file", "list_challenges", "challenge_names"]
