"""Metrics files: the run's records as CSV (one row per record) or JSON ({config, history, summary})."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any


def json_safe(obj: Any) -> Any:
    """NaN / inf become null (JSON has no NaN); tuples become lists; numpy scalars become floats."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        return json_safe(obj.item())
    return obj


def records_csv(records: list[dict]) -> str:
    keys: list[str] = []
    for row in records:
        keys += [k for k in row if k not in keys]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    for row in records:
        writer.writerow({k: ("" if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()})
    return buf.getvalue()


def metrics_text(document: dict, suffix: str) -> str:
    """``document`` = {"config", "history", "summary"}: CSV of the history, or the whole as JSON."""
    if suffix.lower() == ".csv":
        return records_csv(document.get("history", []))
    return json.dumps(json_safe(document), indent=1)


def table_csv(header: list[str], columns: list) -> str:
    """Columns of numbers as CSV with a header (``ganviz run --frame``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in zip(*columns):
        writer.writerow([f"{float(v):.9g}" if math.isfinite(float(v)) else "" for v in row])
    return buf.getvalue()
