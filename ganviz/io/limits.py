"""Bounded reads of user files: a size cap, a row cap, regular files only, UTF-8 only.

Every problem becomes a ``InputError`` with one line that names the file and what to do; nothing here can
hang on a device file (``/dev/zero``), exhaust memory on a huge file, or raise a traceback on binary data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

MAX_CONFIG_BYTES = 1 << 20  # a config is a few KB; 1 MB leaves room for a metrics file with its config
MAX_JSON_DEPTH = 32
MAX_CSV_BYTES = 64 << 20
MAX_CSV_ROWS = 1_000_000
MAX_CSV_FIELD = 1 << 16  # characters in one CSV cell


class InputError(ValueError):
    """A user file cannot be used; the message is one line naming the file and the problem."""


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_bytes_limited(path: str | os.PathLike, max_bytes: int, what: str) -> bytes:
    """The whole file, refused if it is not a regular file or is larger than ``max_bytes``."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read {what} '{path}': {_describe(exc)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"cannot read {what} '{path}': not a regular file")
    if st.st_size > max_bytes:
        raise InputError(f"{what} '{path}' is too large ({st.st_size / 2**20:.1f} MB; the limit is "
                         f"{max_bytes / 2**20:.0f} MB)")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what} '{path}': {_describe(exc)}") from None
    if len(data) > max_bytes:  # the file grew while we looked
        raise InputError(f"{what} '{path}' is too large (the limit is {max_bytes / 2**20:.0f} MB)")
    return data


def read_text_limited(path: str | os.PathLike, max_bytes: int, what: str) -> str:
    data = read_bytes_limited(path, max_bytes, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} '{path}' is not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x})") from None


def _depth(obj, limit: int) -> int:
    """Nesting depth of parsed JSON, iteratively (a deep document must not overflow the stack here either)."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def load_json_limited(path: str | os.PathLike, what: str = "config", max_bytes: int = MAX_CONFIG_BYTES):
    """Parsed JSON from a bounded read; too deep, too big, binary or invalid → InputError."""
    text = read_text_limited(path, max_bytes, what)
    return parse_json_limited(text, f"{what} '{path}'")


def parse_json_limited(text: str, name: str):
    # json.loads recurses per nesting level: a document of 100 000 '[' overflows the stack; reject it first
    depth = running = 0
    for ch in text:
        if ch in "[{":
            running += 1
            depth = max(depth, running)
            if depth > MAX_JSON_DEPTH:
                raise InputError(f"{name} is nested too deeply (more than {MAX_JSON_DEPTH} levels)")
        elif ch in "]}":
            running -= 1
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:  # brackets inside strings fooled the count above; json still refuses politely
        raise InputError(f"{name} is nested too deeply") from None
    if _depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise InputError(f"{name} is nested too deeply (more than {MAX_JSON_DEPTH} levels)")
    return data


def read_csv_rows(path: str | os.PathLike, max_rows: int = MAX_CSV_ROWS,
                  max_bytes: int = MAX_CSV_BYTES) -> list[list[str]]:
    """The non-empty rows of a CSV file (header included), within the caps."""
    text = read_text_limited(path, max_bytes, "CSV")
    name = Path(path).name
    rows: list[list[str]] = []
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV_FIELD)
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if not any(cell.strip() for cell in row):
                continue
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise InputError(f"CSV '{name}' has more than {max_rows:,} rows; use a sample of the data")
    except csv.Error as exc:
        raise InputError(f"CSV '{name}' cannot be parsed: {exc}") from None
    finally:
        csv.field_size_limit(old_limit)
    return rows


def csv_header(path: str | os.PathLike) -> list[str]:
    """The first non-empty row's cells (the column names), for a column picker."""
    rows = read_csv_rows(path, max_rows=MAX_CSV_ROWS)
    if not rows:
        raise InputError(f"CSV '{Path(path).name}' is empty")
    return [cell.strip() for cell in rows[0]]
