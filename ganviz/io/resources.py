"""The shipped resources (presets, lessons, challenges, data, icons): ``resources/`` at the top of the checkout,
installed as the package ``ganviz.resources`` inside the wheel and read with importlib.resources, so
`pip install .` works anywhere, not only from the checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _root() -> Path:
    return Path(str(resources.files("ganviz.resources")))


def presets_dir() -> Path:
    return _root() / "presets"


def lessons_dir() -> Path:
    return _root() / "lessons"


def challenges_dir() -> Path:
    return _root() / "challenges"


def data_dir() -> Path:
    return _root() / "data"


def icon_path(name: str = "ganviz.png") -> Path:
    return _root() / "icons" / name


def resolve_data_path(path: str) -> Path:
    """A data file as given, else the shipped one of that name in resources/data. A name no system call can
    take (a NUL byte, 128 KB long) is returned as given: the bounded read refuses it with one line, where
    ``exists()`` would raise ValueError / OSError (ENAMETOOLONG is not one of the errors pathlib ignores)."""
    try:
        p = Path(path).expanduser()
        if p.exists() or p.is_absolute() or len(p.parts) > 1:
            return p
        shipped = data_dir() / p
        return shipped if shipped.exists() else p
    except (OSError, ValueError):
        return Path(path)
