"""The Dirac-GAN (Mescheder, Geiger & Nowozin 2018): the smallest GAN that shows why training circles.

p_data = δ(0), the generator is a point mass at θ (x = θ), the discriminator's logit is D(x) = ψ·x. The
equilibrium is θ = ψ = 0. With D = σ(ψx):

    V(θ, ψ) = log σ(ψ·0) + log(1 − σ(ψθ)) = −log 2 + log σ(−ψθ)

D ascends V in ψ; G descends its loss in θ. The gradient field rotates around the equilibrium: simultaneous
gradient steps spiral *out*, alternating steps circle, and R1 (γ/2 ψ², the penalty on D's input gradient
at the data) or instance noise (x + σε for real and fake) add the damping that makes them converge. The
same lr_D, lr_G, k and G loss as the 1-D run drive it (plain gradient steps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss

from ganviz import losses

NODES, WEIGHTS = hermegauss(24)
WEIGHTS = WEIGHTS / WEIGHTS.sum()  # E[f(ε)], ε ~ N(0, 1)  ≈  Σ w_i f(node_i)
START = (1.0, 1.0)


@dataclass(frozen=True)
class Settings:
    lr_d: float = 0.1
    lr_g: float = 0.1
    d_steps: int = 1
    g_loss: str = "non_saturating"
    r1_gamma: float = 0.0
    instance_noise: float = 0.0
    momentum: float = 0.0  # heavy-ball momentum (the run's SGD momentum; Adam's steps are taken plainly)

    @classmethod
    def from_config(cls, cfg) -> "Settings":
        return cls(cfg.lr_d, cfg.lr_g, cfg.d_steps, cfg.g_loss, cfg.r1_gamma, cfg.instance_noise,
                   cfg.momentum if cfg.optimizer == "sgd" else 0.0)


def _points(center, sigma: float):
    """Where D looks (with instance noise: Gauss–Hermite nodes of N(center, σ²)) and the weights."""
    if sigma <= 0:
        return np.asarray(center)[..., None], np.ones(1)
    return np.asarray(center)[..., None] + sigma * NODES, WEIGHTS


def d_gradient(theta, psi, s: Settings):
    """∂/∂ψ of what D ascends — minus its loss on the real point 0 and on the fake θ (ganviz/losses.py's
    formulas for the chosen objective, on the logit ψx) — minus the R1 penalty γ/2 ψ²."""
    spec = losses.get(s.g_loss)
    real, w = _points(np.zeros_like(np.asarray(theta, dtype=float)), s.instance_noise)
    fake, _ = _points(theta, s.instance_noise)
    psi_ = np.asarray(psi, dtype=float)[..., None]
    grad = -(losses.slope(spec.d_real, psi_ * real) * real + losses.slope(spec.d_fake, psi_ * fake) * fake)
    return (grad * w).sum(axis=-1) - s.r1_gamma * np.asarray(psi, dtype=float)


def g_gradient(theta, psi, s: Settings):
    """−∂/∂θ of G's loss at the fake θ (the direction G moves)."""
    spec = losses.get(s.g_loss)
    fake, w = _points(theta, s.instance_noise)
    psi_ = np.asarray(psi, dtype=float)[..., None]
    return (-losses.slope(spec.g_fake, psi_ * fake) * psi_ * w).sum(axis=-1)


def field(theta, psi, s: Settings) -> tuple[np.ndarray, np.ndarray]:
    """The continuous-time vector field (dθ/dt, dψ/dt) = (η_G · G's direction, η_D · D's direction)."""
    return s.lr_g * g_gradient(theta, psi, s), s.lr_d * d_gradient(theta, psi, s)


STEP = 0.05  # the larger learning rate is shown at least this big: the run's lrs of 1e-3 would need 10⁵ steps
STEPS = 1500


def scaled(s: Settings) -> Settings:
    """The same game with the step sizes' ratio kept and the larger raised to STEP if it is smaller (large
    learning rates keep their real size: their discretisation error is part of the lesson)."""
    top = max(s.lr_d, s.lr_g)
    if top >= STEP:
        return s
    f = STEP / top
    return Settings(s.lr_d * f, s.lr_g * f, s.d_steps, s.g_loss, s.r1_gamma, s.instance_noise, s.momentum)


def steps_for(s: Settings) -> int:
    return STEPS


def trajectory(s: Settings, mode: str = "simultaneous", start=START, steps: int | None = None) -> np.ndarray:
    """(steps + 1, 2) points (θ, ψ): simultaneous steps use both gradients at the same point; alternating
    steps let D take its k steps first and G answer the updated D (Algorithm 1's order)."""
    steps = steps or steps_for(s)
    theta, psi = map(float, start)
    vg = vd = 0.0  # momentum buffers: v ← μ v + ∇, step η v
    mu = s.momentum
    out = np.empty((steps + 1, 2))
    out[0] = theta, psi
    for i in range(1, steps + 1):
        if mode == "simultaneous":
            dg, dd = float(g_gradient(theta, psi, s)), float(d_gradient(theta, psi, s))
            vg, vd = mu * vg + dg, mu * vd + dd
            theta, psi = theta + s.lr_g * vg, psi + s.lr_d * vd
        else:
            for _ in range(s.d_steps):
                vd = mu * vd + float(d_gradient(theta, psi, s))
                psi += s.lr_d * vd
            vg = mu * vg + float(g_gradient(theta, psi, s))
            theta += s.lr_g * vg
        out[i] = theta, psi
        if not (math.isfinite(theta) and math.isfinite(psi)) or abs(theta) + abs(psi) > 1e6:
            return out[: i + 1]
    return out


def distance(points: np.ndarray) -> float:
    """How far the last point is from the equilibrium (0, 0), relative to the start."""
    return float(np.hypot(*points[-1]) / max(np.hypot(*points[0]), 1e-12))
