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


def output_problem(path: str | Path, suffixes: tuple[str, ...]) -> str | None:
    """Why ``path`` cannot be written (unknown extension, missing folder, no permission), or None."""
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        return f"cannot write '{path}': unknown extension '{p.suffix}' (use {', '.join(suffixes)})"
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        return f"cannot write '{path}': folder '{folder}' does not exist"
    if not os.access(folder, os.W_OK):
        return f"cannot write '{path}': no permission to write in '{folder}'"
    return None
