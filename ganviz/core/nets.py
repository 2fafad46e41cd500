"""The two players as plain tensors: an MLP's weights live in one flat row per member.

One flat parameter row (N members × P numbers) per network makes the optimizer a handful of whole-tensor
operations however many layers there are, and lets N GANs train as one batched computation (a sweep) with
the very code that trains one (N = 1): every layer is ``x @ W + b`` with a leading member axis.

G maps z to x (1-D, or 2-D for a target in the plane: ``n_out``); D maps x (plus the batch's standard deviation, with ``minibatch_std``) to a
*logit*: losses use log-sigmoid forms of it, which stay finite where log(sigmoid(·)) would underflow.
D(x) = σ(logit) is what the figure shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


def _leaky_relu(x: torch.Tensor) -> torch.Tensor:
    return F.leaky_relu(x, 0.2)


def _tanh(x: torch.Tensor) -> torch.Tensor:
    """tanh(x) = 2σ(2x) − 1: the same function, faster here — measured on this machine's torch (AVX-512
    build) torch.tanh takes 34 µs on a 256 × 64 batch where torch.sigmoid takes 4 µs, and tanh is G's
    activation in most presets (four calls an iteration). (A custom autograd Function with torch's fused tanh
    backward was slower still: its Python overhead.)"""
    return torch.sigmoid(x * 2.0) * 2.0 - 1.0


ACTIVATIONS = {"relu": F.relu, "leaky_relu": _leaky_relu, "tanh": _tanh, "elu": F.elu}
_MODULES = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh, "elu": nn.ELU}


@dataclass(frozen=True)
class MLP:
    """The shape of an MLP: ``layers`` hidden layers of ``width`` units; 0 layers is an affine map."""

    n_in: int
    layers: int
    width: int
    activation: str
    n_out: int = 1
    norm: bool = False  # batch normalisation after each hidden layer (γ, β stored after the linear layers)

    def dims(self) -> list[int]:
        return [self.n_in] + [self.width] * self.layers + [self.n_out]

    @property
    def size(self) -> int:
        d = self.dims()
        return sum(a * b + b for a, b in zip(d, d[1:])) + self.norm_size

    @property
    def norm_size(self) -> int:
        return 2 * self.width * self.layers if self.norm else 0

    def norm_views(self, flat: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """(γ, β) per hidden layer as views of ``flat`` (N, size), each (N, 1, width); [] without norm. They
        follow all linear layers, so a net with norm starts with the same (W, b) layout as one without."""
        if not self.norm:
            return []
        n, w, off = flat.shape[0], self.width, self.size - self.norm_size
        out = []
        for _ in range(self.layers):
            out.append((flat[:, off:off + w].view(n, 1, w), flat[:, off + w:off + 2 * w].view(n, 1, w)))
            off += 2 * w
        return out

    def views(self, flat: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """(W, b) per layer as views of ``flat`` (N, size): W (N, in, out), b (N, 1, out)."""
        out, off, n = [], 0, flat.shape[0]
        d = self.dims()
        for a, b in zip(d, d[1:]):
            w = flat[:, off:off + a * b].view(n, a, b)
            off += a * b
            out.append((w, flat[:, off:off + b].view(n, 1, b)))
            off += b
        return out

    def module(self) -> nn.Sequential:
        """The same network as torch modules (for the initial weights and the reference loop)."""
        mods: list[nn.Module] = []
        d = self.dims()
        for i, (a, b) in enumerate(zip(d, d[1:])):
            mods.append(nn.Linear(a, b))
            if i < len(d) - 2:
                mods.append(_MODULES[self.activation]())
        return nn.Sequential(*mods)


def forward(x: torch.Tensor, layers: list[tuple[torch.Tensor, torch.Tensor]], activation, norm=None) -> torch.Tensor:
    """x (N, m, in) → (N, m, out): one batched ``x @ W + b`` per layer, the activation between layers (after
    ``norm(j, x)`` when the net has batch norm)."""
    last = len(layers) - 1
    for j, (w, b) in enumerate(layers):
        if w.shape[1] == 1:
            x = torch.addcmul(b, x, w)  # a 1-wide input: a broadcast product beats a degenerate matmul
        else:
            x = torch.baddbmm(b, x, w)
        if j < last:
            if norm is not None:
                x = norm(j, x)
            x = activation(x)
    return x


class BatchNorm:
    """Batch normalisation (Ioffe & Szegedy 2015) of N members' hidden layers: γ, β are views of the flat row
    (trained like every weight); the running mean and variance are buffers, one per member.

    ``train()`` normalises with the batch's own mean and variance (as torch's train mode; with ``track`` it
    also moves the running averages, momentum 0.1, for the members whose mask is 1). ``eval()`` uses the
    running averages (torch's eval mode): this is how the figure evaluates G and D on its grid, where a
    batch statistic would be the grid's, not a minibatch's."""

    EPS = 1e-5
    MOMENTUM = 0.1

    def __init__(self, affine: list[tuple[torch.Tensor, torch.Tensor]]):
        self.affine = affine
        self.mean = [torch.zeros_like(g.detach()) for g, _ in affine]
        self.var = [torch.ones_like(g.detach()) for g, _ in affine]

    def train(self, track: torch.Tensor | float | None = None, affine=None):
        affine = affine if affine is not None else self.affine

        def apply(j: int, x: torch.Tensor) -> torch.Tensor:
            mu = x.mean(dim=1, keepdim=True)
            var = x.var(dim=1, unbiased=False, keepdim=True)
            if track is not None:
                with torch.no_grad():
                    w = track * self.MOMENTUM
                    m = x.shape[1]
                    self.mean[j].lerp_(mu.detach(), w)
                    self.var[j].lerp_(var.detach() * (m / max(m - 1, 1)), w)
            g, b = affine[j]
            return (x - mu) * torch.rsqrt(var + self.EPS) * g + b
        return apply

    def eval(self, members: slice = slice(None)):
        def apply(j: int, x: torch.Tensor) -> torch.Tensor:
            g, b = self.affine[j]
            return ((x - self.mean[j][members]) * torch.rsqrt(self.var[j][members] + self.EPS) * g[members]
                    + b[members])
        return apply

    def buffers(self, member: int) -> list:
        return [[t[member].detach().cpu().numpy().copy() for t in ts] for ts in (self.mean, self.var)]

    def load(self, member: int, saved) -> None:
        with torch.no_grad():
            for ts, arrays in zip((self.mean, self.var), saved):
                for t, a in zip(ts, arrays):
                    t[member].copy_(torch.as_tensor(a, device=t.device))


def flatten_module(net: nn.Sequential) -> torch.Tensor:
    """A torch MLP's parameters in the flat layout of ``MLP.views`` (W stored as in × out)."""
    parts = []
    for layer in net:
        if isinstance(layer, nn.Linear):
            parts += [layer.weight.detach().t().reshape(-1), layer.bias.detach().reshape(-1)]
    return torch.cat(parts)


def initial_weights(g: MLP, d: MLP, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """G's and D's initial flat weights for ``seed``: torch's default init of nn.Linear, drawn in that order
    from a private stream (the global random state is left as it was)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        gnet, dnet = g.module(), d.module()
    return _with_norm(flatten_module(gnet), g), _with_norm(flatten_module(dnet), d)


def _with_norm(flat: torch.Tensor, shape: MLP) -> torch.Tensor:
    """γ = 1, β = 0 appended for a net with batch norm (torch's BatchNorm1d start)."""
    if not shape.norm:
        return flat
    ones, zeros = torch.ones(shape.width), torch.zeros(shape.width)
    return torch.cat([flat] + [ones, zeros] * shape.layers)

