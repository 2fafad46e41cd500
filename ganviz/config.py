"""TrainConfig: the one source of truth for every knob.

Sliders edit it, presets are JSON of it, the CLI's ``--set key=value`` edits it and exports embed it.
Every field carries its allowed range in ``metadata`` so that validation, the CLI's error messages and the
GUI's widgets all read the same numbers.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGETS = ("gaussian", "mixture", "uniform", "empirical")
NOISES = ("uniform", "normal")
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "elu")
G_LOSSES = ("saturating", "non_saturating", "least_squares", "wasserstein_gp")
OPTIMIZERS = ("sgd", "adam")
DEVICES = ("auto", "cpu", "cuda")

# Knobs that change the networks' shape or the data: changing them means new nets (a reset).
RESET_KEYS = frozenset({
    "noise", "noise_dim", "g_layers", "g_width", "g_activation", "d_layers", "d_width", "d_activation",
    "seed", "device",
})
# Knobs that change the target distribution: the trainer swaps the target but keeps the weights.
TARGET_KEYS = frozenset({
    "target", "target_mean", "target_std", "mixture_weights", "mixture_means", "mixture_stds",
    "uniform_low", "uniform_high", "data_path", "data_column",
})


class ConfigError(ValueError):
    """A knob was given a value it cannot take; the message names the key and the allowed range."""


def _num(lo: float, hi: float, *, integer: bool = False, log: bool = False, doc: str = "") -> dict:
    return {"lo": lo, "hi": hi, "integer": integer, "log": log, "doc": doc}


def _choice(options: tuple[str, ...], doc: str = "") -> dict:
    return {"choices": options, "doc": doc}


@dataclass
class TrainConfig:
    """Every knob of a run. Defaults: the Gaussian target of Figure 1, k = 1, non-saturating G loss."""

    # --- the real distribution p_data -------------------------------------------------------------
    target: str = field(default="gaussian", metadata=_choice(TARGETS, "p_data: the real distribution"))
    target_mean: float = field(default=1.5, metadata=_num(-50, 50, doc="Gaussian mean μ"))
    target_std: float = field(default=0.5, metadata=_num(1e-3, 50, doc="Gaussian std σ > 0"))
    mixture_weights: list = field(default_factory=lambda: [0.5, 0.5],
                                  metadata={"list": True, "lo": 0.0, "hi": 1e6, "doc": "mixture weights π_i ≥ 0"})
    mixture_means: list = field(default_factory=lambda: [-2.0, 2.0],
                                metadata={"list": True, "lo": -50, "hi": 50, "doc": "mixture means μ_i"})
    mixture_stds: list = field(default_factory=lambda: [0.3, 0.3],
                               metadata={"list": True, "lo": 1e-3, "hi": 50, "doc": "mixture stds σ_i > 0"})
    uniform_low: float = field(default=-1.0, metadata=_num(-50, 50, doc="uniform lower bound a"))
    uniform_high: float = field(default=1.0, metadata=_num(-50, 50, doc="uniform upper bound b > a"))
    data_path: str = field(default="old_faithful.csv", metadata={"path": True, "doc": "CSV of samples"})
    data_column: str = field(default="eruptions", metadata={"path": True, "doc": "CSV column"})
    # --- the noise prior p_z ----------------------------------------------------------------------
    noise: str = field(default="normal", metadata=_choice(NOISES, "p_z: uniform U(-1,1) or normal N(0,1)"))
    noise_dim: int = field(default=1, metadata=_num(1, 16, integer=True, doc="dimension of z"))
    # --- the networks -----------------------------------------------------------------------------
    g_layers: int = field(default=2, metadata=_num(0, 5, integer=True, doc="G hidden layers"))
    g_width: int = field(default=32, metadata=_num(1, 256, integer=True, doc="G hidden width"))
    g_activation: str = field(default="tanh", metadata=_choice(ACTIVATIONS, "G activation"))
    d_layers: int = field(default=2, metadata=_num(0, 5, integer=True, doc="D hidden layers"))
    d_width: int = field(default=32, metadata=_num(1, 256, integer=True, doc="D hidden width"))
    d_activation: str = field(default="leaky_relu", metadata=_choice(ACTIVATIONS, "D activation"))
    # --- the game ---------------------------------------------------------------------------------
    g_loss: str = field(default="non_saturating", metadata=_choice(G_LOSSES, "generator objective"))
    gp_weight: float = field(default=1.0, metadata=_num(0, 1000, doc="WGAN-GP penalty λ"))
    optimizer: str = field(default="adam", metadata=_choice(OPTIMIZERS, "optimizer for both nets"))
    lr_d: float = field(default=2e-3, metadata=_num(1e-6, 10, log=True, doc="D learning rate"))
    lr_g: float = field(default=5e-4, metadata=_num(1e-6, 10, log=True, doc="G learning rate"))
    momentum: float = field(default=0.9, metadata=_num(0, 0.999, doc="SGD momentum"))
    beta1: float = field(default=0.0, metadata=_num(0, 0.999, doc="Adam β1"))
    beta2: float = field(default=0.999, metadata=_num(0, 0.9999, doc="Adam β2"))
    d_steps: int = field(default=1, metadata=_num(1, 100, integer=True, doc="k: D steps per iteration"))
    g_steps: int = field(default=1, metadata=_num(1, 100, integer=True, doc="G steps per iteration"))
    batch_size: int = field(default=256, metadata=_num(2, 8192, integer=True, doc="minibatch size m"))
    # --- the run ----------------------------------------------------------------------------------
    steps: int = field(default=3000, metadata=_num(1, 10_000_000, integer=True, doc="iterations to train"))
    seed: int = field(default=0, metadata=_num(0, 2**31 - 1, integer=True, doc="random seed"))
    device: str = field(default="auto", metadata=_choice(DEVICES, "torch device"))
    record_every: int = field(default=50, metadata=_num(1, 100_000, integer=True, doc="metrics every N steps"))
    grid_points: int = field(default=400, metadata=_num(50, 5000, integer=True, doc="x grid for theory"))

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

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrainConfig":
        """Build and validate; unknown keys are refused (a typo must not silently do nothing)."""
        if not isinstance(data, dict):
            raise ConfigError("a config must be a JSON object of key: value")
        cfg = cls()
        return cfg.replace(**data)

    @classmethod
    def from_json_file(cls, path: str | Path) -> "TrainConfig":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read config '{path}': {exc.strerror or exc}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"config '{path}' is not valid JSON: {exc.msg} at line {exc.lineno}") from None
        if isinstance(data, dict) and isinstance(data.get("config"), dict):
            data = data["config"]  # an exported run or metrics file: take its embedded config
        return cls.from_dict(data)

    def replace(self, **changes: Any) -> "TrainConfig":
        """A validated copy with ``changes`` applied (each value coerced to the field's type)."""
        known = set(self.keys())
        values = self.to_dict()
        for key, value in changes.items():
            if key not in known:
                raise ConfigError(f"unknown key '{key}'; known keys: {', '.join(sorted(known))}")
            values[key] = _coerce(key, value, type(values[key]))
        cfg = TrainConfig(**values)
        cfg.validate()
        return cfg

    def with_assignments(self, assignments: list[str]) -> "TrainConfig":
        """Apply ``key=value`` strings (the CLI's --set); values parse as JSON, else as plain text."""
        changes: dict[str, Any] = {}
        for item in assignments:
            if "=" not in item:
                raise ConfigError(f"--set expects key=value, got '{item}'")
            key, raw = item.split("=", 1)
            key = key.strip()
            try:
                changes[key] = json.loads(raw)
            except json.JSONDecodeError:
                changes[key] = raw.strip()
        return self.replace(**changes)

    def validate(self) -> None:
        """Raise ConfigError naming the first key whose value is out of its allowed range."""
        for f in dataclasses.fields(self):
            meta, value = f.metadata, getattr(self, f.name)
            if "choices" in meta and value not in meta["choices"]:
                raise ConfigError(f"{f.name}='{value}' is not allowed; choose one of: {', '.join(meta['choices'])}")
            if "lo" in meta and not meta.get("list"):
                _check_range(f.name, value, meta)
            if meta.get("list"):
                if not value:
                    raise ConfigError(f"{f.name} must have at least one value")
                for v in value:
                    _check_range(f.name, v, meta)
        if not (len(self.mixture_weights) == len(self.mixture_means) == len(self.mixture_stds)):
            raise ConfigError("mixture_weights, mixture_means and mixture_stds must have the same length "
                              f"(got {len(self.mixture_weights)}, {len(self.mixture_means)}, {len(self.mixture_stds)})")
        if sum(self.mixture_weights) <= 0:
            raise ConfigError("mixture_weights must not all be 0")
        if self.uniform_high <= self.uniform_low:
            raise ConfigError(f"uniform_high ({self.uniform_high}) must be greater than uniform_low ({self.uniform_low})")


def _coerce(key: str, value: Any, kind: type) -> Any:
    try:
        if kind is bool:
            return bool(value)
        if kind is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if kind is float:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind is list:
            if isinstance(value, str):
                value = [v for v in value.replace(";", ",").split(",") if v.strip()]
            return [float(v) for v in value]
        if kind is str:
            if not isinstance(value, str):
                raise ValueError
            return value
    except (TypeError, ValueError):
        pass
    expect = {int: "a whole number", float: "a number", list: "a list of numbers", str: "text"}.get(kind, kind.__name__)
    raise ConfigError(f"{key} must be {expect}, got {value!r}")


def _check_range(key: str, value: float, meta: dict) -> None:
    lo, hi = meta["lo"], meta["hi"]
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not (lo <= value <= hi):
        raise ConfigError(f"{key}={value!r} is out of range; allowed: {lo:g} ≤ {key} ≤ {hi:g}")
