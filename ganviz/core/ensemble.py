"""Ensemble: N independent GANs of one architecture trained as one batched computation.

Weights are stacked along a leading member axis and every layer is one batched matmul (torch.baddbmm), so
256 small GANs cost a few large kernels instead of 256 × many tiny ones. Each member has its own lr_d, lr_g,
k (d_steps), g_steps, G loss, momentum / β1 and seed. The update rule is the Trainer's, member by member:
Algorithm 1 with per-member Adam or SGD-with-momentum written out in batched form; members whose k (or
g_steps) is smaller simply skip the extra updates (masked).

Random numbers: ``exact_rng=True`` draws each member's minibatches from its own generator seeded like a
single Trainer, in the Trainer's order, so member i follows ``Trainer(cfg_i)`` step for step (the tests check
this). The default draws all members' minibatches in one call: identical in distribution, much cheaper.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from scipy import special

from ganviz.config import ConfigError, TrainConfig
from ganviz.core.nets import make_discriminator, make_generator
from ganviz.core.targets import make_target
from ganviz.core.trainer import resolve_device

ACTS = {"relu": F.relu, "leaky_relu": lambda x: F.leaky_relu(x, 0.2), "tanh": torch.tanh, "elu": F.elu}
LOSS_IDS = {"saturating": 0, "non_saturating": 1, "least_squares": 2}
PER_MEMBER = ("lr_d", "lr_g", "d_steps", "g_steps", "g_loss", "seed", "momentum", "beta1")


class StackedMLP:
    """N MLPs of one shape: weights (N, in, out), biases (N, 1, out); x (N, m, in) → (N, m, out)."""

    def __init__(self, nets: list[torch.nn.Sequential], activation: str, device: torch.device):
        linears = [[layer for layer in net if isinstance(layer, torch.nn.Linear)] for net in nets]
        self.weights = [torch.stack([ls[j].weight.detach().t() for ls in linears]).to(device).requires_grad_()
                        for j in range(len(linears[0]))]
        self.biases = [torch.stack([ls[j].bias.detach()[None] for ls in linears]).to(device).requires_grad_()
                       for j in range(len(linears[0]))]
        self.act = ACTS[activation]

    def params(self) -> list[torch.Tensor]:
        return self.weights + self.biases

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        last = len(self.weights) - 1
        for j, (w, b) in enumerate(zip(self.weights, self.biases)):
            x = torch.baddbmm(b, x, w)
            if j < last:
                x = self.act(x)
        return x


def _member_mean(t: torch.Tensor) -> torch.Tensor:
    return t.mean(dim=(1, 2))


class Ensemble:
    def __init__(self, configs: list[TrainConfig], exact_rng: bool = False):
        if not configs:
            raise ConfigError("an ensemble needs at least one config")
        base = configs[0]
        for c in configs:
            other = {k: v for k, v in c.to_dict().items() if k not in PER_MEMBER}
            if other != {k: v for k, v in base.to_dict().items() if k not in PER_MEMBER}:
                raise ConfigError(f"ensemble members may differ only in {', '.join(PER_MEMBER)}")
            if c.g_loss not in LOSS_IDS:
                raise ConfigError(f"g_loss='{c.g_loss}' cannot be swept (batched losses: {', '.join(LOSS_IDS)})")
        self.configs, self.base, self.exact_rng = configs, base, exact_rng
        self.n = len(configs)
        self.device = resolve_device(base.device)
        self.target = make_target(base)
        gs, ds = [], []
        for c in configs:  # the very initial weights a Trainer with this seed would have
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(c.seed)
                gs.append(make_generator(c.noise_dim, c.g_layers, c.g_width, c.g_activation))
                ds.append(make_discriminator(c.d_layers, c.d_width, c.d_activation))
        self.G = StackedMLP(gs, base.g_activation, self.device)
        self.D = StackedMLP(ds, base.d_activation, self.device)
        col = lambda key, dtype=torch.float32: torch.tensor(  # noqa: E731
            [getattr(c, key) for c in configs], dtype=dtype, device=self.device)
        self.lr_d, self.lr_g = col("lr_d"), col("lr_g")
        self.momentum, self.beta1 = col("momentum"), col("beta1")
        self.k = [c.d_steps for c in configs]
        self.gk = [c.g_steps for c in configs]
        self.loss_id = torch.tensor([LOSS_IDS[c.g_loss] for c in configs], device=self.device)
        if exact_rng:
            self.rngs = [torch.Generator(device=self.device) for _ in configs]
            for g, c in zip(self.rngs, configs):
                g.manual_seed(c.seed)
        else:
            self.rng = torch.Generator(device=self.device)
            self.rng.manual_seed(base.seed)
        self.state_d = self._opt_state(self.D.params())
        self.state_g = self._opt_state(self.G.params())
        self.iteration = 0
        self.last_grad_norm_g = torch.zeros(self.n, device=self.device)

    # --- randomness -----------------------------------------------------------------------------
    def _z(self, m: int, active: list[bool]) -> torch.Tensor:
        c = self.base
        draw = (lambda shape, g: torch.rand(shape, generator=g, device=self.device).mul_(2).sub_(1)) \
            if c.noise == "uniform" else (lambda shape, g: torch.randn(shape, generator=g, device=self.device))
        if self.exact_rng:  # a member that sits this update out draws nothing, as its Trainer would
            zero = torch.zeros(m, c.noise_dim, device=self.device)
            return torch.stack([draw((m, c.noise_dim), g) if a else zero for g, a in zip(self.rngs, active)])
        return draw((self.n, m, c.noise_dim), self.rng)

    def _x(self, m: int, active: list[bool]) -> torch.Tensor:
        if self.exact_rng:
            zero = torch.zeros(m, 1, device=self.device)
            return torch.stack([self.target.sample(m, g, self.device) if a else zero
                                for g, a in zip(self.rngs, active)])
        return self.target.sample(self.n * m, self.rng, self.device).reshape(self.n, m, 1)

    # --- optimizers, batched ---------------------------------------------------------------------
    def _opt_state(self, params):
        return {"m": [torch.zeros_like(p) for p in params], "v": [torch.zeros_like(p) for p in params],
                "t": torch.zeros(self.n, device=self.device), "started": False}

    @torch.no_grad()
    def _update(self, params, grads, state, lr: torch.Tensor, mask: torch.Tensor) -> None:
        """Adam or SGD+momentum per member, as torch.optim does it; members with mask = 0 stay unchanged."""
        c = self.base
        shape = (self.n, 1, 1)
        everyone = bool(mask.all())
        keep = mask.reshape(shape).bool()
        where = (lambda new, old: new) if everyone else (lambda new, old: torch.where(keep, new, old))  # noqa: E731
        if c.optimizer == "adam":
            state["t"] += mask
            t = state["t"].clamp(min=1)
            b1 = self.beta1.reshape(shape)
            bias1 = (1 - self.beta1 ** t).reshape(shape)
            bias2_sqrt = torch.sqrt(1 - c.beta2 ** t).reshape(shape)
            step = (lr.reshape(shape) / bias1)
            weight = (1 - b1).expand(-1, 1, 1)
            for p, g, m, v in zip(params, grads, state["m"], state["v"]):
                # the same operations, in the same order, as torch.optim.Adam
                m.copy_(where(torch.lerp(m, g, weight.expand_as(m)), m))
                v.copy_(where((v * c.beta2).addcmul_(g, g, value=1 - c.beta2), v))
                denom = (v.sqrt() / bias2_sqrt).add_(1e-8)
                p.copy_(where(p - step * m / denom, p))
        else:
            mu = self.momentum.reshape(shape)
            first = keep & (state["t"].reshape(shape) == 0)
            state["t"] += mask
            for p, g, buf in zip(params, grads, state["m"]):
                new = torch.where(first, g, buf * mu + g)
                buf.copy_(where(new, buf))
                p.copy_(where(p - lr.reshape(shape) * buf, p))

    # --- Algorithm 1, for all members at once -----------------------------------------------------
    def d_step(self, mask: torch.Tensor, active: list[bool]) -> None:
        m = self.base.batch_size
        x = self._x(m, active)
        with torch.no_grad():
            fake = self.G(self._z(m, active))
        logits = self.D(torch.cat((x, fake), dim=1))  # one batched pass over real and fake halves
        real_l, fake_l = logits[:, :m], logits[:, m:]
        ls = self.loss_id == LOSS_IDS["least_squares"]
        bce = _member_mean(F.softplus(-real_l)) + _member_mean(F.softplus(fake_l))
        lsq = 0.5 * (_member_mean((torch.sigmoid(real_l) - 1) ** 2) + _member_mean(torch.sigmoid(fake_l) ** 2))
        loss = torch.where(ls, lsq, bce).sum()  # member i's parameters only touch member i's term
        params = self.D.params()
        grads = torch.autograd.grad(loss, params)
        self._update(params, grads, self.state_d, self.lr_d, mask)

    def g_step(self, mask: torch.Tensor, active: list[bool], record: bool = False) -> None:
        fake_l = self.D(self.G(self._z(self.base.batch_size, active)))
        sat = -_member_mean(F.softplus(fake_l))
        ns = _member_mean(F.softplus(-fake_l))
        lsq = 0.5 * _member_mean((torch.sigmoid(fake_l) - 1) ** 2)
        lid = self.loss_id
        loss = torch.where(lid == 0, sat, torch.where(lid == 1, ns, lsq)).sum()
        params = self.G.params()
        grads = torch.autograd.grad(loss, params)
        if record:
            self.last_grad_norm_g = torch.sqrt(sum((g * g).sum(dim=(1, 2)) for g in grads))
        self._update(params, grads, self.state_g, self.lr_g, mask)

    def step(self, record: bool = False) -> None:
        for j in range(max(self.k)):
            active = [j < k for k in self.k]
            self.d_step(torch.tensor(active, dtype=torch.float32, device=self.device), active)
        top = max(self.gk)
        for j in range(top):
            active = [j < k for k in self.gk]
            self.g_step(torch.tensor(active, dtype=torch.float32, device=self.device), active, record and j == top - 1)
        self.iteration += 1

    def train(self, n: int) -> None:
        for i in range(n):
            self.step(record=i == n - 1)

    # --- one member as a Trainer-like view (for theory, snapshots and detectors) -------------------
    def member(self, i: int) -> "MemberView":
        return MemberView(self, i)

    def member_state(self, i: int) -> dict[str, torch.Tensor]:
        """Member i's weights in the layout of a single Trainer's nets (for comparisons)."""
        out = {}
        for name, net in (("G", self.G), ("D", self.D)):
            for j, (w, b) in enumerate(zip(net.weights, net.biases)):
                out[f"{name}.{j}.weight"] = w[i].detach().t()
                out[f"{name}.{j}.bias"] = b[i, 0].detach()
        return out


class MemberView:
    """Enough of the Trainer interface for take_snapshot(): cfg, target, iteration, g_of, d_of, metrics."""

    def __init__(self, ens: Ensemble, i: int):
        self.ens, self.i = ens, i
        self.cfg, self.target, self.iteration, self.device = ens.configs[i], ens.target, ens.iteration, ens.device

    def _run(self, net: StackedMLP, x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            xt = torch.as_tensor(np.asarray(x, dtype=np.float32).reshape(1, len(x), -1), device=self.device)
            h = xt
            last = len(net.weights) - 1
            for j, (w, b) in enumerate(zip(net.weights, net.biases)):
                h = torch.baddbmm(b[self.i:self.i + 1], h, w[self.i:self.i + 1])
                if j < last:
                    h = net.act(h)
            return h.reshape(-1).cpu().numpy().astype(np.float64)

    def g_of(self, z: np.ndarray) -> np.ndarray:
        return self._run(self.ens.G, z)

    def d_of(self, x: np.ndarray) -> np.ndarray:
        return special.expit(self._run(self.ens.D, x))

    def g_samples(self, n: int, seed: int = 12345) -> np.ndarray:
        gen = torch.Generator().manual_seed(seed)
        shape = (n, self.cfg.noise_dim)
        z = torch.rand(shape, generator=gen) * 2 - 1 if self.cfg.noise == "uniform" else torch.randn(shape, generator=gen)
        return self.g_of(z.numpy())

    def metrics(self) -> dict:
        return {"grad_norm_g": float(self.ens.last_grad_norm_g[self.i])}


@dataclass
class SweepTiming:
    gan_its: dict
    matmul_fraction: float
    achieved_gflops: float
    peak_gflops: float


def flops_per_iteration(cfg: TrainConfig) -> float:
    """Matmul FLOPs of one Algorithm 1 iteration of one GAN (forward + both backward matmuls)."""
    def mlp(n_in: int, layers: int, width: int) -> int:
        dims = [n_in] + [width] * layers + [1]
        return sum(a * b for a, b in zip(dims, dims[1:]))
    m = cfg.batch_size
    g, d = mlp(cfg.noise_dim, cfg.g_layers, cfg.g_width), mlp(1, cfg.d_layers, cfg.d_width)
    # D step: G forward (m), D forward+backward on 2m;  G step: G and D forward+backward on m
    macs = cfg.d_steps * (m * g + 3 * 2 * m * d) + cfg.g_steps * 3 * m * (g + d)
    return 2.0 * macs


def peak_matmul_gflops(device: torch.device, seconds: float = 0.5) -> float:
    """This machine's float32 matmul rate on a large square product (the roof the sweep is held to)."""
    a = torch.randn(1024, 1024, device=device)
    b = torch.randn(1024, 1024, device=device)
    a @ b
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        a @ b
        n += 1
    if device.type == "cuda":
        torch.cuda.synchronize()
    return n * 2 * 1024**3 / (time.perf_counter() - t0) / 1e9


def measure_sweep(cfg: TrainConfig, sizes=(1, 64, 256), iterations: int = 50, repeats: int = 3,
                  threads: int | None = None) -> dict:
    """GAN-iterations/s at each ensemble size (medians), and the matmul efficiency at the largest.
    A batched sweep is compute-bound, so it uses every core (``threads``, default: all)."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads or os.cpu_count() or 1)
    try:
        return _measure_sweep(cfg, sizes, iterations, repeats)
    finally:
        torch.set_num_threads(before)


def _measure_sweep(cfg: TrainConfig, sizes, iterations: int, repeats: int) -> dict:
    rates = {}
    for n in sizes:
        ens = Ensemble([cfg.replace(seed=cfg.seed + i) for i in range(n)])
        ens.train(3)
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            ens.train(iterations)
            runs.append(n * iterations / (time.perf_counter() - t0))
        rates[str(n)] = float(np.median(runs))
    device = resolve_device(cfg.device)
    peak = peak_matmul_gflops(device)
    achieved = rates[str(sizes[-1])] * flops_per_iteration(cfg) / 1e9
    return {"gan_its": rates, "achieved_gflops": achieved, "peak_gflops": peak,
            "matmul_fraction": achieved / peak, "iterations": iterations, "threads": torch.get_num_threads()}
