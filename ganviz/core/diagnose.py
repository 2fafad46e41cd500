"""The badge's state model: what a run is doing, named from the recent records of its history.

Each record is a dict (step, jsd, d_dev, mode_low, stray, spread, sat_ratio, d_real, d_fake, grad norms, …).
The detectors read a *window* of the latest records: the last 30 % of them, at least 6 and at most 40 (2000
steps at the default record_every of 50), so a phenomenon that ended earlier is not reported now and a knob
turned live shows within a few records. Every threshold is scale-free (ratios, probabilities, JSD in nats),
so the same numbers hold for any target, net size or learning rate; docs/architecture.md lists them.

The states, strongest evidence first (``PRIORITY``; the first that holds is the headline):

- diverged: a non-finite number. Nothing else is meaningful.
- exploding: G's or D's gradient norm beyond 1e3 while D separates perfectly (or beyond 1e5 whatever D reads)
  and JSD ≈ log 2: the learning rates blew the game up (named apart from collapse, which it resembles: every z
  lands on one wandering x).
- vanishing gradients: the saturating loss while its gradient at the fakes is < 5 % of the non-saturating
  one's and p_g is far off: a direct measurement of why G does not move.
- mode hopping (records with a ``covered`` mask: the plane): past the warm-up, G covers fewer than all modes
  in ≥ 80 % of the records and at most half of them typically, yet the covered set keeps changing — at least
  HOP_CHANGES times a mode not covered at the last record that covered any becomes covered while one of those
  is dropped — and the union of covered modes exceeds the typical count by HOP_SPREAD: one mode at a time,
  around the ring (the canonical 2-D picture of collapse). Judged over at least OSCILLATION_RECORDS records.
- mode collapse: past G's warm-up, a mode holding ≥ 25 % of p_data's mass gets < 10 % of it from p_g (or, for
  one mode, p_g's spread is < ¼ of p_data's) in ≥ 80 % of the window, *and it is stuck* (not recovering).
- broken game: D has the labels backwards, or JSD climbed over three windows and stays high.
- p_g too wide: past the warm-up, ≥ 20 % more of p_g's mass than p_data's own lies where p_data is low
  (valleys and tails), in ≥ 80 % of the window — the opposite failure, never to be called collapse.
- oscillating: sustained swings — of JSD or of p_g's width — around their trend, after a 3-record median
  filter (one outlying record cannot make a swing), whatever D's mean does; judged over at least
  OSCILLATION_RECORDS (30) records (two slow cycles).
- D fooled, p_g wrong: D ≈ ½ everywhere while p_g is steadily wrong.
- at Nash equilibrium: JSD < 0.02 nats and mean |D − ½| < 0.05 (kept while < 0.03 and 0.075: hysteresis); a
  Wasserstein critic (d_dev NaN: no ½ to meet) on JSD alone.
- converging / training: JSD falling over the window, or not (for a Wasserstein critic: JSD or W1 — sliced W1
  in the plane — falling).

Before any update the badge says "ready"; until the window holds WINDOW_MIN records, "warming up" (only
diverged and exploding can speak that early). ``Badge`` adds hysteresis: a new headline shows once it was
found on three records in a row, so a run on the border of two states does not flicker.
"""

from __future__ import annotations

import math

import numpy as np

EQUILIBRIUM_JSD, EQUILIBRIUM_D_DEV = 0.02, 0.05  # enter Nash: JSD (nats) and mean |D − ½| below these …
EQUILIBRIUM_KEEP = 1.5  # … and stay while below 1.5 × them
COLLAPSE_PERSISTENCE = 0.8  # a failure counts when it holds in this share of the window's records
COLLAPSE_MODE_WEIGHT = 0.25  # a mode with this much of p_data's mass …
COLLAPSE_MODE_SHARE = 0.1  # … that gets less than this share of it from p_g is missing
COLLAPSE_SPREAD = 0.25  # one mode: std(p_g) / std(p_data) below this
COLLAPSE_JSD = 0.1  # … while p_g is still this wrong
STUCK_GAIN = 1.25  # a squeeze that widens more than this (last third vs first) is recovering, not stuck
STUCK_MODE_GAIN = 0.05  # a missing mode whose share rises more than this is being found
STUCK_JSD = 0.7  # JSD falling below this fraction of the window's start: recovering
WIDE_STRAY = 0.2  # p_g's excess mass where p_data is low (valleys and tails)
G_WARMUP = 500  # G updates before collapse or width can be judged (an untrained G is narrow)
OSCILLATION_SWING = 0.05  # a swing of JSD: a rise or fall of at least this (nats) …
OSCILLATION_SWING_REL = 0.2  # … and of this fraction of the median JSD …
OSCILLATION_WIDTH_SWING = 0.4  # … or of log(spread) (a factor 1.5 in p_g's width); …
OSCILLATION_LEGS = 3  # … at least this many swings (down, up, down), one of them in the last third, …
OSCILLATION_JSD = 0.05  # … while the mean JSD is at least this high, …
OSCILLATION_RECORDS = 30  # … judged over at least this many records (two slow cycles need room)
HOP_CHANGES = 3  # mode hopping: at least this many hops (a new mode covered while one is dropped) …
HOP_SPREAD = 2  # … and the window's union of covered modes ≥ the typical count + this
VANISHING_RATIO = 0.05  # saturating loss: |∇ log(1 − D)| below 5 % of |∇ −log D| at the fakes …
VANISHING_JSD = 0.2  # … while p_g is still far from p_data
WEAK_D_DEV = 0.02  # D stays this close to ½ …
WEAK_JSD = 0.1  # … although p_g is still this far from p_data
INVERTED_MARGIN = 0.1  # D(real) < ½ − margin and D(G(z)) > ½ + margin: D has the game backwards
RISING_JSD = 0.15  # JSD rose by this much across a long window and sits above …
RISING_FLOOR = 0.3  # … this level
EXPLODING_GRAD = 1e3  # a gradient norm this large (healthy runs: 1e-3 … 10) …
EXPLODING_JSD = 0.6  # … with JSD near log 2 and D separating perfectly
EXPLODING_GRAD_ALONE = 1e5  # … or a gradient norm this large, however D reads (an f-GAN's critic running away)
WINDOW_FRACTION, WINDOW_MIN, WINDOW_MAX = 0.3, 6, 40
CONFIRM = 3  # records in a row before the badge changes its mind

LABELS = {
    "ready": "ready — press Space",
    "warming_up": "warming up",
    "diverged": "diverged (NaN/inf)",
    "exploding": "exploding — lr too high",
    "broken_game": "broken game",
    "vanishing_gradients": "vanishing gradients",
    "mode_hopping": "mode hopping",
    "mode_collapse": "mode collapse",
    "too_wide": "p_g too wide",
    "oscillation": "oscillating",
    "weak_discriminator": "D fooled, p_g wrong",
    "equilibrium": "at Nash equilibrium",
    "converging": "converging",
    "training": "training",
}
# what to try, shown beside the badge (the window fills in the knobs' current values)
HINTS = {
    "exploding": "lower lr_D ({lr_d:g}) and lr_G ({lr_g:g})",
    "vanishing_gradients": "switch G's loss to non-saturating −log D(G(z)), or smooth D's labels",
    "mode_hopping": "G chases D from mode to mode: try unrolled D (5 steps) or minibatch std",
    "mode_collapse": "try minibatch std, unrolled D or instance noise",
    "too_wide": "give it time, or raise lr_D so D can point G at the data",
    "oscillation": "lower the momentum / lr, or add R1 or instance noise",
    "weak_discriminator": "give D hidden layers or a higher lr_D",
    "broken_game": "lower lr_D, or reset",
}
PRIORITY = ("diverged", "exploding", "vanishing_gradients", "mode_hopping", "mode_collapse", "broken_game", "too_wide",
            "oscillation", "weak_discriminator", "equilibrium")
EARLY = ("diverged", "exploding")  # may speak during the warm-up
LONG_VIEW = ("oscillation", "mode_hopping")  # judged over at least OSCILLATION_RECORDS records: cycles need room


def window(history: list[dict]) -> list[dict]:
    n = int(math.ceil(len(history) * WINDOW_FRACTION))
    return history[-min(max(n, WINDOW_MIN), WINDOW_MAX):]


def _col(rows: list[dict], key: str) -> np.ndarray:
    return np.array([r.get(key, math.nan) if isinstance(r.get(key, math.nan), (int, float)) else math.nan
                     for r in rows], dtype=np.float64)


def _median(values: np.ndarray) -> float:
    """Median of the finite values; NaN (without a warning) when there are none."""
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else math.nan


def _share(mask: np.ndarray) -> float:
    return float(np.mean(mask)) if mask.size else 0.0


def _thirds(values: np.ndarray) -> tuple[float, float]:
    """Medians of the first and the last third of a series."""
    third = max(1, len(values) // 3)
    return _median(values[:third]), _median(values[-third:])


def _median3(values: np.ndarray) -> np.ndarray:
    """A running median of three: a single outlying record cannot make (or break) a swing."""
    if len(values) < 3:
        return values
    padded = np.concatenate([values[:1], values, values[-1:]])
    return np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0)


def swings(values: np.ndarray, delta: float) -> list[int]:
    """Where the median-filtered series completes a swing: a rise or a fall of at least ``delta`` from the
    last turning point (a zigzag). A steady decay with noise has none; a cycle has two per period."""
    v = _median3(values)
    ends: list[int] = []
    lo = hi = v[0]
    direction = 0  # +1 rising, −1 falling, 0 not yet known
    for i, x in enumerate(v[1:], start=1):
        if direction >= 0 and x > hi:
            hi = x
        if direction <= 0 and x < lo:
            lo = x
        if direction >= 0 and hi - x >= delta:  # a fall of delta from the top: the rise before it was a swing
            if direction > 0:
                ends.append(i)
            direction, lo = -1, x
        elif direction <= 0 and x - lo >= delta:
            if direction < 0:
                ends.append(i)
            direction, hi = 1, x
    return ends


def _sustained(ends: list[int], n: int) -> bool:
    return len(ends) >= OSCILLATION_LEGS and ends[-1] >= 2 * n // 3


def _warmed_up(rows: list[dict]) -> bool:
    """G has had G_WARMUP updates (an untrained G is narrow and sits anywhere: no verdict on its shape yet)."""
    g = _col(rows[:1], "g_updates")
    first = float(g[0]) if g.size and math.isfinite(g[0]) else float(rows[0].get("step", 0))
    return first >= G_WARMUP


# --- detectors: each reads a window of records ---------------------------------------------------------
def is_diverged(rows: list[dict]) -> bool:
    """A non-finite JSD in the last record (a diverged run records jsd = NaN)."""
    jsd = rows[-1].get("jsd", 0.0)
    return isinstance(jsd, float) and not math.isfinite(jsd)


def is_exploding(rows: list[dict]) -> bool:
    """Gradients 1e3 × beyond any healthy run while D separates real from fake perfectly."""
    recent = rows[-3:]
    grad = np.fmax(_col(recent, "grad_norm_g"), _col(recent, "grad_norm_d"))
    if not (_median(grad) > EXPLODING_GRAD and _median(_col(recent, "jsd")) > EXPLODING_JSD):
        return False
    separating = _median(_col(recent, "d_real")) > 0.9 and _median(_col(recent, "d_fake")) < 0.1
    return separating or _median(grad) > EXPLODING_GRAD_ALONE  # (an f-GAN's D need not read 0 / 1 to blow up)


def is_broken_game(rows: list[dict], long: list[dict] | None = None) -> bool:
    """D has the game backwards (it calls fakes real and reals fake), or JSD has climbed over a long window
    (three detector windows) and stays high."""
    d_real, d_fake = _median(_col(rows, "d_real")), _median(_col(rows, "d_fake"))
    inverted = d_real < 0.5 - INVERTED_MARGIN and d_fake > 0.5 + INVERTED_MARGIN
    jsd = _col(long if long is not None else rows, "jsd")
    jsd = jsd[np.isfinite(jsd)]
    rising = False
    if jsd.size >= WINDOW_MIN:
        start, end = _thirds(jsd)
        third = max(2, jsd.size // 3)
        rising = end - start > RISING_JSD and end > RISING_FLOOR and float(np.min(jsd[-third:])) > start
    return inverted or rising


def is_vanishing(rows: list[dict]) -> bool:
    """The saturating loss while D confidently rejects G (the paper's §3): log(1 − D(G(z))) is flat there,
    so G's gradient is a small fraction of what −log D(G(z)) would give, and p_g stays far off."""
    saturating = [r.get("g_loss") == "saturating" for r in rows]
    if sum(saturating) < 0.5 * len(rows):
        return False
    return (_median(_col(rows, "sat_ratio")) < VANISHING_RATIO
            and _median(_col(rows, "jsd")) > VANISHING_JSD)


def _recovering(rows: list[dict]) -> bool:
    jsd = _col(rows, "jsd")
    start, end = _thirds(jsd)
    return bool(end < STUCK_JSD * start)


def is_mode_collapse(rows: list[dict]) -> bool:
    """Past the warm-up, a big mode of p_data stays (nearly) empty of p_g — or, for one mode, p_g stays
    squeezed — while p_g is wrong, and nothing is getting better."""
    if not _warmed_up(rows) or _recovering(rows):
        return False
    jsd = _col(rows, "jsd")
    if _median(_col(rows, "n_modes")) > 1:
        low = _col(rows, "mode_low")
        missing = (low < COLLAPSE_MODE_SHARE) & (jsd > COLLAPSE_JSD)
        start, end = _thirds(low)
        return _share(missing) >= COLLAPSE_PERSISTENCE and not end - start > STUCK_MODE_GAIN
    spread = _col(rows, "spread")
    squeezed = (spread < COLLAPSE_SPREAD) & (jsd > COLLAPSE_JSD)
    start, end = _thirds(spread)
    widening = end > STUCK_GAIN * start and end > 0.5 * COLLAPSE_SPREAD  # tiny spreads jitter by ratios
    return _share(squeezed) >= COLLAPSE_PERSISTENCE and not widening


def _masks(rows: list[dict]) -> list[int]:
    return [int(r["covered"]) for r in rows if isinstance(r.get("covered"), (int, float))
            and math.isfinite(r["covered"])]


def is_mode_hopping(rows: list[dict]) -> bool:
    """In the plane: G covers only some modes, and which ones keeps changing (HOP_CHANGES times a mode is
    covered that was not at the last record covering anything, while one of those is dropped — records
    covering nothing, G in transit, are skipped), so that over the window it visits HOP_SPREAD more modes
    than it covers at once."""
    masks = _masks(rows)
    if len(masks) < WINDOW_MIN or not _warmed_up(rows):
        return False
    k = int(_median(_col(rows, "n_modes")))
    counts = np.array([bin(m).count("1") for m in masks])
    partial = _share(counts < k) >= COLLAPSE_PERSISTENCE and float(np.median(counts)) <= k / 2  # (a grid that
    # keeps most of its modes while a few flicker at the rule's edge is not hopping)
    hops, last, union = 0, 0, 0
    for m in masks:  # a hop: compared with the last record that covered anything, a mode gained and one lost
        if m:
            hops += bool(last and m & ~last and last & ~m)
            last = m
        union |= m
    return partial and hops >= HOP_CHANGES and bin(union).count("1") >= float(np.median(counts)) + HOP_SPREAD


def is_too_wide(rows: list[dict]) -> bool:
    """Past the warm-up, p_g keeps much more mass than p_data where p_data is low: smeared over the gaps and
    tails (the opposite of a collapse)."""
    if not _warmed_up(rows):
        return False
    wide = (_col(rows, "stray") > WIDE_STRAY) & (_col(rows, "jsd") > COLLAPSE_JSD)
    return _share(wide) >= COLLAPSE_PERSISTENCE


def is_oscillation(rows: list[dict]) -> bool:
    """Sustained swings of JSD, or of p_g's width: at least three rises and falls of a set size, one of them
    in the last third of the window (a cycle that has died out is not reported; one spike is filtered out,
    and a steady decay, however noisy, has no rise)."""
    jsd = _col(rows, "jsd")
    n = len(jsd)
    if n < 8 or not np.all(np.isfinite(jsd)) or jsd.mean() <= OSCILLATION_JSD:
        return False
    if _sustained(swings(jsd, max(OSCILLATION_SWING, OSCILLATION_SWING_REL * float(np.median(jsd)))), n):
        return True
    spread = _col(rows, "spread")
    if not np.all(np.isfinite(spread)) or np.any(spread <= 0):
        return False
    return _sustained(swings(np.log(spread), OSCILLATION_WIDTH_SWING), n)


def is_weak_discriminator(rows: list[dict]) -> bool:
    """D says ½ everywhere while p_g is still wrong: D cannot (or does not yet) see the difference."""
    return _median(_col(rows, "d_dev")) < WEAK_D_DEV and _median(_col(rows, "jsd")) > WEAK_JSD


def is_equilibrium(rows: list[dict], keep: bool = False) -> bool:
    """The last third of the window near JSD = 0 and D = ½ (looser once there: ``keep``). A Wasserstein
    critic has no ½ to meet (its records carry d_dev = NaN): p_g = p_data alone is its equilibrium."""
    tail = rows[-max(3, len(rows) // 3):]
    f = EQUILIBRIUM_KEEP if keep else 1.0
    d_dev = _median(_col(tail, "d_dev"))
    return (_median(_col(tail, "jsd")) < f * EQUILIBRIUM_JSD
            and (d_dev < f * EQUILIBRIUM_D_DEV or (math.isnan(d_dev) and _critic(tail))))


def _critic(rows: list[dict]) -> bool:
    """Records of an objective whose D is a critic score (d_dev NaN while JSD is finite)."""
    return bool(np.all(np.isnan(_col(rows, "d_dev")) & np.isfinite(_col(rows, "jsd"))))


DETECTORS = {"exploding": is_exploding, "broken_game": is_broken_game, "vanishing_gradients": is_vanishing,
             "mode_hopping": is_mode_hopping, "mode_collapse": is_mode_collapse, "too_wide": is_too_wide, "oscillation": is_oscillation,
             "weak_discriminator": is_weak_discriminator}


def _trained(history: list[dict]) -> list[dict]:
    return [r for r in history if r.get("step", 0) > 0]


def diagnose(history: list[dict], at_equilibrium: bool = False) -> list[str]:
    """Names of the phenomena the recent history shows, strongest evidence first ([] before any record)."""
    history = _trained(history)
    if not history:
        return []
    if is_diverged(history):
        return ["diverged"]
    rows = window(history)
    found = [name for name, test in DETECTORS.items()
             if test(history[-max(len(rows), OSCILLATION_RECORDS):] if name in LONG_VIEW else rows)]
    if "broken_game" not in found and is_broken_game(rows, history[-3 * len(rows):]):
        found.append("broken_game")
    if not found and is_equilibrium(rows, keep=at_equilibrium):
        found.append("equilibrium")
    return sorted(found, key=PRIORITY.index)


def headline(found: list[str], history: list[dict]) -> str:
    """The one state the badge shows for these findings (no hysteresis: see ``Badge``)."""
    history = _trained(history)
    if not history:
        return "ready"
    early = [f for f in found if f in EARLY]
    if len(history) < WINDOW_MIN:
        return early[0] if early else "warming_up"
    if found:
        return found[0]
    rows = window(history)
    jsd = _col(rows, "jsd")
    start, end = _thirds(jsd)
    if _critic(rows[-1:]):  # a Wasserstein critic: its own distance W1 says whether G gets closer (JSD is
        w_start, w_end = _thirds(_col(rows, "w1" if "w1" in rows[-1] else "sw1"))  # stuck at log 2 while the
        # supports are apart; the plane's records carry sliced W1)
        return "converging" if len(jsd) >= 2 and (end < start or w_end < 0.9 * w_start) else "training"
    return "converging" if len(jsd) >= 2 and end < start else "training"


class Badge:
    """The headline as the user sees it, record by record: a new state shows once it was found on CONFIRM
    records in a row (ready, warming up, diverged and exploding show at once)."""

    def __init__(self):
        self.shown = "ready"
        self.found: list[str] = []
        self._candidate, self._count, self._seen = "ready", 0, 0

    def update(self, history: list[dict]) -> str:
        """Judge ``history`` (all records so far); call again whenever records were added."""
        if len(history) < self._seen:  # a restart cut the history: judge afresh
            self.__init__()
        self._seen = len(history)
        self.found = diagnose(history, at_equilibrium=self.shown == "equilibrium")
        new = headline(self.found, history)
        self._count = self._count + 1 if new == self._candidate else 1
        self._candidate = new
        immediate = new in ("ready", "warming_up", "diverged", "exploding") or self.shown in ("ready", "warming_up")
        if new != self.shown and (immediate or self._count >= CONFIRM):
            self.shown = new
        return self.shown


def judge(history: list[dict]) -> tuple[str, list[str]]:
    """What the badge shows after the last of these records, having seen every one of them in turn."""
    badge = Badge()
    trained = 0
    for i, row in enumerate(history):
        if row.get("step", 0) > 0:
            trained += 1
            badge.update(history[: i + 1])
    if not trained:
        badge.update(history)
    return badge.shown, badge.found


def timeline(history: list[dict]) -> list[tuple[int, str]]:
    """(step, headline) each time the badge changed, over the whole history (what a viewer saw)."""
    badge, out = Badge(), []
    for i, row in enumerate(history):
        shown = badge.update(history[: i + 1])
        if not out or out[-1][1] != shown:
            out.append((int(row.get("step", 0)), shown))
    return out
