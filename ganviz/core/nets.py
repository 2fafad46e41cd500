"""The two players: small MLPs. G maps z (noise_dim) to x (1D); D maps x to a logit.

D returns a logit, not a probability: losses use log-sigmoid forms of it, which stay finite where
log(sigmoid(.)) would underflow. D(x) = sigmoid(logit) is what the figure shows.
"""

from __future__ import annotations

import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh, "elu": nn.ELU}


def mlp(n_in: int, n_out: int, layers: int, width: int, activation: str) -> nn.Sequential:
    """``layers`` hidden layers of ``width`` units; 0 layers is a plain affine map."""
    mods: list[nn.Module] = []
    dim = n_in
    for _ in range(layers):
        mods += [nn.Linear(dim, width), ACTIVATIONS[activation]()]
        dim = width
    mods.append(nn.Linear(dim, n_out))
    return nn.Sequential(*mods)


def make_generator(noise_dim: int, layers: int, width: int, activation: str) -> nn.Sequential:
    return mlp(noise_dim, 1, layers, width, activation)


def make_discriminator(layers: int, width: int, activation: str) -> nn.Sequential:
    return mlp(1, 1, layers, width, activation)


def grad_norm(params: list[torch.Tensor]) -> torch.Tensor:
    """‖∇θ‖₂ over all parameters, as a device tensor (no host sync)."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.zeros(())
    return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
