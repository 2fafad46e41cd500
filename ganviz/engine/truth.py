"""Teaching truth: does each preset show its phenomenon on many seeds? Measured, never typed.

``check(preset, seed)`` runs the preset headless exactly as `ganviz run --preset P --seed S` does and judges
the badge's headline over the preset's judged window (a preset whose script switches a knob is judged before
the switch); ``table()`` formats the preset × seed results for docs/presets.md. `ganviz presets --check`
runs it; `make truth` writes the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ganviz.core.diagnose import LABELS, diagnose, headline
from ganviz.engine.headless import run_headless
from ganviz.presets import Preset

OLD_FAITHFUL_PEAKS = (2.0, 4.4)  # minutes: the two eruption types
OLD_FAITHFUL_GAP = (2.6, 3.4)  # the valley between them …
OLD_FAITHFUL_GAP_MASS = 0.08  # … where p_g may put at most this much mass
PEAK_TOLERANCE = 0.3


@dataclass
class Check:
    preset: str
    seed: int
    headline: str
    holds: bool
    jsd: float
    d_dev: float
    coverage: float
    note: str = ""
    seconds: float = 0.0

    def row(self) -> dict:
        return dict(self.__dict__)


def judged_records(preset: Preset, records: list[dict]) -> list[dict]:
    rows = [r for r in records if r["step"] >= preset.judged_from]
    if preset.judged_until is not None:
        rows = [r for r in rows if r["step"] <= preset.judged_until]
    return rows


def check(preset: Preset, seed: int) -> Check:
    cfg = preset.config.replace(seed=seed)
    run = run_headless(cfg, schedule=preset.schedule)
    rows = judged_records(preset, run.records)
    head = headline(diagnose(rows), rows) if not run.error else "diverged"
    last = rows[-1] if rows else {}
    holds, note = head == preset.phenomenon, ""
    if preset.name == "old_faithful" and run.last is not None:
        ok, note = bimodal_fit(run.last)
        holds = holds and ok
    if preset.judged_until is not None and run.records:  # after the switch: the rescue must show too
        end = run.records[-1]
        rescued = end["jsd"] < 0.1
        note = (note + "; " if note else "") + f"after the switch JSD {end['jsd']:.3f}"
        holds = holds and rescued
    return Check(preset.name, seed, head, holds, _f(last.get("jsd")), _f(last.get("d_dev")),
                 _f(last.get("coverage")), note, run.seconds)


def bimodal_fit(snap) -> tuple[bool, str]:
    """Old Faithful: p_g has a peak within 0.3 min of 2.0 and of 4.4, and < 8 % of its mass in 2.6–3.4."""
    x, q = snap.x, snap.p_g
    widths = np.gradient(x)
    gap = float((q * widths)[(x >= OLD_FAITHFUL_GAP[0]) & (x <= OLD_FAITHFUL_GAP[1])].sum())
    peaks = []
    for centre in OLD_FAITHFUL_PEAKS:
        near = (x >= centre - PEAK_TOLERANCE) & (x <= centre + PEAK_TOLERANCE)
        region = (x >= centre - 1.0) & (x <= centre + 1.0)
        peaks.append(bool(near.any() and q[near].max() >= 0.999 * q[region].max()))
    ok = all(peaks) and gap < OLD_FAITHFUL_GAP_MASS
    return ok, f"peaks at 2.0/4.4: {'yes' if peaks[0] else 'no'}/{'yes' if peaks[1] else 'no'}, gap mass {gap:.3f}"


def _f(v) -> float:
    return float(v) if isinstance(v, (int, float)) else math.nan


def table(presets: list[Preset], checks: list[Check], seeds: list[int]) -> str:
    """Markdown: one row per preset with the headline per seed, the count that holds and the medians."""
    by = {(c.preset, c.seed): c for c in checks}
    head = "| preset | promises | " + " | ".join(f"seed {s}" for s in seeds) + " | holds | median JSD | median d_dev |"
    lines = [head, "|" + " --- |" * (len(seeds) + 5)]
    for p in presets:
        cells, held, jsds, devs = [], 0, [], []
        for s in seeds:
            c = by.get((p.name, s))
            if c is None:
                cells.append("")
                continue
            held += c.holds
            jsds.append(c.jsd)
            devs.append(c.d_dev)
            short = LABELS.get(c.headline, c.headline).split(" —")[0]
            cells.append(("✓ " if c.holds else "✗ ") + short)
        lines.append(f"| `{p.name}` | {LABELS.get(p.phenomenon, p.phenomenon)} | " + " | ".join(cells)
                     + f" | **{held}/{len(seeds)}** | {np.nanmedian(jsds):.3f} | {np.nanmedian(devs):.3f} |")
    return "\n".join(lines)


def detail(checks: list[Check]) -> str:
    lines = ["| preset | seed | headline | holds | JSD | d_dev | coverage | note |", "|" + " --- |" * 8]
    for c in checks:
        lines.append(f"| `{c.preset}` | {c.seed} | {c.headline} | {'✓' if c.holds else '✗'} | {c.jsd:.4f} | "
                     f"{c.d_dev:.4f} | {c.coverage:.2f} | {c.note} |")
    return "\n".join(lines)
