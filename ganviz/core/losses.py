"""The value function V(D, G) and the generator objectives, written on D's logits.

With D(x) = σ(l):  log D(x) = −softplus(−l),   log(1 − D(x)) = −softplus(l).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, g_loss: str) -> torch.Tensor:
    """The loss D *descends*. For the paper's game that is −V: D ascends log D(x) + log(1 − D(G(z)))."""
    if g_loss == "least_squares":
        # LSGAN (a=0, b=1) on D = σ(l): its optimum is also D* = p_data / (p_data + p_g).
        return 0.5 * ((torch.sigmoid(real_logits) - 1).pow(2).mean() + torch.sigmoid(fake_logits).pow(2).mean())
    if g_loss == "wasserstein_gp":
        # critic: maximise E[C(x)] − E[C(G(z))]  (gradient penalty added by the trainer)
        return fake_logits.mean() - real_logits.mean()
    # −[log D(x) + log(1 − D(G(z)))]
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss_fn(fake_logits: torch.Tensor, g_loss: str) -> torch.Tensor:
    """The loss G descends."""
    if g_loss == "saturating":
        # descend log(1 − D(G(z))): gradient ∝ D(G(z)), which vanishes when D rejects G's samples
        return -F.softplus(fake_logits).mean()
    if g_loss == "non_saturating":
        # ascend log D(G(z)) (the paper's §3 trick): gradient ∝ 1 − D(G(z)), strong early on
        return F.softplus(-fake_logits).mean()
    if g_loss == "least_squares":
        return 0.5 * (torch.sigmoid(fake_logits) - 1).pow(2).mean()
    if g_loss == "wasserstein_gp":
        return -fake_logits.mean()
    raise ValueError(f"unknown generator loss '{g_loss}'")


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """WGAN-GP: E[(‖∇ₓ C(x̂)‖ − 1)²] at x̂ on lines between real and fake samples."""
    x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return (grad.norm(dim=1) - 1).pow(2).mean()
