"""TrainConfig: the one source of truth for every knob.

Each field carries its range, its label, its one-line doc, the formula it changes and what a change does
(``effect``) in ``metadata``: validation, the CLI's error messages, the GUI's generated controls and their
tooltips, the sweep's axes and the trainer's reaction to a live change all read these same numbers.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ganviz import losses
from ganviz.losses import Choices, formulas

TARGETS = ("gaussian", "mixture", "uniform", "empirical", "ring", "grid", "moons", "spiral", "points")
PLANE_TARGETS = ("ring", "grid", "moons", "spiral", "points")  # 2-D: a run is 1-D or 2-D by its target
NOISES = ("uniform", "normal")
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "elu")
OPTIMIZERS = ("sgd", "adam", "rmsprop")
DEVICES = ("auto", "cpu", "cuda")
NORMS = ("none", "G", "D", "both")
MAX_COMPONENTS = 12  # mixture components: enough for any lecture, small enough to stay fast

# What a live change of a knob does (metadata "effect"):
LIVE, RESET, TARGET, RUN = "live", "reset", "target", "run"
#   live:   applied between two steps, weights and optimizer state kept
#   reset:  the networks' shape or the random streams change: new nets from the seed
#   target: p_data changes: the trainer swaps the target and keeps the weights
#   run:    how long / how often to record; no effect on the dynamics


class ConfigError(ValueError):
    """A knob was given a value it cannot take; the message names the key and the allowed range."""


def knob(default: Any, *, group: str, label: str, doc: str, formula: Any = "", lo: float | None = None,
         hi: float | None = None, choices: Any = None, names: Any = None, integer: bool = False, log: bool = False,
         effect: str = LIVE, member: bool = False, max_len: int | None = None, step: float | None = None,
         visible_when: dict | None = None, widget: str = "", sweep: tuple | None = None) -> Any:
    """A dataclass field with the knob's metadata, which every front end reads (nothing lists knobs again):

    ``member``: may differ between members of one batched engine; ``names``: display names of ``choices``
    (both may be live views of a registry); ``visible_when``: {other key: values} for which the control is
    shown (e.g. momentum only with SGD); ``widget``: "" for a control generated from the range or choices,
    "none" for a knob with no control of its own, or the name of a composite editor ("mixture", "csv");
    ``sweep``: the default (lo, hi, log) range of the knob as a sweep axis (else its whole range); every knob
    with a control of its own can be a sweep axis and the knob side by side changes."""
    meta = {"group": group, "label": label, "doc": doc, "formula": formula, "effect": effect, "member": member,
            "visible_when": visible_when or {}, "widget": widget}
    if sweep is not None:
        meta["sweep"] = sweep
    if choices is not None:
        meta.update(choices=choices, names=names or choices)
    if lo is not None:
        meta.update(lo=lo, hi=hi, integer=integer, log=log, step=step)
    if max_len is not None:
        meta.update(list=True, max_len=max_len)
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


P, Z, N, GAME, STAB, RUNG = "p_data", "p_z", "networks", "game", "stabilisers", "run"
GROUPS = {GAME: "The game (Algorithm 1)", P: "Real data p_data", Z: "Noise p_z", STAB: "Stabilisers",
          N: "Networks (changing these starts new nets)", RUNG: "Run"}  # the control panel's boxes, in order


@dataclass
class TrainConfig:
    """Every knob of a run. Defaults: a Gaussian target, k = 1, non-saturating G loss, Adam."""

    # --- the real distribution p_data -------------------------------------------------------------
    target: str = knob("gaussian", group=P, label="p_data", doc="the real distribution the generator must learn",
                       choices=TARGETS, names=("Gaussian", "Mixture", "Uniform", "CSV samples", "2-D: ring of Gaussians",
                                               "2-D: grid of Gaussians", "2-D: two moons", "2-D: spiral",
                                               "2-D: CSV points (two columns)"), effect=TARGET)
    target_mean: float = knob(1.5, group=P, label="mean μ", doc="Gaussian mean", formula="p_data = N(μ, σ²)",
                              lo=-50, hi=50, effect=TARGET, step=0.1, visible_when={"target": ("gaussian",)})
    target_std: float = knob(0.5, group=P, label="std σ", doc="Gaussian standard deviation",
                             formula="p_data = N(μ, σ²), σ > 0", lo=1e-3, hi=50, effect=TARGET, step=0.05, visible_when={"target": ("gaussian",)})
    mixture_weights: list = knob([0.5, 0.5], group=P, label="weights π", doc="mixture weights (normalised)",
                                 formula="p_data = Σ π_i N(μ_i, σ_i²)", lo=0.0, hi=1e6, max_len=MAX_COMPONENTS,
                                 effect=TARGET, widget="mixture", visible_when={"target": ("mixture",)})
    mixture_means: list = knob([-2.0, 2.0], group=P, label="means μ", doc="mixture component means",
                               formula="p_data = Σ π_i N(μ_i, σ_i²)", lo=-50, hi=50, max_len=MAX_COMPONENTS,
                               effect=TARGET, widget="mixture", visible_when={"target": ("mixture",)})
    mixture_stds: list = knob([0.3, 0.3], group=P, label="stds σ", doc="mixture component standard deviations",
                              formula="p_data = Σ π_i N(μ_i, σ_i²), σ_i > 0", lo=1e-3, hi=50,
                              max_len=MAX_COMPONENTS, effect=TARGET, widget="mixture", visible_when={"target": ("mixture",)})
    uniform_low: float = knob(-1.0, group=P, label="low a", doc="uniform lower bound", formula="p_data = U(a, b)",
                              lo=-50, hi=50, effect=TARGET, step=0.1, visible_when={"target": ("uniform",)})
    uniform_high: float = knob(1.0, group=P, label="high b", doc="uniform upper bound (b > a)",
                               formula="p_data = U(a, b)", lo=-50, hi=50, effect=TARGET, step=0.1, visible_when={"target": ("uniform",)})
    data_path: str = knob("old_faithful.csv", group=P, label="CSV file",
                          doc="a CSV file with a header row; one numeric column is the sample (two for 2-D points)",
                          effect=TARGET, widget="csv", visible_when={"target": ("empirical", "points")})
    data_column: str = knob("eruptions", group=P, label="column", doc="the CSV column holding the samples",
                            effect=TARGET, widget="csv", visible_when={"target": ("empirical", "points")})
    data_column_y: str = knob("waiting", group=P, label="column y", doc="2-D points: the CSV column of the second coordinate",
                              effect=TARGET, widget="csv", visible_when={"target": ("points",)})
    ring_modes: int = knob(8, group=P, label="modes K", doc="2-D ring: Gaussians evenly spaced on a circle",
                           formula="p_data = 1/K Σ N((r cos 2πk/K, r sin 2πk/K), σ² I)", lo=2, hi=32, integer=True,
                           effect=TARGET, visible_when={"target": ("ring",)})
    ring_radius: float = knob(2.0, group=P, label="radius r", doc="2-D ring: the circle's radius", lo=0.1, hi=50,
                              step=0.1, effect=TARGET, visible_when={"target": ("ring",)})
    grid_size: int = knob(5, group=P, label="grid n", doc="2-D grid: n × n Gaussians", lo=2, hi=10, integer=True,
                          formula="p_data = 1/n² Σ N((i s, j s), σ² I)", effect=TARGET, visible_when={"target": ("grid",)})
    grid_spacing: float = knob(2.0, group=P, label="spacing s", doc="2-D grid: distance between neighbouring modes",
                               lo=0.1, hi=50, step=0.1, effect=TARGET, visible_when={"target": ("grid",)})
    mode_std: float = knob(0.05, group=P, label="mode σ", doc="2-D ring and grid: each Gaussian's standard deviation",
                           lo=1e-3, hi=10, step=0.01, log=True, effect=TARGET, visible_when={"target": ("ring", "grid")})
    curve_noise: float = knob(0.1, group=P, label="noise σ", doc="2-D moons and spiral: the noise around the curve",
                              lo=1e-3, hi=5, step=0.01, log=True, effect=TARGET,
                              visible_when={"target": ("moons", "spiral")})
    # --- the noise prior p_z ----------------------------------------------------------------------
    noise: str = knob("normal", group=Z, label="p_z", doc="the noise prior; x = G(z)",
                      formula="z ~ U(−1, 1) (the paper's figure) or z ~ N(0, 1)", choices=NOISES,
                      names=("uniform U(−1, 1)", "normal N(0, 1)"), effect=RESET)
    noise_dim: int = knob(1, group=Z, label="z dims", doc="dimension of z",
                          formula="1: p_g exact by change of variables; > 1: p_g by KDE of samples; a 2-D target "
                                  "uses at least 2 (G maps the z square onto the plane)",
                          lo=1, hi=16, integer=True, effect=RESET)
    # --- the networks -----------------------------------------------------------------------------
    g_layers: int = knob(2, group=N, label="G layers", doc="hidden layers of G", lo=0, hi=5, integer=True,
                         effect=RESET, sweep=(0, 4, False))
    g_width: int = knob(32, group=N, label="G width", doc="units per hidden layer of G", lo=1, hi=256,
                        integer=True, effect=RESET, sweep=(4, 64, True))
    g_activation: str = knob("tanh", group=N, label="G activation", doc="G's nonlinearity", choices=ACTIVATIONS,
                             effect=RESET)
    d_layers: int = knob(2, group=N, label="D layers", doc="hidden layers of D (0: logistic regression)",
                         formula="D(x) = σ(MLP(x))", lo=0, hi=5, integer=True, effect=RESET, sweep=(0, 4, False))
    d_width: int = knob(32, group=N, label="D width", doc="units per hidden layer of D", lo=1, hi=256,
                        integer=True, effect=RESET, sweep=(4, 64, True))
    d_activation: str = knob("leaky_relu", group=N, label="D activation", doc="D's nonlinearity",
                             choices=ACTIVATIONS, effect=RESET)
    batch_norm: str = knob("none", group=N, label="batch norm",
                           doc="batch normalisation after each hidden layer of G, D or both: trained on the "
                               "minibatch's statistics; the figure evaluates the nets with the running averages "
                               "(torch's eval mode)",
                           formula="h ← γ (h − μ_B) / √(σ²_B + ε) + β   (μ_B, σ²_B: the minibatch's; D judges "
                                   "real and fake batches separately)",
                           choices=NORMS, names=("none", "in G", "in D", "in G and D"), effect=RESET)
    # --- the game ---------------------------------------------------------------------------------
    g_loss: str = knob("non_saturating", group=GAME, label="G loss", doc="the game's objective (ganviz/losses.py)",
                       formula=formulas, choices=Choices(), names=Choices(labels=True), member=True)
    optimizer: str = knob("adam", group=GAME, label="optimizer", doc="the optimizer of both players",
                          formula="SGD + momentum (the paper): v ← μv + ∇, θ ← θ − ηv\n"
                                  "Adam: θ ← θ − η m̂ / (√v̂ + ε)\n"
                                  "RMSProp (the WGAN paper): s ← 0.99 s + 0.01 ∇², θ ← θ − η ∇ / (√s + ε)",
                          choices=OPTIMIZERS, names=("SGD + momentum", "Adam", "RMSProp"))
    lr_d: float = knob(2e-3, group=GAME, label="lr D", doc="D's learning rate η_D",
                       formula="θd ← θd + η_D ∇θd V(D, G)", lo=1e-6, hi=10, log=True, member=True, sweep=(1e-4, 1e-1, True))
    lr_g: float = knob(5e-4, group=GAME, label="lr G", doc="G's learning rate η_G",
                       formula="θg ← θg − η_G ∇θg L_G", lo=1e-6, hi=10, log=True, member=True, sweep=(1e-4, 1e-1, True))
    momentum: float = knob(0.9, group=GAME, label="momentum μ", doc="SGD momentum",
                           formula="v ← μv + ∇θ, θ ← θ − ηv", lo=0, hi=0.999, member=True, step=0.05, visible_when={"optimizer": ("sgd",)}, sweep=(0.0, 0.95, False))
    beta1: float = knob(0.0, group=GAME, label="Adam β1", doc="Adam's first-moment decay",
                        formula="m ← β1 m + (1 − β1) ∇θ", lo=0, hi=0.999, member=True, step=0.05, visible_when={"optimizer": ("adam",)}, sweep=(0.0, 0.9, False))
    beta2: float = knob(0.999, group=GAME, label="Adam β2", doc="Adam's second-moment decay",
                        formula="v ← β2 v + (1 − β2) ∇θ²", lo=0, hi=0.9999, step=0.001, visible_when={"optimizer": ("adam",)})
    d_steps: int = knob(1, group=GAME, label="k (D steps)", doc="D updates per iteration (Algorithm 1's k)",
                        formula="for k steps: ascend ∇θd 1/m Σ [log D(x) + log(1 − D(G(z)))]",
                        lo=1, hi=100, integer=True, member=True, sweep=(1, 10, False))
    g_steps: int = knob(1, group=GAME, label="G steps", doc="G updates per iteration",
                        formula="then descend ∇θg 1/m Σ L_G(z) this many times", lo=1, hi=100, integer=True,
                        member=True, sweep=(1, 10, False))
    batch_size: int = knob(256, group=GAME, label="batch m", doc="samples per minibatch of each update",
                           formula="1/m Σ over m samples of p_data and m of p_z", lo=2, hi=8192, integer=True, sweep=(32, 512, True))
    gp_weight: float = knob(1.0, group=GAME, label="GP λ", doc="WGAN-GP penalty weight (Wasserstein loss only)",
                            formula="+ λ E[(‖∇x̂ C(x̂)‖ − 1)²]", lo=0, hi=1000, member=True, step=0.5,
                            visible_when={"g_loss": ("wasserstein_gp",)}, sweep=(0.1, 10.0, True))
    clip_c: float = knob(0.01, group=GAME, label="clip c", doc="WGAN weight clipping: every critic weight in [−c, c]",
                         formula="after each critic update: θc ← clip(θc, −c, c)", lo=1e-4, hi=10, log=True,
                         member=True, visible_when={"g_loss": ("wasserstein_clip",)}, sweep=(1e-3, 1.0, True))
    # --- stabilisers ------------------------------------------------------------------------------
    instance_noise: float = knob(0.0, group=STAB, label="instance noise σ",
                                 doc="Gaussian noise added to every sample D sees (real and fake), annealed",
                                 formula="D sees x + σ_t ε,  ε ~ N(0, 1),  σ_t = σ · max(0, 1 − t / T)",
                                 lo=0, hi=5, member=True, step=0.05, sweep=(0.0, 1.0, False))
    instance_noise_anneal: int = knob(0, group=STAB, label="anneal T", doc="steps over which σ decays to 0 "
                                      "(0: constant)", formula="σ_t = σ · max(0, 1 − t / T)", lo=0, hi=1_000_000,
                                      integer=True, member=True, visible_when={"instance_noise": "positive"})
    label_smoothing: float = knob(0.0, group=STAB, label="label smoothing α",
                                  doc="one-sided: D's target for real samples is 1 − α (fakes stay 0)",
                                  formula="D ascends (1 − α) log D(x) + α log(1 − D(x)) + log(1 − D(G(z)))",
                                  lo=0, hi=0.5, member=True, step=0.05, sweep=(0.0, 0.3, False))
    r1_gamma: float = knob(0.0, group=STAB, label="R1 γ", doc="gradient penalty on real data (Mescheder 2018)",
                           formula="D descends −V + γ/2 E_p_data[‖∇x D(x)‖²]", lo=0, hi=1000, member=True,
                           step=0.5, sweep=(0.0, 10.0, False))
    unrolled_steps: int = knob(0, group=STAB, label="unrolled D",
                               doc="G's loss is taken against D after this many look-ahead steps",
                               formula="L_G(θg) = L(θg, θd^(n)),  θd^(n): n look-ahead updates of D with its own "
                                       "optimizer, differentiated through (Metz et al. 2017)", lo=0, hi=10, integer=True, sweep=(0, 5, False))
    minibatch_std: bool = knob(False, group=STAB, label="minibatch std",
                               doc="D also sees the standard deviation of the batch it judges",
                               formula="D(x, s),  s = std of the minibatch: a collapsed G has s ≈ 0",
                               effect=RESET)
    spectral_norm: bool = knob(False, group=STAB, label="spectral norm",
                               doc="each of D's weight matrices divided by its largest singular value (Miyato et "
                                   "al. 2018): D is 1-Lipschitz per layer",
                               formula="W ← W / σ(W),  σ(W) by one power iteration per D update")
    # --- the run ----------------------------------------------------------------------------------
    steps: int = knob(3000, group=RUNG, label="steps", doc="iterations to train", lo=1, hi=10_000_000,
                      integer=True, effect=RUN, widget="none")
    seed: int = knob(0, group=RUNG, label="seed", doc="random seed: same config + seed ⇒ the same run (CPU)",
                     lo=0, hi=2**31 - 1, integer=True, effect=RESET, member=True, sweep=(0, 15, False))
    device: str = knob("auto", group=RUNG, label="device", doc="torch device (auto: CUDA when there is one)",
                       choices=DEVICES, effect=RESET, widget="none")
    record_every: int = knob(50, group=RUNG, label="record every", doc="iterations between two records",
                             lo=1, hi=100_000, integer=True, effect=RUN, widget="none")
    grid_points: int = knob(400, group=RUNG, label="grid points", doc="x cells for the theory",
                            lo=50, hi=5000, integer=True, effect=RUN, widget="none")

    # ------------------------------------------------------------------------------------------------
    @classmethod
    def keys(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def spec(cls, key: str) -> dict:
        for f in dataclasses.fields(cls):
            if f.name == key:
                return dict(f.metadata)
        raise ConfigError(f"unknown key '{key}'; known keys: {', '.join(cls.keys())}")

    @classmethod
    def keys_with(cls, **wanted: Any) -> frozenset[str]:
        """Keys whose metadata match, e.g. keys_with(effect="reset")."""
        return frozenset(f.name for f in dataclasses.fields(cls)
                         if all(f.metadata.get(k) == v for k, v in wanted.items()))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: Any) -> "TrainConfig":
        """Build and validate; unknown keys are refused (a typo must not silently do nothing)."""
        if not isinstance(data, dict):
            raise ConfigError(f"a config must be a JSON object of key: value, got {type(data).__name__}")
        return cls().replace(**data)

    @classmethod
    def from_json_file(cls, path: str | Path) -> "TrainConfig":
        """A config file, or an exported metrics file (its embedded config); bounded and validated."""
        from ganviz.io.limits import InputError, clip, load_json_limited
        try:
            data = load_json_limited(path, "config")
        except InputError as exc:
            raise ConfigError(str(exc)) from None
        schedule = None
        if isinstance(data, dict) and isinstance(data.get("config"), dict):
            schedule = data.get("schedule")  # a preset file has one beside its config
            data = data["config"]  # an exported run or metrics file: take its embedded config
        try:
            cfg = cls.from_dict(data)
            _check_schedule(schedule, cfg)
            return cfg
        except ConfigError as exc:
            raise ConfigError(f"config '{clip(path)}': {exc}") from None

    def replace(self, **changes: Any) -> "TrainConfig":
        """A validated copy with ``changes`` applied (each value coerced to the field's type)."""
        values = self.to_dict()
        for key, value in changes.items():
            if key not in values:
                raise ConfigError(f"unknown key '{key}'; known keys: {', '.join(sorted(values))}")
            values[key] = _coerce(key, value, type(values[key]))
        cfg = TrainConfig(**values)
        cfg.validate()
        return cfg

    def changed(self, other: "TrainConfig") -> dict[str, Any]:
        """The knobs whose value differs in ``other`` (with other's values)."""
        mine, theirs = self.to_dict(), other.to_dict()
        return {k: v for k, v in theirs.items() if mine[k] != v}

    def with_assignments(self, assignments: list[str]) -> "TrainConfig":
        """Apply ``key=value`` strings (the CLI's --set); values parse as JSON, else as plain text."""
        return self.replace(**parse_assignments(assignments))

    def validate(self) -> None:
        """Raise ConfigError naming the first key whose value is out of its allowed range."""
        for f in dataclasses.fields(self):
            meta, value = f.metadata, getattr(self, f.name)
            if "choices" in meta and value not in meta["choices"]:
                raise ConfigError(f"{f.name}='{value}' is not allowed; choose one of: {', '.join(meta['choices'])}")
            if meta.get("list"):
                if not value:
                    raise ConfigError(f"{f.name} must have at least one value")
                if len(value) > meta["max_len"]:
                    raise ConfigError(f"{f.name} has {len(value)} values; at most {meta['max_len']} are allowed")
                for v in value:
                    _check_range(f.name, v, meta)
            elif "lo" in meta:
                _check_range(f.name, value, meta)
        if not (len(self.mixture_weights) == len(self.mixture_means) == len(self.mixture_stds)):
            raise ConfigError("mixture_weights, mixture_means and mixture_stds must have the same length "
                              f"(got {len(self.mixture_weights)}, {len(self.mixture_means)}, {len(self.mixture_stds)})")
        if sum(self.mixture_weights) <= 0:
            raise ConfigError("mixture_weights must not all be 0")
        if self.uniform_high <= self.uniform_low:
            raise ConfigError(f"uniform_high ({self.uniform_high:g}) must be greater than uniform_low "
                              f"({self.uniform_low:g})")


def four_panels_refusal(cfg: TrainConfig) -> str | None:
    """Why the paper's four panels (a)–(d) cannot be told for this run, or None: they are the 1-D figure of a
    discriminator, whose panel (b) trains D alone to D* = p_data / (p_data + p_g)."""
    if cfg.target in PLANE_TARGETS:
        return (f"the four panels are the paper's 1-D Figure 1; '{cfg.target}' is a 2-D target "
                "(save the frame with Ctrl+S or export an animation)")
    if not losses.get(cfg.g_loss).ratio:
        return (f"the four panels need a discriminator with a D* to train towards; {cfg.g_loss} has a critic, "
                "which has none (save the frame with Ctrl+S)")
    return None


def visible(key: str, cfg: TrainConfig) -> bool:
    """Whether the knob's control is shown for ``cfg`` (its ``visible_when``: values of other knobs, or
    "positive" for a knob that only matters when another is on)."""
    for other, allowed in TrainConfig.spec(key)["visible_when"].items():
        value = getattr(cfg, other)
        if not (value > 0 if allowed == "positive" else value in allowed):
            return False
    return True


def sweep_keys() -> list[str]:
    """The knobs that can be a sweep axis (and the knob side by side changes), in the config's order: every
    knob with a control of its own (not the run's length, the device, the lists or the CSV file)."""
    return [f.name for f in dataclasses.fields(TrainConfig) if not f.metadata["widget"]]


def sweep_range(key: str) -> tuple[float, float, bool]:
    """A numeric knob's default range as a sweep axis: (lo, hi, log)."""
    spec = TrainConfig.spec(key)
    if "sweep" in spec:
        return spec["sweep"]
    return spec.get("lo", 0.0), spec.get("hi", 1.0), bool(spec.get("log"))


def sweep_values(key: str) -> list | None:
    """Every value of a knob with choices or a boolean (a categorical axis); None for a numeric knob."""
    spec = TrainConfig.spec(key)
    if "choices" in spec:
        return list(spec["choices"])
    if isinstance(getattr(TrainConfig(), key), bool):
        return [False, True]
    return None


RESET_KEYS = TrainConfig.keys_with(effect=RESET)
TARGET_KEYS = TrainConfig.keys_with(effect=TARGET)
MEMBER_KEYS = TrainConfig.keys_with(member=True)


def _check_schedule(schedule: Any, cfg: TrainConfig) -> None:
    """A "schedule" beside the config (a preset's {"step": {knob: value}}) must have that shape and valid knob
    values — a wrong one is refused, not silently skipped (presets.py applies the same rule to presets)."""
    from ganviz.io.limits import clip
    if schedule is None:
        return
    if not isinstance(schedule, dict):
        raise ConfigError(f"'schedule' must be an object of step: {{knob: value}}, got {type(schedule).__name__}")
    for step, changes in schedule.items():
        if not str(step).isdigit() or not isinstance(changes, dict):
            raise ConfigError(f"schedule entry '{clip(step)}' must map a step number to {{knob: value}}")
        cfg.replace(**changes)


def parse_assignments(assignments: list[str]) -> dict[str, Any]:
    """``["lr_d=1e-3", "g_loss=saturating"]`` → {"lr_d": 0.001, "g_loss": "saturating"}."""
    changes: dict[str, Any] = {}
    for item in assignments:
        if "=" not in item:
            raise ConfigError(f"--set expects key=value, got '{item}'")
        key, raw = item.split("=", 1)
        key = key.strip()
        if key not in TrainConfig.keys():
            raise ConfigError(f"unknown key '{key}'; known keys: {', '.join(sorted(TrainConfig.keys()))}")
        try:
            changes[key] = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            changes[key] = raw.strip()
    return changes


def _coerce(key: str, value: Any, kind: type) -> Any:
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "on", "off", "yes", "no"):
                return value.lower() in ("true", "1", "on", "yes")
            if isinstance(value, (int, float)) and value in (0, 1):
                return bool(value)
            raise ValueError
        if kind is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            if isinstance(value, str):
                value = float(value)
                if not value.is_integer():
                    raise ValueError
            return int(value)
        if kind is float:
            if isinstance(value, bool) or isinstance(value, (list, dict)):
                raise ValueError
            return float(value)
        if kind is list:
            if isinstance(value, str):
                value = [v for v in value.replace(";", ",").split(",") if v.strip()]
            if not isinstance(value, (list, tuple)) or any(isinstance(v, (bool, list, dict)) for v in value):
                raise ValueError
            return [float(v) for v in value]
        if kind is str:
            if not isinstance(value, str):
                raise ValueError
            return value
    except (TypeError, ValueError, OverflowError):
        pass
    expect = {int: "a whole number", float: "a number", list: "a list of numbers", str: "text",
              bool: "true or false"}.get(kind, kind.__name__)
    shown = repr(value)
    raise ConfigError(f"{key} must be {expect}, got {shown[:60] + '…' if len(shown) > 60 else shown}")


def _check_range(key: str, value: float, meta: dict) -> None:
    lo, hi = meta["lo"], meta["hi"]
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not (lo <= value <= hi):
        raise ConfigError(f"{key}={value!r} is out of range; allowed: {lo:g} ≤ {key} ≤ {hi:g}")


def format_value(key: str, value: Any) -> str:
    """A knob's value as a person reads it (0.00158, not 0.0015848931924611114)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        return ", ".join(f"{v:.3g}" for v in value)
    return str(value)
