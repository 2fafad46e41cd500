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


LOG2 = math.log(2.0)
STUCK_AT_LOG2 = 0.99  # JSD this close to log 2 (as a fraction of it): the supports do not overlap


def _series(rows: list[dict], key: str) -> np.ndarray:
    return np.array([_f(r.get(key)) for r in rows], dtype=np.float64)


def _tail(rows: list[dict], key: str) -> float:
    """Median over the last third of the records (one lucky record cannot make a claim hold)."""
    v = _series(rows[-max(1, len(rows) // 3):], key)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else math.nan


def _trained(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r.get("step", 0) > 0]


def claim_jsd_at_log2(rows, share: float = 1.0):
    """JSD stays at log 2 (the supports do not overlap) in ``share`` of the records."""
    jsd = _series(_trained(rows), "jsd")
    got = float(np.mean(jsd >= STUCK_AT_LOG2 * LOG2)) if jsd.size else 0.0
    return got >= share, f"JSD = log 2 in {got:.0%} of records"


def claim_w1_flat(rows, tolerance: float = 0.1):
    """W1 barely moves: G is not getting closer."""
    w = _series(rows, "w1")
    return bool(w[-1] >= (1 - tolerance) * w[0]), f"W1 {w[0]:.2f} → {w[-1]:.2f}"


def claim_w1_falls(rows, to: float = 0.2, while_log2: float = 0.0):
    """W1 falls to ``to`` × its start; with ``while_log2``: by that fraction already while JSD was still
    log 2 (JSD sees no progress, W1 does)."""
    w, jsd = _series(rows, "w1"), _series(rows, "jsd")
    ok = bool(w[-1] <= to * w[0])
    note = f"W1 {w[0]:.2f} → {w[-1]:.2f}"
    if while_log2:
        stuck = np.nonzero(jsd >= STUCK_AT_LOG2 * LOG2)[0]
        fell = 1.0 - float(w[stuck[-1]]) / w[0] if stuck.size else 0.0
        ok = ok and fell >= while_log2
        note += f", {fell:.0%} of it while JSD = log 2"
    return ok, note


def claim_one_mode(rows, below: float = 0.1):
    """A big mode of p_data stays (nearly) empty: p_g sits on the other."""
    low = _tail(rows, "mode_low")
    return low < below, f"emptiest mode gets {low:.0%} of its mass"


def claim_both_modes(rows, above: float = 0.5, between: float = 0.0):
    """Every big mode gets ``above`` of its mass from p_g; with ``between``: p_g also keeps that much more
    mass than p_data where p_data is low (mass between the modes: covering, not seeking)."""
    low, stray = _tail(rows, "mode_low"), _tail(rows, "stray")
    ok = low >= above and (not between or stray >= between)
    return ok, f"emptiest mode gets {low:.0%} of its mass, p_g's excess where p_data is low {stray:.2f}"


def claim_hopping(rows, at_once: int = 1, visits: int = 4):
    """In the plane, over the second half of the run: G covers at most ``at_once`` modes at a time (median)
    yet visits at least ``visits`` different modes — one mode at a time, around the ring."""
    half = [r for r in rows[len(rows) // 2:] if isinstance(r.get("covered"), (int, float))]
    if not half:
        return False, "no plane records"
    masks = [int(r["covered"]) for r in half]
    counts = [bin(m).count("1") for m in masks]
    union = 0
    for m in masks:
        union |= m
    seen = bin(union).count("1")
    median = float(np.median(counts))
    return median <= at_once and seen >= visits, f"{median:g} mode(s) at a time, {seen} visited"


def claim_all_modes(rows, share: float = 1.0):
    """In the plane: the share of modes covered (median over the last third) reaches ``share``."""
    got = _tail(rows, "coverage")
    return got >= share, f"{got:.0%} of the modes covered"


def claim_partial(rows, low: float = 0.2, high: float = 0.9):
    """In the plane: G covers some modes but not all (median share over the last third in [low, high])."""
    got = _tail(rows, "coverage")
    return low <= got <= high, f"{got:.0%} of the modes covered"


def claim_pinned(rows, share: float = 0.5):
    """Weight clipping: at least ``share`` of the critic's weights sit at ±c."""
    got = _tail(rows, "pinned")
    return got >= share, f"{got:.0%} of the critic's weights at ±c"


def claim_below(rows, key: str, value: float):
    """A record's key (median over the last third) stays below a value (e.g. JSD, stray)."""
    got = _tail(rows, key)
    return got < value, f"{KEY_TEXT.get(key, key)} {got:.3g}"


def claim_above(rows, key: str, value: float):
    """A record's key (median over the last third) reaches a value (e.g. the share of high-quality samples)."""
    got = _tail(rows, key)
    return got >= value, f"{KEY_TEXT.get(key, key)} {got:.3g}"


CLAIMS = {"jsd_at_log2": claim_jsd_at_log2, "w1_flat": claim_w1_flat, "w1_falls": claim_w1_falls,
          "one_mode": claim_one_mode, "both_modes": claim_both_modes, "pinned": claim_pinned,
          "hopping": claim_hopping, "all_modes": claim_all_modes, "partial": claim_partial,
          "below": claim_below, "above": claim_above}


KEY_TEXT = {"stray": "p_g's excess mass where p_data is low", "jsd": "JSD",
            "quality": "the share of G's samples within 3σ of a mode"}
CLAIM_TEXT = {
    "jsd_at_log2": "JSD = log 2 throughout",
    "w1_flat": "W1 does not fall",
    "w1_falls": "W1 falls to ≤ {to:.0%} of its start{log2}",
    "one_mode": "one mode left empty",
    "both_modes": "every mode covered{between}",
    "pinned": "≥ {share:.0%} of the critic's weights at ±c",
    "hopping": "≤ {at_once} mode(s) at a time, ≥ {visits} visited",
    "all_modes": "≥ {share:.0%} of the modes covered",
    "partial": "{low:.0%}–{high:.0%} of the modes covered",
    "below": "{key} < {value:g}",
    "above": "{key} ≥ {value:g}",
}


def claim_text(claim: dict) -> str:
    """A claim in words, for the presets table's "promises" column."""
    params = {"to": 0.2, "share": 0.5, "while_log2": 0.0, "between": 0.0, "at_once": 1, "visits": 4, "low": 0.2,
              "high": 0.9, **claim}
    if claim["claim"] == "all_modes":
        params.setdefault("share", 1.0)
        params["share"] = claim.get("share", 1.0)
    params["log2"] = (f", ≥ {params['while_log2']:.0%} of it while JSD = log 2" if params["while_log2"] else "")
    params["key"] = KEY_TEXT.get(params.get("key", ""), params.get("key", ""))
    params["between"] = (", with mass between them" if params["between"] else "")
    return CLAIM_TEXT.get(claim["claim"], claim["claim"]).format(**params)


def promise(preset: Preset) -> str:
    """What a preset promises: the badge's headline and its claims."""
    parts = [LABELS.get(preset.phenomenon, preset.phenomenon)] if preset.phenomenon else []
    return "; ".join(parts + [claim_text(c) for c in preset.claims])


def claim_holds(claim: dict, rows: list[dict]) -> tuple[bool, str]:
    """One preset claim on the judged records: (holds, what was measured)."""
    params = {k: v for k, v in claim.items() if k != "claim"}
    try:
        fn = CLAIMS[claim["claim"]]
    except KeyError:
        raise ValueError(f"unknown claim '{claim['claim']}'; known: {', '.join(CLAIMS)}") from None
    if not rows:
        return False, "no records"
    ok, measured = fn(rows, **params)
    return bool(ok), measured


def check(preset: Preset, seed: int) -> Check:
    cfg = preset.config.replace(seed=seed)
    run = run_headless(cfg, schedule=preset.schedule)
    rows = judged_records(preset, run.records)
    head = judge(rows)[0] if not run.error else "diverged"
    last = rows[-1] if rows else {}
    holds, note = (not preset.phenomenon or head == preset.phenomenon), ""
    if preset.name == "old_faithful" and run.last is not None:
        ok, note = bimodal_fit(run.last)
        holds = holds and ok
    if preset.rescues and rows and load_preset(preset.rescues).phenomenon == "mode_collapse":
        covered = last.get("coverage") == 1.0  # a collapse is rescued only when every mode is covered
        note = (note + "; " if note else "") + f"coverage {_f(last.get('coverage')):.2f}"
        holds = holds and covered
    for claim in preset.claims:
        ok, measured = claim_holds(claim, rows)
        note = (note + "; " if note else "") + ("" if ok else "✗ ") + measured
        holds = holds and ok
    if preset.judged_until is not None and preset.schedule and run.records:  # after the switch: rescued too
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
        lines.append(f"| `{p.name}` | {promise(p)} | " + " | ".join(cells)
                     + f" | **{held}/{len(seeds)}**{more} | {_median(jsds)} | {_median(devs)} |")
    return "\n".join(lines)


def _median(values: list[float]) -> str:
    """The median of the finite values, or "n/a" (a Wasserstein critic has no d_dev)."""
    finite = [v for v in values if math.isfinite(v)]
    return f"{float(np.median(finite)):.3f}" if finite else "n/a"


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
