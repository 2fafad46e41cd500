"""Presets: a TrainConfig plus a title, a short explanation and the phenomenon it should show.

Each lives in resources/presets/NAME.json as {"title", "phenomenon", "summary", "explanation", "algorithm",
"config": {...}}; the config part is validated like any other config.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ganviz.config import ConfigError, TrainConfig
from ganviz.paths import PRESETS_DIR


@dataclass
class Preset:
    name: str
    title: str
    phenomenon: str
    summary: str  # one line, for `ganviz presets`
    explanation: str  # two sentences, shown in the app
    config: TrainConfig
    algorithm: str = ""  # the Algorithm 1 line and formulas in use, for the "what am I looking at" panel
    order: int = 99
    schedule: dict = field(default_factory=dict)  # step -> knob changes a lecturer would make live
    view: dict = field(default_factory=dict)  # fixed axis ranges, e.g. {"x": [-4, 4]}


def preset_names(directory: Path = PRESETS_DIR) -> list[str]:
    return [p.name for p in list_presets(directory)]


def list_presets(directory: Path = PRESETS_DIR) -> list[Preset]:
    presets = [load_preset_file(p) for p in sorted(directory.glob("*.json"))]
    return sorted(presets, key=lambda p: (p.order, p.name))


def load_preset_file(path: Path) -> Preset:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"preset file '{path.name}' cannot be read: {exc}") from None
    try:
        cfg = TrainConfig.from_dict(data.get("config", {}))
    except ConfigError as exc:
        raise ConfigError(f"preset '{path.stem}': {exc}") from None
    return Preset(
        name=path.stem, title=data.get("title", path.stem), phenomenon=data.get("phenomenon", ""),
        summary=data.get("summary", ""), explanation=data.get("explanation", ""), config=cfg,
        algorithm=data.get("algorithm", ""), order=int(data.get("order", 99)),
        schedule={int(k): v for k, v in data.get("schedule", {}).items()}, view=data.get("view", {}),
    )


def load_preset(name: str, directory: Path = PRESETS_DIR) -> Preset:
    path = directory / f"{name}.json"
    if not path.is_file():
        known = ", ".join(preset_names(directory)) or "(none)"
        raise ConfigError(f"unknown preset '{name}'; known presets: {known}")
    return load_preset_file(path)
