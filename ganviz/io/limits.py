"""Bounded reads of user files: a size cap, a row cap, regular files only, UTF-8 only.

Every problem becomes a ``InputError`` with one short line that names the file and what to do; nothing here
can hang on a device file (``/dev/zero``), exhaust memory on a huge file, or raise a traceback on binary data
or on a path the system cannot open (a NUL byte, a 128 KB name). User text echoed in a message is clipped
(``clip``): a message is one line, never a copy of a hostile input.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import BinaryIO, Iterator

MAX_CONFIG_BYTES = 1 << 20  # a config is a few KB; 1 MB leaves room for a metrics file with its config
MAX_JSON_DEPTH = 32
MAX_CSV_BYTES = 64 << 20
MAX_CSV_ROWS = 1_000_000
MAX_CSV_FIELD = 1 << 16  # characters in one CSV cell
MAX_CSV_LINE = 1 << 16  # bytes in one line: a line is read whole before it is parsed, so this bounds a step
MAX_CSV_COLUMNS = 1000
MAX_CSV_CELLS = 4_000_000  # the rows are kept as lists of str (~60 bytes a cell): ~250 MB at most
MAX_SHOWN = 80  # characters of user text (a path, a name, a value) echoed in a message
NAME_MAX, PATH_MAX = 255, 4096  # bytes in one file name / a whole path (Linux; an OSError says so elsewhere)


class InputError(ValueError):
    """A user file cannot be used; the message is one line naming the file and the problem."""


def _cut(text: str, limit: int) -> str:
    """The head and the tail of ``text`` around "…" (a path's file name is at its end)."""
    if len(text) <= limit:
        return text
    tail = (limit - 1) // 3
    return text[:limit - 1 - tail] + "…" + text[len(text) - tail:]


def clip(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as echoed in a one-line message: at most ``limit`` characters (… marks a cut in the middle),
    control characters escaped (a newline in a file name must not split the message)."""
    short = _cut(str(text), limit)
    return _cut("".join(c if c.isprintable() else repr(c)[1:-1] for c in short), limit)


def check_path_text(path: str | os.PathLike, verb: str, what: str = "") -> str:
    """``path`` as text, refused (InputError) when no system call could take it: a NUL byte (Python raises
    ValueError), a name or path longer than the system allows (OSError deep inside pathlib)."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    about = f"cannot {verb} {what + ' ' if what else ''}'{clip(text)}'"
    if "\0" in text:
        raise InputError(f"{about}: the name contains a NUL byte")
    raw = os.fsencode(text)
    if len(raw) >= PATH_MAX or any(len(part) > NAME_MAX for part in raw.split(b"/")):
        raise InputError(f"{about}: the name is too long")
    return text


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _open_regular(path: str | os.PathLike, max_bytes: int, what: str) -> BinaryIO:
    """An open binary file, refused unless it is a regular file of at most ``max_bytes``."""
    check_path_text(path, "read", what)
    name = clip(os.fspath(path))
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read {what} '{name}': {_describe(exc)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"cannot read {what} '{name}': not a regular file")
    if st.st_size > max_bytes:
        raise InputError(f"{what} '{name}' is too large ({st.st_size / 2**20:.1f} MB; the limit is "
                         f"{max_bytes / 2**20:.0f} MB)")
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read {what} '{name}': {_describe(exc)}") from None


def read_bytes_limited(path: str | os.PathLike, max_bytes: int, what: str) -> bytes:
    """The whole file, refused if it is not a regular file or is larger than ``max_bytes``."""
    with _open_regular(path, max_bytes, what) as fh:
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read {what} '{clip(os.fspath(path))}': {_describe(exc)}") from None
    if len(data) > max_bytes:  # the file grew while we looked
        raise InputError(f"{what} '{clip(os.fspath(path))}' is too large (the limit is "
                         f"{max_bytes / 2**20:.0f} MB)")
    return data


def read_text_limited(path: str | os.PathLike, max_bytes: int, what: str) -> str:
    data = read_bytes_limited(path, max_bytes, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} '{clip(os.fspath(path))}' is not UTF-8 text (byte {exc.start} is "
                         f"0x{data[exc.start]:02x})") from None


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


def _csv_lines(fh: BinaryIO, name: str, max_bytes: int) -> Iterator[str]:
    """The file's lines as text, one at a time, each refused before it is parsed when it is longer than
    MAX_CSV_LINE bytes or not UTF-8 (readline is bounded: a 60 MB line is never read whole)."""
    offset, number = 0, 0
    while True:
        raw = fh.readline(MAX_CSV_LINE + 3)
        if not raw:
            return
        number += 1
        if len(raw.rstrip(b"\r\n")) > MAX_CSV_LINE:
            raise InputError(f"CSV '{name}' cannot be parsed: line {number} is longer than {MAX_CSV_LINE:,} bytes")
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"CSV '{name}' is not UTF-8 text (byte {offset + exc.start} is "
                             f"0x{raw[exc.start]:02x})") from None
        offset += len(raw)
        if offset > max_bytes:  # the file grew while we read it
            raise InputError(f"CSV '{name}' is too large (the limit is {max_bytes / 2**20:.0f} MB)")
        if "\r" in text.rstrip("\r\n"):  # old Mac line ends: split as a text file with newline="" would
            yield from io.StringIO(text, newline="")
        else:
            yield text


def _iter_csv_rows(path: str | os.PathLike, max_rows: int, max_bytes: int) -> Iterator[list[str]]:
    """The non-empty rows, parsed line by line; every cap is checked before the next line is read."""
    name = clip(Path(os.fspath(path)).name)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV_FIELD)
    try:
        with _open_regular(path, max_bytes, "CSV") as fh:
            rows = cells = 0
            for row in csv.reader(_csv_lines(fh, name, max_bytes)):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > MAX_CSV_COLUMNS:
                    raise InputError(f"CSV '{name}' has {len(row):,} columns in row {rows + 1}; the limit is "
                                     f"{MAX_CSV_COLUMNS:,} (keep the columns you need)")
                rows, cells = rows + 1, cells + len(row)
                if rows > max_rows + 1:
                    raise InputError(f"CSV '{name}' has more than {max_rows:,} rows; use a sample of the data")
                if cells > MAX_CSV_CELLS:
                    raise InputError(f"CSV '{name}' has more than {MAX_CSV_CELLS:,} cells; keep the columns you "
                                     "need or use a sample of the data")
                yield row
    except csv.Error as exc:
        raise InputError(f"CSV '{name}' cannot be parsed: {exc}") from None
    except OSError as exc:
        raise InputError(f"cannot read CSV '{name}': {_describe(exc)}") from None
    finally:
        csv.field_size_limit(old_limit)


def read_csv_rows(path: str | os.PathLike, max_rows: int = MAX_CSV_ROWS,
                  max_bytes: int = MAX_CSV_BYTES) -> list[list[str]]:
    """The non-empty rows of a CSV file (header included), within the caps. Memory is bounded before
    parsing: a line longer than MAX_CSV_LINE, a row wider than MAX_CSV_COLUMNS or more than MAX_CSV_CELLS
    cells are refused as they are met (a 63 MB file of 21 000 columns once grew to 2.1 GB here)."""
    return list(_iter_csv_rows(path, max_rows, max_bytes))


def csv_header(path: str | os.PathLike) -> list[str]:
    """The first non-empty row's cells (the column names), for a column picker; only that row is read."""
    rows = _iter_csv_rows(path, MAX_CSV_ROWS, MAX_CSV_BYTES)
    try:
        first = next(rows, None)
    finally:
        rows.close()
    if first is None:
        raise InputError(f"CSV '{clip(Path(os.fspath(path)).name)}' is empty")
    return [cell.strip() for cell in first]
