"""The registered objectives (ganviz/losses.py) evaluated on torch tensors for N members, and the penalties.

Every function takes logits of shape (N, m, 1) and returns one loss per member, shape (N,): member i's
parameters only touch member i's term, so summing them and differentiating trains all N at once. Members
may use different objectives (a sweep over the loss): each objective is evaluated once and the members pick
theirs with ``torch.where``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ganviz.losses import LossSpec


class _Torch:
    """torch's elementwise functions under the names the formulas in ganviz/losses.py use."""

    exp, log, log1p, sqrt, tanh, abs = torch.exp, torch.log, torch.log1p, torch.sqrt, torch.tanh, torch.abs
    sigmoid, softplus = staticmethod(torch.sigmoid), staticmethod(F.softplus)

    @staticmethod
    def clip(x, lo, hi):
        return torch.clamp(x, lo, hi)


TORCH = _Torch()


def _mean(t: torch.Tensor) -> torch.Tensor:
    return t.mean(dim=(1, 2))


def _select(members: torch.Tensor, specs: list[LossSpec], compute) -> torch.Tensor:
    """compute(spec) for the members of each objective; one formula when all members share it (the usual case).
    ``members`` holds each member's index into ``specs``."""
    if len(specs) == 1:
        return compute(specs[0])
    out = compute(specs[0])
    for i, spec in enumerate(specs[1:], start=1):
        out = torch.where(members == i, compute(spec), out)
    return out


def d_loss(real: torch.Tensor, fake: torch.Tensor, members: torch.Tensor, specs: list[LossSpec],
           smoothing: torch.Tensor | None = None) -> torch.Tensor:
    """The loss D descends. ``smoothing`` α (N,): one-sided label smoothing, the real samples' target becomes
    1 − α: the real term is (1 − α)·d_real + α·d_fake (for cross-entropy −[(1 − α) log D + α log(1 − D)])."""
    def one(spec: LossSpec) -> torch.Tensor:
        real_term = spec.d_real(real, TORCH)
        if smoothing is not None and spec.smoothing:
            real_term = torch.lerp(real_term, spec.d_fake(real, TORCH), smoothing.reshape(-1, 1, 1))
        return _mean(real_term) + _mean(spec.d_fake(fake, TORCH))
    return _select(members, specs, one)


def g_loss(fake: torch.Tensor, members: torch.Tensor, specs: list[LossSpec]) -> torch.Tensor:
    """The loss G descends."""
    return _select(members, specs, lambda spec: _mean(spec.g_fake(fake, TORCH)))


def d_value(logits: torch.Tensor, members: torch.Tensor, specs: list[LossSpec]) -> torch.Tensor:
    """D(x) ∈ (0, 1) as the figure reads it — σ of the log density ratio the critic implies (LossSpec.d_value)."""
    return _select(members, specs, lambda s: torch.sigmoid(logits if s.log_ratio is None
                                                           else s.log_ratio(logits, TORCH)))


def input_gradient(critic, x: torch.Tensor) -> torch.Tensor:
    """∇x of the critic's logit at x (N, m, in), kept in the graph so penalties can be differentiated."""
    x = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return grad


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """WGAN-GP: E[(‖∇x̂ C(x̂)‖ − 1)²] at x̂ on lines between real and fake samples; (N,)."""
    x_hat = torch.lerp(fake, real, alpha)
    grad = input_gradient(critic, x_hat)
    return _mean((grad.norm(dim=2, keepdim=True) - 1) ** 2)


def r1_penalty(critic, real: torch.Tensor) -> torch.Tensor:
    """R1 (Mescheder et al. 2018): ½ E_p_data[‖∇x D(x)‖²] on the logit; (N,). Damps D's rotation around the
    equilibrium, which is what makes plain simultaneous gradients circle instead of converge."""
    grad = input_gradient(critic, real)
    return 0.5 * _mean((grad ** 2).sum(dim=2, keepdim=True))
