"""Atomic output: every file ganviz writes appears whole under its name or not at all.

Data goes to a hidden temporary file in the target's folder; only a complete, flushed file is renamed over
the target. On any error or cancel the temporary file is removed and an existing target is left untouched.
Finished files get the normal permissions of the user's umask (mkstemp alone would make them private).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from ganviz.io.limits import InputError


class OutputError(OSError):
    """The output could not be written; the message is one line naming the file and the reason."""


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_output(path: str | os.PathLike, suffixes: tuple[str, ...]) -> Path:
    """``path`` as a Path if it can be written; InputError (bad input, exit 2) naming why not."""
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise InputError(f"cannot write '{path}': unknown extension '{p.suffix}' (use {', '.join(suffixes)})")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write '{path}': folder '{folder}' does not exist")
    if p.is_dir():
        raise InputError(f"cannot write '{path}': it is a folder")
    if not os.access(folder, os.W_OK):
        raise InputError(f"cannot write '{path}': no permission to write in '{folder}'")
    return p


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path (same folder, same suffix) to write; on a clean exit it replaces ``path``.

    Any exception (a full disk, a cancel, a failed encoder) removes the temporary file and propagates;
    OSError is re-raised as OutputError with a one-line message.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write '{path}': {exc.strerror or exc}") from None
    os.close(fd)
    try:
        yield tmp
        if os.path.getsize(tmp) == 0:
            raise OutputError(f"cannot write '{path}': nothing was written")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode())
        os.replace(tmp, target)
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"cannot write '{path}': {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
