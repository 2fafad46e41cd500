"""Constraints on the critic that are not a loss: WGAN's weight clipping and spectral normalisation, on the
flat-row layout of core/nets.py (N members, a (W, b) pair per layer with W of shape (N, in, out))."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def clip_(params: torch.Tensor, c: torch.Tensor) -> None:
    """Clip every weight of each member to [−c, c] in place (c: (N, 1); ∞ for members that do not clip)."""
    with torch.no_grad():
        params.copy_(torch.maximum(torch.minimum(params, c), -c))


def power_vectors(layers, generator: torch.Generator) -> list[torch.Tensor]:
    """A start vector u (N, out) per layer for the power iteration, drawn from its own stream."""
    return [F.normalize(torch.randn(w.shape[0], w.shape[2], generator=generator).to(w.device), dim=1)
            for w, _ in layers]


def spectral(layers, us: list[torch.Tensor], update: bool) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Each W divided by its largest singular value σ(W) (Miyato et al. 2018). σ comes from the persistent
    vectors u (one power-iteration step per D update when ``update``); u and v are constants to the gradient,
    which flows through W in σ = vᵀ W u as in the paper."""
    out = []
    for (w, b), u in zip(layers, us):
        with torch.no_grad():
            if update:
                v = F.normalize(torch.bmm(w, u.unsqueeze(2)).squeeze(2), dim=1)  # (N, in)
                u.copy_(F.normalize(torch.bmm(v.unsqueeze(1), w).squeeze(1), dim=1))  # (N, out)
            v = F.normalize(torch.bmm(w, u.unsqueeze(2)).squeeze(2), dim=1)
        sigma = torch.einsum("ni,nio,no->n", v, w, u).clamp_min(1e-12)
        out.append((w / sigma.reshape(-1, 1, 1), b))
    return out
