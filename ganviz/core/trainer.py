"""Trainer: Algorithm 1 of Goodfellow et al. (2014), one iteration at a time, knobs changeable between steps.

    for each training iteration:
        for k steps:  sample m z ~ p_z and m x ~ p_data;  ascend ∇θd (1/m) Σ [log D(x) + log(1 − D(G(z)))]
        sample m z ~ p_z;  descend ∇θg (1/m) Σ log(1 − D(G(z)))     (or one of the other G objectives)

The hot path never syncs with the host: the numbers the plots need (losses, D(real), D(fake), gradient
norms) stay on the device and are computed only on steps that ask for them (``stats=True``); ``metrics()``
fetches them when a snapshot or a record is due.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from ganviz.config import RESET_KEYS, TARGET_KEYS, ConfigError, TrainConfig
from ganviz.core.losses import d_loss, g_loss_fn, gradient_penalty
from ganviz.core.nets import grad_norm, make_discriminator, make_generator
from ganviz.core.targets import Target, make_target

STAT_KEYS = ("loss_d", "loss_g", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")


class DivergedError(RuntimeError):
    """Training produced a non-finite number; the message says at which step and what."""


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device=cuda was asked for but no CUDA GPU is available (use --device auto or cpu)")
    return torch.device(name)


def make_optimizer(params, cfg: TrainConfig, lr: float) -> torch.optim.Optimizer:
    """SGD with momentum (the paper) or Adam, fused where the build supports it (fewer kernel launches)."""
    params = list(params)
    if cfg.optimizer == "sgd":
        kinds = [dict(fused=True), dict(foreach=True)]
        build = lambda extra: torch.optim.SGD(params, lr=lr, momentum=cfg.momentum, **extra)  # noqa: E731
    else:
        kinds = [dict(fused=True), dict(foreach=True)]
        build = lambda extra: torch.optim.Adam(params, lr=lr, betas=(cfg.beta1, cfg.beta2), **extra)  # noqa: E731
    for extra in kinds:
        try:
            return build(extra)
        except (RuntimeError, TypeError, ValueError):
            continue
    return build({})


class Trainer:
    """Owns G, D, their optimizers and the random streams of one run. Knows nothing of Qt."""

    def __init__(self, cfg: TrainConfig | None = None, target: Target | None = None):
        self.cfg = cfg or TrainConfig()
        self.cfg.validate()
        self.target = target or make_target(self.cfg)
        self.reset()

    # --- set-up ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """New nets from the seed; same config + seed ⇒ same weights and the same random streams."""
        cfg = self.cfg
        self.device = resolve_device(cfg.device)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(cfg.seed)
            G = make_generator(cfg.noise_dim, cfg.g_layers, cfg.g_width, cfg.g_activation)
            D = make_discriminator(cfg.d_layers, cfg.d_width, cfg.d_activation)
        self.G, self.D = G.to(self.device), D.to(self.device)
        self.rng = torch.Generator(device=self.device)
        self.rng.manual_seed(cfg.seed)
        self._build_optimizers()
        self.iteration = 0  # completed iterations of Algorithm 1
        self.d_updates = 0
        self.g_updates = 0
        self._stats: dict[str, torch.Tensor] = {}

    def _build_optimizers(self) -> None:
        self.opt_d = make_optimizer(self.D.parameters(), self.cfg, self.cfg.lr_d)
        self.opt_g = make_optimizer(self.G.parameters(), self.cfg, self.cfg.lr_g)

    def set(self, **knobs: Any) -> bool:
        """Change knobs between steps. Returns True if the change needed new nets (a reset)."""
        old, new = self.cfg, self.cfg.replace(**knobs)
        changed = {k for k in knobs if getattr(old, k) != getattr(new, k)}
        if changed & TARGET_KEYS:
            self.target = make_target(new)  # may refuse (a bad CSV): then nothing has changed
        self.cfg = new
        if changed & RESET_KEYS:
            self.reset()
            return True
        if "optimizer" in changed:
            self._build_optimizers()  # fresh optimizer state, same weights
            return False
        for opt, lr in ((self.opt_d, new.lr_d), (self.opt_g, new.lr_g)):
            for group in opt.param_groups:
                group["lr"] = lr
                if "momentum" in group:
                    group["momentum"] = new.momentum
                if "betas" in group:
                    group["betas"] = (new.beta1, new.beta2)
        return False

    # --- sampling -------------------------------------------------------------------------------
    def sample_z(self, n: int) -> torch.Tensor:
        shape = (n, self.cfg.noise_dim)
        if self.cfg.noise == "uniform":
            return torch.rand(shape, generator=self.rng, device=self.device).mul_(2.0).sub_(1.0)  # U(−1, 1)
        return torch.randn(shape, generator=self.rng, device=self.device)

    def sample_real(self, n: int) -> torch.Tensor:
        return self.target.sample(n, self.rng, self.device)

    # --- Algorithm 1 ----------------------------------------------------------------------------
    def d_step(self, stats: bool = False) -> None:
        """One D update on a fresh minibatch: ascend log D(x) + log(1 − D(G(z)))."""
        cfg, m = self.cfg, self.cfg.batch_size
        x = self.sample_real(m)
        with torch.no_grad():
            fake = self.G(self.sample_z(m))
        real_logits, fake_logits = self.D(x), self.D(fake)
        loss = d_loss(real_logits, fake_logits, cfg.g_loss)
        if cfg.g_loss == "wasserstein_gp" and cfg.gp_weight > 0:
            alpha = torch.rand(m, 1, generator=self.rng, device=self.device)
            loss = loss + cfg.gp_weight * gradient_penalty(self.D, x, fake, alpha)
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        if stats:
            self._stats.update(loss_d=loss.detach(), d_real=torch.sigmoid(real_logits.detach()).mean(),
                               grad_norm_d=grad_norm(list(self.D.parameters())))
        self.opt_d.step()
        self.d_updates += 1

    def g_step(self, stats: bool = False) -> None:
        """One G update on fresh z: descend the chosen generator objective."""
        fake_logits = self.D(self.G(self.sample_z(self.cfg.batch_size)))
        loss = g_loss_fn(fake_logits, self.cfg.g_loss)
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        if stats:
            self._stats.update(loss_g=loss.detach(), d_fake=torch.sigmoid(fake_logits.detach()).mean(),
                               grad_norm_g=grad_norm(list(self.G.parameters())))
        self.opt_g.step()
        self.g_updates += 1

    def step(self, stats: bool = False) -> None:
        """One iteration: k = d_steps D updates, then g_steps G updates."""
        k, g = self.cfg.d_steps, self.cfg.g_steps
        for i in range(k):
            self.d_step(stats=stats and i == k - 1)
        for i in range(g):
            self.g_step(stats=stats and i == g - 1)
        self.iteration += 1

    def train(self, n: int) -> None:
        """n iterations; the last one records the stats that metrics() and snapshots read."""
        for i in range(n):
            self.step(stats=i == n - 1)

    # --- reading the state (syncs with the device) -----------------------------------------------
    def metrics(self) -> dict[str, float]:
        """The latest stats as floats; raises DivergedError if any is NaN or infinite."""
        out = {key: math.nan for key in STAT_KEYS}
        if self._stats:
            values = torch.stack([v.float().reshape(()) for v in self._stats.values()]).tolist()
            out.update(zip(self._stats.keys(), values))
        bad = [k for k in self._stats if not math.isfinite(out[k])]
        if bad:
            raise DivergedError(
                f"training diverged at step {self.iteration}: {', '.join(bad)} became {out[bad[0]]} "
                f"(learning rates lr_d={self.cfg.lr_d:g}, lr_g={self.cfg.lr_g:g} may be too high)")
        return out

    @torch.no_grad()
    def d_of(self, x: np.ndarray) -> np.ndarray:
        """D(x) = σ(logit) on a numpy grid."""
        xt = torch.as_tensor(np.asarray(x, dtype=np.float32).reshape(-1, 1), device=self.device)
        return torch.sigmoid(self.D(xt)).reshape(-1).cpu().numpy().astype(np.float64)

    @torch.no_grad()
    def g_of(self, z: np.ndarray) -> np.ndarray:
        """G(z) for z of shape (n,) (noise_dim 1) or (n, noise_dim)."""
        z = np.asarray(z, dtype=np.float32)
        zt = torch.as_tensor(z.reshape(len(z), -1), device=self.device)
        return self.G(zt).reshape(-1).cpu().numpy().astype(np.float64)

    def g_samples(self, n: int, seed: int = 12345) -> np.ndarray:
        """n samples of G from a fixed side stream (does not disturb the training stream)."""
        gen = torch.Generator(device=self.device)
        gen.manual_seed(seed)
        shape = (n, self.cfg.noise_dim)
        with torch.no_grad():
            if self.cfg.noise == "uniform":
                z = torch.rand(shape, generator=gen, device=self.device) * 2 - 1
            else:
                z = torch.randn(shape, generator=gen, device=self.device)
            return self.G(z).reshape(-1).cpu().numpy().astype(np.float64)

    def weights(self) -> dict:
        """G's and D's parameters as numpy arrays (cheap: a few KB), for rewinding to this point."""
        return {name: {k: v.detach().cpu().numpy().copy() for k, v in net.state_dict().items()}
                for name, net in (("G", self.G), ("D", self.D))}

    def load_weights(self, weights: dict, iteration: int) -> None:
        """Continue from recorded weights: same nets, fresh optimizer state, the iteration count restored."""
        for name, net in (("G", self.G), ("D", self.D)):
            net.load_state_dict({k: torch.as_tensor(v, device=self.device) for k, v in weights[name].items()})
        self.iteration = int(iteration)
        self._build_optimizers()
