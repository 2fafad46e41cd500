"""Teaching truth: does each preset show its phenomenon on many seeds? Measured, never typed.

``check(preset, seed)`` runs the preset headless exactly as `ganviz run --preset P --seed S` does and takes
the badge's headline as a viewer would have seen it at the end of the judged records — every record judged
in turn, with the badge's hysteresis (core/diagnose.py ``judge``); a preset whose script switches a knob is
judged before the switch and must be rescued after it. The badge's whole timeline is kept too (what it said,
from which step). ``table()`` formats the preset × seed results for docs/presets.md. `ganviz presets
--check` runs it; `make truth` writes the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ganviz.core.diagnose import LABELS, judge, timeline
from ganviz.engine.headless import run_headless
from ganviz.presets import Preset, load_preset

OLD_FAITHFUL_GAP = (2.6, 3.4)  # minutes: the valley between short and long eruptions …
GAP_EXCESS = 1.5  # … where p_g may put at most this multiple of p_data's mass (the KDE's own valley mass) …
MODE_SHARE = 0.7  # … while each side (short, long) gets at least this share of p_data's mass there


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
    states: str = ""  # the badge over the whole run: "warming up → converging@300 → at Nash equilibrium@650"

    def row(self) -> dict:
        return dict(self.__dict__)


def judged_records(preset: Preset, records: list[dict]) -> list[dict]:
    """The records the promise is judged on: the whole run, or up to the preset's scripted switch."""
    if preset.judged_until is None:
        return list(records)
    return [r for r in records if r["step"] <= preset.judged_until]


def check(preset: Preset, seed: int) -> Check:
    cfg = preset.config.replace(seed=seed)
    run = run_headless(cfg, schedule=preset.schedule)
    rows = judged_records(preset, run.records)
    head = judge(rows)[0] if not run.error else "diverged"
    last = rows[-1] if rows else {}
    holds, note = head == preset.phenomenon, ""
    if preset.name == "old_faithful" and run.last is not None:
        ok, note = bimodal_fit(run.last)
        holds = holds and ok
    if preset.rescues and rows and load_preset(preset.rescues).phenomenon == "mode_collapse":
        covered = last.get("coverage") == 1.0  # a collapse is rescued only when every mode is covered
        note = (note + "; " if note else "") + f"coverage {_f(last.get('coverage')):.2f}"
        holds = holds and covered
    if preset.judged_until is not None and run.records:  # after the switch: the rescue must show too
        end = run.records[-1]
        rescued = end["jsd"] < 0.1
        note = (note + "; " if note else "") + f"after the switch JSD {end['jsd']:.3f}"
        holds = holds and rescued
    states = " → ".join(f"{LABELS.get(h, h).split(' —')[0]}@{step}" for step, h in timeline(run.records)[1:])
    return Check(preset.name, seed, head, holds, _f(last.get("jsd")), _f(last.get("d_dev")),
                 _f(last.get("coverage")), note, run.seconds, states)


def bimodal_fit(snap) -> tuple[bool, str]:
    """Old Faithful: p_g covers both eruption types and does not fill the valley between them.

    Measured against p_data itself (a KDE of 272 points puts ~8 % of its own mass in the valley): each side
    of the valley gets ≥ MODE_SHARE of p_data's mass there, the valley ≤ GAP_EXCESS × p_data's."""
    x = snap.x
    widths = np.gradient(x)
    low, high = OLD_FAITHFUL_GAP
    regions = {"short": x < low, "gap": (x >= low) & (x <= high), "long": x > high}
    mass_g = {k: float((snap.p_g * widths)[m].sum()) for k, m in regions.items()}
    mass_d = {k: float((snap.p_data * widths)[m].sum()) for k, m in regions.items()}
    sides = all(mass_g[k] >= MODE_SHARE * mass_d[k] for k in ("short", "long"))
    valley = mass_g["gap"] <= GAP_EXCESS * mass_d["gap"]
    note = (f"p_g/p_data mass: short {mass_g['short']:.2f}/{mass_d['short']:.2f}, valley {mass_g['gap']:.3f}/"
            f"{mass_d['gap']:.3f}, long {mass_g['long']:.2f}/{mass_d['long']:.2f}")
    return sides and valley, note


def _f(v) -> float:
    return float(v) if isinstance(v, (int, float)) else math.nan


def table(presets: list[Preset], checks: list[Check], seeds: list[int], unseen: list[int] = ()) -> str:
    """Markdown: one row per preset with the headline per seed, the count that holds on the tuned seeds and on
    the ``unseen`` ones (seeds no tuning looked at), and the medians."""
    by = {(c.preset, c.seed): c for c in checks}
    extra = f" | holds (unseen {_span(unseen)})" if unseen else ""
    head = ("| preset | promises | " + " | ".join(f"seed {s}" for s in seeds) + f" | holds{extra} | median JSD | "
            "median d_dev |")
    lines = [head, "|" + " --- |" * (len(seeds) + 5 + bool(unseen))]
    for p in presets:
        cells, jsds, devs = [], [], []
        for s in seeds:
            c = by.get((p.name, s))
            if c is None:
                cells.append("")
                continue
            jsds.append(c.jsd)
            devs.append(c.d_dev)
            short = LABELS.get(c.headline, c.headline).split(" —")[0]
            cells.append(("✓ " if c.holds else "✗ ") + short)
        held = _held(by, p.name, seeds)
        more = f" | **{_held(by, p.name, unseen)}/{len(unseen)}**" if unseen else ""
        lines.append(f"| `{p.name}` | {LABELS.get(p.phenomenon, p.phenomenon)} | " + " | ".join(cells)
                     + f" | **{held}/{len(seeds)}**{more} | {np.nanmedian(jsds):.3f} | {np.nanmedian(devs):.3f} |")
    return "\n".join(lines)


def _held(by: dict, name: str, seeds) -> int:
    return sum(1 for s in seeds if (name, s) in by and by[(name, s)].holds)


def _span(seeds) -> str:
    seeds = list(seeds)
    return f"{seeds[0]}–{seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else ", ".join(map(str, seeds))


def detail(checks: list[Check]) -> str:
    lines = ["| preset | seed | headline | holds | JSD | d_dev | coverage | note | the badge over the run |",
             "|" + " --- |" * 9]
    for c in checks:
        lines.append(f"| `{c.preset}` | {c.seed} | {c.headline} | {'✓' if c.holds else '✗'} | {c.jsd:.4f} | "
                     f"{c.d_dev:.4f} | {c.coverage:.2f} | {c.note} | {c.states} |")
    return "\n".join(lines)
