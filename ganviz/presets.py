"""Presets: a TrainConfig plus a title, a short explanation and the phenomenon it should show.

Each lives in resources/presets/NAME.json (shipped inside the wheel) as {"title", "phenomenon", "summary",
"explanation", "algorithm", "order", "config": {...}, "schedule": {"step": {knob: value}}, "judged_until": step,
"view": {"x": [lo, hi]}, "rescues": "other_preset", "claims": [{"claim": name, ...}]}; the config and every
scheduled change are validated like any other config, so a broken preset file is a clear message, not a crash.
A preset promises the badge's headline (``phenomenon``) and/or measured claims (engine/truth.py ``CLAIMS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ganviz.config import ConfigError, TrainConfig
from ganviz.io.limits import InputError, load_json_limited
from ganviz.io.resources import presets_dir


@dataclass
class Preset:
    name: str
    title: str
    phenomenon: str  # the badge's headline the preset promises (core/diagnose.py's keys)
    summary: str  # one line, for `ganviz presets`
    explanation: str  # two sentences, shown in the app
    config: TrainConfig
    algorithm: str = ""  # the Algorithm 1 line and formulas in use
    order: int = 99
    schedule: dict = field(default_factory=dict)  # step -> knob changes a lecturer would make live
    view: dict = field(default_factory=dict)  # fixed axis ranges, e.g. {"x": [-4, 4]}
    rescues: str = ""  # for a stabiliser's preset: the failing preset it rescues
    judged_until: int | None = None  # the phenomenon is judged on the records up to this step (before a switch)
    claims: list = field(default_factory=list)  # measured promises beyond the headline, e.g. {"claim": "w1_falls",
    #                                              "to": 0.2}: engine/truth.py's CLAIMS checks each on every seed

    @property
    def x_range(self) -> tuple[float, float] | None:
        x = self.view.get("x")
        return (float(x[0]), float(x[1])) if x else None


def preset_names(directory: Path | None = None) -> list[str]:
    return [p.name for p in list_presets(directory)]


def list_presets(directory: Path | None = None) -> list[Preset]:
    directory = directory or presets_dir()
    presets = [load_preset_file(p) for p in sorted(directory.glob("*.json"))]
    return sorted(presets, key=lambda p: (p.order, p.name))


def load_preset_file(path: Path) -> Preset:
    try:
        data = load_json_limited(path, "preset")
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    name = path.stem
    if not isinstance(data, dict):
        raise ConfigError(f"preset '{name}' must be a JSON object")
    try:
        cfg = TrainConfig.from_dict(data.get("config", {}))
        schedule = data.get("schedule", {})
        if not isinstance(schedule, dict):
            raise ConfigError("'schedule' must be an object of step: {knob: value}")
        steps = {}
        for step, changes in schedule.items():
            if not str(step).isdigit() or not isinstance(changes, dict):
                raise ConfigError(f"schedule entry '{step}' must map a step number to {{knob: value}}")
            cfg.replace(**changes)  # every scheduled change must be a valid knob value
            steps[int(step)] = dict(changes)
        view = data.get("view", {})
        x = view.get("x") if isinstance(view, dict) else None
        if not isinstance(view, dict) or (x is not None and not (isinstance(x, list) and len(x) == 2
                                                                  and all(isinstance(v, (int, float)) for v in x)
                                                                  and x[0] < x[1])):
            raise ConfigError("'view' must look like {\"x\": [lo, hi]} with lo < hi")
        return Preset(
            name=name, title=str(data.get("title", name)), phenomenon=str(data.get("phenomenon", "")),
            summary=str(data.get("summary", "")), explanation=str(data.get("explanation", "")), config=cfg,
            algorithm=str(data.get("algorithm", "")), order=int(data.get("order", 99)), schedule=steps,
            view=view, rescues=str(data.get("rescues", "")), judged_until=_step(data.get("judged_until")),
            claims=_claims(data.get("claims", [])))
    except (ConfigError, TypeError, ValueError) as exc:
        raise ConfigError(f"preset '{name}': {exc}") from None


def _step(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError("'judged_until' must be a step number ≥ 0")
    return value


def _claims(claims) -> list[dict]:
    if not isinstance(claims, list) or not all(isinstance(c, dict) and isinstance(c.get("claim"), str)
                                               for c in claims):
        raise ConfigError("'claims' must be a list of objects like {\"claim\": \"w1_falls\", ...}")
    return [dict(c) for c in claims]


def load_preset(name: str, directory: Path | None = None) -> Preset:
    directory = directory or presets_dir()
    path = directory / f"{name}.json"
    if "/" in name or not path.is_file():
        known = ", ".join(preset_names(directory)) or "(none)"
        raise ConfigError(f"unknown preset '{name}'; known presets: {known}")
    return load_preset_file(path)


DEFAULT = "figure1"  # the app starts where the paper does


def initial_run(config: TrainConfig | None = None, preset: Preset | None = None) -> tuple[TrainConfig, Preset | None]:
    """What the app trains first: the config given, else the preset's, else the paper's Figure 1 preset (or the
    default config if the presets cannot be read)."""
    if config is not None:
        return config, preset
    if preset is None:
        try:
            presets = list_presets()
        except ConfigError:
            presets = []
        preset = next((p for p in presets if p.name == DEFAULT), presets[0] if presets else None)
    return (preset.config if preset is not None else TrainConfig()), preset
