"""Where the shipped resources live (presets, data, icons): ``resources/`` beside the package."""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES = Path(os.environ.get("GANVIZ_RESOURCES", Path(__file__).resolve().parent.parent / "resources"))
PRESETS_DIR = RESOURCES / "presets"
DATA_DIR = RESOURCES / "data"
ICONS_DIR = RESOURCES / "icons"


def resolve_data_path(path: str) -> Path:
    """A data file as given, else the shipped one of that name in resources/data."""
    p = Path(path).expanduser()
    if p.exists() or p.is_absolute():
        return p
    return DATA_DIR / p
