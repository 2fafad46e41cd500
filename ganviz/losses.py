"""The objectives: one ``LossSpec`` per game, the single place a loss formula is written.

A spec gives the per-sample losses as functions of the critic's output ``l`` (D's logit) and a namespace
``xp`` of elementwise functions (``exp``, ``log``, ``log1p``, ``sqrt``, ``softplus``, ``sigmoid``): the trainer
passes torch's (and averages over the batch), the figure and the mechanism panels pass numpy's (``NUMPY``).
So one formula trains the nets, draws G's loss curve, points the arrows at the fakes and drives the
Dirac-GAN field; derivatives for the drawings are taken numerically (``slope``).

    D descends  E_real[d_real(l)] + E_fake[d_fake(l)]     (plus the spec's penalty, if any)
    G descends  E_fake[g_fake(l)]

Adding an objective is one ``register(LossSpec(...))`` here (or anywhere, before the config that names it is
validated): the config's choices, the controls, the loss panel, the Dirac panel, the sweep axes and the
snapshot read this table. Knows nothing of torch or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
from scipy import special


class _Numpy:
    """numpy's elementwise functions under the names the formulas use."""

    exp, log, log1p, sqrt, tanh, abs = np.exp, np.log, np.log1p, np.sqrt, np.tanh, np.abs
    sigmoid = staticmethod(special.expit)

    @staticmethod
    def softplus(x):
        return np.logaddexp(x, 0.0)

    @staticmethod
    def clip(x, lo, hi):
        return np.clip(x, lo, hi)


NUMPY = _Numpy()


@dataclass(frozen=True)
class LossSpec:
    name: str
    label: str  # the choice's text: "non-saturating  −log D(G(z))"
    formula: str  # the tooltip: what each player optimises
    d_real: Callable  # (l, xp) → the loss D descends per real sample
    d_fake: Callable  # (l, xp) → … per fake sample
    g_fake: Callable  # (l, xp) → the loss G descends per fake sample
    g_line: str = "descend ∇θg 1/m Σ L_G(D(G(z)))"  # its line of Algorithm 1 (slow motion shows it)
    d_line: str = "ascend ∇θd 1/m Σ [log D(x) + log(1 − D(G(z)))]"
    probability: bool = True  # D(x) = σ(l) is a probability (False: an unbounded critic score)
    curve: bool = True  # the loss panel draws g_fake against D(G(z)) = σ(l)
    smoothing: bool = True  # one-sided label smoothing applies (the real target becomes 1 − α)
    penalty: str = ""  # "gradient": the WGAN-GP penalty λ E[(‖∇x̂ C(x̂)‖ − 1)²] is added to D's loss;
    #                    "clip": every D weight is clipped to ±c after each update (WGAN, Arjovsky et al.)
    log_ratio: Callable | None = None  # (l, xp) → D's estimate of log p_data/p_g at x (None: log r = l)
    critic: Callable | None = None  # f-GANs: (l, xp) → T = g_f(l), the variational critic
    optimal: Callable | None = None  # f-GANs: (r) → T* = f′(r), the optimal critic at density ratio r
    divergence: str = "jsd"  # what the game minimises at D's optimum (the distances panel highlights it; "":
    #                          none of core/theory.py's DIVERGENCES)

    @property
    def ratio(self) -> bool:
        """D's output says how real x looks on the 0…1 scale of D* (a GAN's D, an f-GAN's implied ratio); a
        Wasserstein critic's score does not (any constant can be added to it): no D = ½ to meet."""
        return self.probability or self.log_ratio is not None

    def d_value(self, logit: np.ndarray) -> np.ndarray:
        """D(x) as the figure draws it: r̂ / (1 + r̂) from D's estimate r̂ of p_data / p_g — σ(l) for the GAN
        objectives; for an f-GAN the ratio its critic implies (T = f′(r̂) at the optimum): so every objective's
        D meets the same D* = p_data / (p_data + p_g) on the same 0…1 axis."""
        lr = logit if self.log_ratio is None else self.log_ratio(np.asarray(logit, dtype=np.float64), NUMPY)
        return special.expit(lr)

    def g_of_d(self, d: np.ndarray) -> np.ndarray:
        """G's per-sample loss as a function of D(G(z)) (the loss panel's curve)."""
        return self.g_fake(special.logit(d), NUMPY)

    def push(self, logit: np.ndarray, dlogit: np.ndarray) -> np.ndarray:
        """−∂ℓ_G/∂x at fakes with logit l and ∂l/∂x: where G's next update moves each fake."""
        return -slope(self.g_fake, logit) * dlogit


LOSSES: dict[str, LossSpec] = {}


def register(spec: LossSpec) -> LossSpec:
    """Add an objective; a second spec of the same name replaces the first."""
    LOSSES[spec.name] = spec
    return spec


def get(name: str) -> LossSpec:
    return LOSSES[name]


class Choices:
    """A live view of the registered names (the config validates against it, so a loss registered later, by
    a test or a plug-in, is a valid choice at once)."""

    def __init__(self, labels: bool = False):
        self.labels = labels

    def __iter__(self) -> Iterator[str]:
        return iter([s.label if self.labels else s.name for s in LOSSES.values()])

    def __contains__(self, name: object) -> bool:
        return name in LOSSES

    def __len__(self) -> int:
        return len(LOSSES)


def formulas() -> str:
    """Every objective's label and formula, one per line (the G-loss control's tooltip)."""
    return "\n".join(f"{s.label}: {s.formula}" for s in LOSSES.values())


def slope(f: Callable, l: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """∂f/∂l by central differences (the drawings' derivatives; training differentiates exactly)."""
    l = np.asarray(l, dtype=np.float64)
    return (f(l + h, NUMPY) - f(l - h, NUMPY)) / (2 * h)


# --- the built-in objectives --------------------------------------------------------------------------
# With D(x) = σ(l):  −log D = softplus(−l),  −log(1 − D) = softplus(l).
register(LossSpec(
    "saturating", "saturating  log(1 − D(G(z)))",
    "the minimax game: G descends log(1 − D(G(z))); its gradient vanishes when D rejects G",
    d_real=lambda l, xp: xp.softplus(-l), d_fake=lambda l, xp: xp.softplus(l),
    g_fake=lambda l, xp: -xp.softplus(l),  # log(1 − D): gradient ∝ D(G(z)), ≈ 0 where D rejects G
    g_line="descend ∇θg 1/m Σ log(1 − D(G(z)))"))
register(LossSpec(
    "non_saturating", "non-saturating  −log D(G(z))",
    "the paper's §3 fix: G ascends log D(G(z)); its gradient is strongest where D rejects G",
    d_real=lambda l, xp: xp.softplus(-l), d_fake=lambda l, xp: xp.softplus(l),
    g_fake=lambda l, xp: xp.softplus(-l),  # −log D: gradient ∝ 1 − D(G(z))
    g_line="descend ∇θg 1/m Σ −log D(G(z))"))
register(LossSpec(
    "least_squares", "least squares  ½(D(G(z)) − 1)²",
    "LSGAN (a = 0, b = 1) on D = σ(l): D descends ½(D(x) − 1)² + ½D(G(z))², G descends ½(D(G(z)) − 1)²",
    d_real=lambda l, xp: 0.5 * (xp.sigmoid(l) - 1) ** 2, d_fake=lambda l, xp: 0.5 * xp.sigmoid(l) ** 2,
    g_fake=lambda l, xp: 0.5 * (xp.sigmoid(l) - 1) ** 2,
    d_line="descend ∇θd 1/m Σ [½(D(x) − 1)² + ½D(G(z))²]", g_line="descend ∇θg 1/m Σ ½(D(G(z)) − 1)²",
    divergence=""))  # with these targets (a = 0, b = c = 1) no single divergence of the table
register(LossSpec(
    "wasserstein_gp", "Wasserstein-GP",
    "WGAN-GP: the critic C ascends E[C(x)] − E[C(G(z))] − λ E[(‖∇x̂ C(x̂)‖ − 1)²]; G descends −C(G(z))",
    d_real=lambda l, xp: -l, d_fake=lambda l, xp: l, g_fake=lambda l, xp: -l,
    d_line="ascend ∇θc 1/m Σ [C(x) − C(G(z))] − λ GP", g_line="descend ∇θg 1/m Σ −C(G(z))",
    probability=False, curve=False, smoothing=False, penalty="gradient", divergence="w1"))
register(LossSpec(
    "wasserstein_clip", "Wasserstein, weights clipped",
    "WGAN (Arjovsky et al. 2017): the critic C ascends E[C(x)] − E[C(G(z))] with every weight clipped to ±c "
    "after each update (a crude Lipschitz bound: the weights pile up at ±c and the critic loses capacity); "
    "G descends −C(G(z)); RMSProp in the paper",
    d_real=lambda l, xp: -l, d_fake=lambda l, xp: l, g_fake=lambda l, xp: -l,
    d_line="ascend ∇θc 1/m Σ [C(x) − C(G(z))], then clip θc to [−c, c]", g_line="descend ∇θg 1/m Σ −C(G(z))",
    probability=False, curve=False, smoothing=False, penalty="clip", divergence="w1"))

# --- the f-GAN family (Nowozin et al. 2016) ------------------------------------------------------------
# D_f(P‖Q) = ∫ q f(p/q) ≥ sup_T E_P[T] − E_Q[f*(T)], T = g_f(v) (the output activation keeps T in f*'s domain).
# D descends −T(real) + f*(T(fake)); G descends −T(fake) (the paper's "alternative" G step, like −log D).
# log r̂: the density ratio the critic implies, r̂ = (f*)′(T) (= p/q at the optimum T* = f′(p/q)).
EXP_CAP = 30.0  # exponentials of the critic's output are capped here (a runaway critic would overflow float32)


def _fgan(name: str, label: str, f: str, texts: str, critic, conjugate_of_critic, log_ratio, optimal,
          divergence: str):
    return register(LossSpec(
        name, label, f"f-GAN, f(u) = {f}; {texts}. The critic T = g_f(v) ascends E_p_data[T] − E_p_g[f*(T)], a "
        f"lower bound of D_f(p_data‖p_g), tight at T* = f′(p_data/p_g); G descends −T(G(z)). The figure's D "
        f"is the ratio r̂ the critic implies, as r̂/(1 + r̂): it meets D* exactly where T = T*",
        d_real=lambda l, xp: -critic(l, xp), d_fake=conjugate_of_critic, g_fake=lambda l, xp: -critic(l, xp),
        d_line="ascend ∇θT 1/m Σ [T(x) − f*(T(G(z)))]", g_line="descend ∇θg 1/m Σ −T(G(z))",
        probability=False, curve=False, smoothing=False, log_ratio=log_ratio, critic=critic, optimal=optimal,
        divergence=divergence))


_fgan("kl", "f-GAN KL(p_data‖p_g)", "u log u",
      "g_f(v) = v, f*(t) = exp(t − 1), T* = 1 + log(p_data/p_g)",
      critic=lambda v, xp: v, conjugate_of_critic=lambda v, xp: xp.exp(xp.clip(v, -EXP_CAP, EXP_CAP) - 1.0),
      log_ratio=lambda v, xp: v - 1.0, optimal=lambda r: 1.0 + np.log(r), divergence="kl")
_fgan("reverse_kl", "f-GAN reverse KL(p_g‖p_data)", "−log u",
      "g_f(v) = −exp(−v), f*(t) = −1 − log(−t), T* = −p_g/p_data",
      critic=lambda v, xp: -xp.exp(-xp.clip(v, -EXP_CAP, EXP_CAP)), conjugate_of_critic=lambda v, xp: v - 1.0,
      log_ratio=lambda v, xp: v, optimal=lambda r: -1.0 / r, divergence="rkl")
_fgan("pearson", "f-GAN Pearson χ²", "(u − 1)²",
      "g_f(v) = v, f*(t) = t²/4 + t, T* = 2(p_data/p_g − 1)",
      critic=lambda v, xp: v, conjugate_of_critic=lambda v, xp: 0.25 * v * v + v,
      log_ratio=lambda v, xp: xp.log(xp.clip(0.5 * v + 1.0, 1e-6, None)), optimal=lambda r: 2.0 * (r - 1.0),
      divergence="chi2")
_fgan("hellinger", "f-GAN squared Hellinger", "(√u − 1)²",
      "g_f(v) = 1 − exp(−v), f*(t) = t/(1 − t), T* = 1 − √(p_g/p_data)",
      critic=lambda v, xp: 1.0 - xp.exp(-xp.clip(v, -EXP_CAP, EXP_CAP)),
      conjugate_of_critic=lambda v, xp: xp.exp(xp.clip(v, -EXP_CAP, EXP_CAP)) - 1.0,
      log_ratio=lambda v, xp: 2.0 * v, optimal=lambda r: 1.0 - 1.0 / np.sqrt(r), divergence="hellinger")
