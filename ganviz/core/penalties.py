"""The value function V(D, G), the generator objectives and the penalties, written on D's logits, per member.

With D(x) = σ(l):  log D(x) = −softplus(−l),   log(1 − D(x)) = −softplus(l).
Every function takes logits of shape (N, m, 1) and returns one loss per member, shape (N,): member i's
parameters only touch member i's term, so summing them and differentiating trains all N at once.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ganviz.config import G_LOSSES

SATURATING, NON_SATURATING, LEAST_SQUARES, WASSERSTEIN = range(4)
LOSS_ID = {name: i for i, name in enumerate(G_LOSSES)}
assert LOSS_ID["saturating"] == SATURATING and LOSS_ID["wasserstein_gp"] == WASSERSTEIN


def _mean(t: torch.Tensor) -> torch.Tensor:
    return t.mean(dim=(1, 2))


def _select(loss_ids: torch.Tensor, kinds: tuple[int, ...], compute) -> torch.Tensor:
    """compute(kind) for the members of each kind; one formula when all members share it (the usual case)."""
    if len(kinds) == 1:
        return compute(kinds[0])
    out = compute(kinds[0])
    for kind in kinds[1:]:
        out = torch.where(loss_ids == kind, compute(kind), out)
    return out


def d_loss(real: torch.Tensor, fake: torch.Tensor, loss_ids: torch.Tensor, kinds: tuple[int, ...],
           smoothing: torch.Tensor | None = None) -> torch.Tensor:
    """The loss D *descends*: −V for the paper's game, ascending log D(x) + log(1 − D(G(z))).

    ``smoothing`` α (N,): one-sided label smoothing, real samples get the target 1 − α."""
    def one(kind: int) -> torch.Tensor:
        if kind == WASSERSTEIN:  # the critic maximises E[C(x)] − E[C(G(z))] (its penalty is added apart)
            return _mean(fake) - _mean(real)
        if kind == LEAST_SQUARES:  # LSGAN (a = 0, b = 1) on D = σ(l); its optimum is also p_data / (p_data + p_g)
            target = 1.0 if smoothing is None else (1.0 - smoothing).reshape(-1, 1, 1)
            return 0.5 * (_mean((torch.sigmoid(real) - target) ** 2) + _mean(torch.sigmoid(fake) ** 2))
        real_term = F.softplus(-real)  # −log D(x)
        if smoothing is not None:  # −[(1 − α) log D(x) + α log(1 − D(x))]
            real_term = torch.lerp(real_term, F.softplus(real), smoothing.reshape(-1, 1, 1))
        return _mean(real_term) + _mean(F.softplus(fake))  # −[log D(x) + log(1 − D(G(z)))]
    return _select(loss_ids, kinds, one)


def g_loss(fake: torch.Tensor, loss_ids: torch.Tensor, kinds: tuple[int, ...]) -> torch.Tensor:
    """The loss G descends."""
    def one(kind: int) -> torch.Tensor:
        if kind == SATURATING:  # descend log(1 − D(G(z))): gradient ∝ D(G(z)), vanishes when D rejects G
            return -_mean(F.softplus(fake))
        if kind == NON_SATURATING:  # ascend log D(G(z)) (§3 of the paper): gradient ∝ 1 − D(G(z))
            return _mean(F.softplus(-fake))
        if kind == LEAST_SQUARES:
            return 0.5 * _mean((torch.sigmoid(fake) - 1) ** 2)
        return -_mean(fake)  # Wasserstein
    return _select(loss_ids, kinds, one)




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
