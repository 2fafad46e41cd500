"""Trainer: Algorithm 1 of Goodfellow et al. (2014) for N members at once (N = 1 for a single run).

    for each training iteration:
        for k steps:  sample m z ~ p_z and m x ~ p_data;  ascend ∇θd (1/m) Σ [log D(x) + log(1 − D(G(z)))]
        sample m z ~ p_z;  descend ∇θg (1/m) Σ log(1 − D(G(z)))     (or one of the other G objectives)

A single run and a sweep are the same code: the weights of N GANs are stacked (one flat row per member, see
nets.py), each member draws its minibatches from its own random stream seeded like a single run, and the
batched optimizer (optim.py) keeps each member's learning rates, β1, momentum and k. So a sweep cell re-run
alone follows the trajectory it had in the sweep.

The hot path never syncs with the host: the numbers the plots need (losses, D(real), D(fake), gradient
norms) are computed only on steps that ask for them (``stats=True``) and stay on the device until
``metrics()`` fetches them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from ganviz.config import MEMBER_KEYS, RESET_KEYS, TARGET_KEYS, ConfigError, TrainConfig
from ganviz import losses
from ganviz.core import penalties, stabilise
from ganviz.core.nets import ACTIVATIONS, MLP, BatchNorm, forward, initial_weights
from ganviz.core.optim import BatchedOptimizer
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


def structure(cfg: TrainConfig) -> tuple:
    """What members of one batched Trainer must share: every knob that is not per member."""
    return tuple((k, repr(v)) for k, v in sorted(cfg.to_dict().items()) if k not in MEMBER_KEYS | {"steps"})


def _flat_grad(loss: torch.Tensor, layers: list[tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
    """∇ of ``loss`` in the flat layout (N, P), taken with respect to the layers' views (the (W, b) pairs,
    then batch norm's (γ, β) pairs: the flat row's order) and joined with one cat: differentiating with
    respect to the flat tensor itself would scatter every view's gradient into a zero-filled copy of the
    whole row (as_strided backward), six times per network."""
    tensors = [t for pair in layers for t in pair]
    grads = torch.autograd.grad(loss, tensors)
    n = tensors[0].shape[0]
    return torch.cat([g.reshape(n, -1) for g in grads], dim=1)


def noise_dims(cfg: TrainConfig, target: Target) -> int:
    """z's dimension: noise_dim, and at least 2 for a target in the plane (G maps the z square onto it)."""
    return cfg.noise_dim if target.dim == 1 else max(cfg.noise_dim, target.dim)


class Trainer:
    """Owns G, D, their optimizers and the random streams of N members. Knows nothing of Qt."""

    def __init__(self, cfg: TrainConfig | list[TrainConfig] | None = None, target: Target | None = None):
        configs = list(cfg) if isinstance(cfg, (list, tuple)) else [cfg or TrainConfig()]
        if not configs:
            raise ConfigError("a trainer needs at least one config")
        for c in configs:
            c.validate()
            if structure(c) != structure(configs[0]):
                raise ConfigError("members of one trainer may differ only in: " + ", ".join(sorted(MEMBER_KEYS)))
        self.configs = configs
        self.target = target or make_target(configs[0])
        self.reset()

    @property
    def cfg(self) -> TrainConfig:
        return self.configs[0]

    @property
    def n(self) -> int:
        return len(self.configs)

    # --- set-up ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """New nets from each member's seed; same config + seed ⇒ same weights and the same random streams."""
        cfg = self.cfg
        self.device = resolve_device(cfg.device)
        bn, self.dim = cfg.batch_norm, self.target.dim
        self.z_dim = noise_dims(cfg, self.target)
        self.g_shape = MLP(self.z_dim, cfg.g_layers, cfg.g_width, cfg.g_activation, n_out=self.dim,
                           norm=bn in ("G", "both"))
        self.d_shape = MLP(self.dim * (2 if cfg.minibatch_std else 1), cfg.d_layers, cfg.d_width, cfg.d_activation,
                           norm=bn in ("D", "both"))
        inits = [initial_weights(self.g_shape, self.d_shape, c.seed) for c in self.configs]
        self.g_params = torch.stack([g for g, _ in inits]).to(self.device).requires_grad_(True)
        self.d_params = torch.stack([d for _, d in inits]).to(self.device).requires_grad_(True)
        self._g_layers = self.g_shape.views(self.g_params)  # views stay valid: updates are in place
        self._d_layers = self.d_shape.views(self.d_params)
        self._g_affine, self._d_affine = self.g_shape.norm_views(self.g_params), self.d_shape.norm_views(self.d_params)
        self.g_bn = BatchNorm(self._g_affine) if self.g_shape.norm else None
        self.d_bn = BatchNorm(self._d_affine) if self.d_shape.norm else None
        self._g_act, self._d_act = ACTIVATIONS[cfg.g_activation], ACTIVATIONS[cfg.d_activation]
        sn_stream = torch.Generator().manual_seed(1_000_003)  # spectral norm's start vectors: not a training stream
        self._sn_u = stabilise.power_vectors(self._d_layers, sn_stream)
        self.generators = []
        for c in self.configs:
            gen = torch.Generator(device=self.device)
            gen.manual_seed(c.seed)
            self.generators.append(gen)
        self.iteration = 0  # completed iterations of Algorithm 1
        self.phase = 0  # updates done of the iteration under way (slow motion goes update by update)
        self.d_updates = self.g_updates = 0
        self.last_update = ""  # "D" or "G": which player moved last (the slow-motion highlight)
        self._stats: dict[str, torch.Tensor] = {}
        self._sync_knobs()
        self._build_optimizers()

    def _column(self, key: str, dtype=torch.float32) -> torch.Tensor:
        return torch.tensor([getattr(c, key) for c in self.configs], dtype=dtype, device=self.device)

    def _sync_knobs(self) -> None:
        """Per-member knobs as tensors, and the Python-side facts the hot path branches on."""
        col = self._column
        self.lr_d, self.lr_g, self.beta1, self.momentum = col("lr_d"), col("lr_g"), col("beta1"), col("momentum")
        names = list(dict.fromkeys(c.g_loss for c in self.configs))  # the objectives in use, in member order
        self.loss_specs = [losses.get(n) for n in names]
        self.loss_ids = torch.tensor([names.index(c.g_loss) for c in self.configs], device=self.device)
        self.smoothing = col("label_smoothing") if any(c.label_smoothing > 0 for c in self.configs) else None
        self._any_noise = any(c.instance_noise > 0 for c in self.configs)
        self.r1 = col("r1_gamma") if any(c.r1_gamma > 0 for c in self.configs) else None
        self.gp = col("gp_weight") if any(s.penalty == "gradient" for s in self.loss_specs) else None
        clips = [c.clip_c if losses.get(c.g_loss).penalty == "clip" else float("inf") for c in self.configs]
        self.clip = (torch.tensor(clips, device=self.device).reshape(-1, 1)
                     if any(c != float("inf") for c in clips) else None)
        self.k = [c.d_steps for c in self.configs]
        self.g_k = [c.g_steps for c in self.configs]
        for opt, lr in ((getattr(self, "opt_d", None), self.lr_d), (getattr(self, "opt_g", None), self.lr_g)):
            if opt is not None:
                opt.set_rates(lr, self.beta1, self.cfg.beta2, self.momentum)

    def _build_optimizers(self) -> None:
        cfg = self.cfg
        self.opt_d = BatchedOptimizer(cfg.optimizer, self.d_params, self.lr_d, self.beta1, cfg.beta2, self.momentum)
        self.opt_g = BatchedOptimizer(cfg.optimizer, self.g_params, self.lr_g, self.beta1, cfg.beta2, self.momentum)

    def set(self, **knobs: Any) -> bool:
        """Change knobs of every member between steps. Returns True if the change needed new nets (a reset).
        A refused change (a bad value, an unreadable CSV) raises ConfigError and changes nothing."""
        new = [c.replace(**knobs) for c in self.configs]
        changed = {k for k in knobs if getattr(self.cfg, k) != getattr(new[0], k)}
        target = make_target(new[0]) if changed & TARGET_KEYS else self.target
        new_shape = target.dim != self.target.dim or noise_dims(new[0], target) != self.z_dim
        self.configs, self.target = new, target
        if changed & RESET_KEYS or new_shape:  # a 1-D ↔ 2-D target needs new nets
            self.reset()
            return True
        if "optimizer" in changed:
            self._sync_knobs()
            self._build_optimizers()  # fresh optimizer state, same weights
            return False
        self._sync_knobs()
        return False

    # --- the random streams (each member draws from its own generator, in a fixed order) --------
    def _draw(self, kind: str, shape: tuple[int, ...], active: list[bool] | None) -> torch.Tensor:
        fn = torch.rand if kind.startswith("uniform") else torch.randn
        if self.n == 1:
            return fn((1, *shape), generator=self.generators[0], device=self.device)
        out = torch.zeros((self.n, *shape), device=self.device)
        for i, gen in enumerate(self.generators):
            if active is None or active[i]:
                fn(shape, generator=gen, device=self.device, out=out[i])
        return out

    def sample_z(self, m: int, active: list[bool] | None = None) -> torch.Tensor:
        """(N, m, z_dim) from p_z."""
        z = self._draw(self.cfg.noise, (m, self.z_dim), active)
        return z.mul_(2.0).sub_(1.0) if self.cfg.noise == "uniform" else z  # U(−1, 1) or N(0, 1)

    def sample_real(self, m: int, active: list[bool] | None = None) -> torch.Tensor:
        """(N, m, dim) from p_data (a draw named "…2" is (m, 2): a plane target's 2-D ε)."""
        raw = {kind: self._draw(kind, (m, 2) if kind.endswith("2") else (m,), active) for kind in self.target.draws}
        x = self.target.transform(raw)
        return x.unsqueeze(-1) if x.dim() == 2 else x

    def noise_scale(self) -> torch.Tensor | None:
        """Instance noise σ_t = σ · max(0, 1 − t / T) per member, or None when every member's is 0."""
        if not self._any_noise:
            return None
        sig = [c.instance_noise * (max(0.0, 1 - self.iteration / c.instance_noise_anneal)
                                   if c.instance_noise_anneal else 1.0) for c in self.configs]
        if not any(s > 0 for s in sig):
            return None
        return torch.tensor(sig, device=self.device).reshape(-1, 1, 1)

    def _noisy(self, x: torch.Tensor, sigma: torch.Tensor | None, active) -> torch.Tensor:
        if sigma is None:
            return x
        mask = [bool(s > 0) and (active is None or active[i]) for i, s in enumerate(sigma.reshape(-1).tolist())]
        return x + sigma * self._draw("normal", tuple(x.shape[1:]), mask)

    # --- the two networks -----------------------------------------------------------------------
    def G(self, z: torch.Tensor, active: list[bool] | None = None) -> torch.Tensor:
        """G(z) as it trains (batch norm, if on, in train mode: the batch's statistics, running averages
        moved for the ``active`` members)."""
        return forward(z, self._g_layers, self._g_act, self._train_norm(self.g_bn, active))

    def _train_norm(self, bn: BatchNorm | None, active, track: bool = True, affine=None):
        if bn is None:
            return None
        mask = None
        if track:
            mask = 1.0 if active is None else self._mask(active).reshape(-1, 1, 1)
        return bn.train(mask, affine)

    def d_net(self, layers=None, members: slice = slice(None), update: bool = False):
        """D's layers as they act: the raw weights (or ``layers``), spectrally normalised when that is on
        (``update``: one more power-iteration step, once per D update)."""
        layers = layers if layers is not None else self._d_layers
        if self.cfg.spectral_norm:
            layers = stabilise.spectral(layers, [u[members] for u in self._sn_u], update)
        return layers

    def D(self, x: torch.Tensor, layers=None, batch_std: torch.Tensor | None = None, norm="train") -> torch.Tensor:
        """D's logit for x (N, m, 1) through ``layers`` as they act (default: ``d_net()``); with minibatch_std
        D also sees the batch's standard deviation. ``norm``: batch norm's mode when D has it ("train": the
        batch's statistics, no running update; or a BatchNorm callable)."""
        if self.cfg.minibatch_std:
            s = x.std(dim=1, keepdim=True) if batch_std is None else batch_std
            x = torch.cat((x, s.expand(-1, x.shape[1], -1)), dim=2)
        if isinstance(norm, str):
            norm = self._train_norm(self.d_bn, None, track=False)
        return forward(x, layers if layers is not None else self.d_net(), self._d_act, norm)

    def _d_pair(self, real: torch.Tensor, fake: torch.Tensor, layers, norm="train") -> tuple[torch.Tensor, torch.Tensor]:
        """D's logits on a real and a fake batch, in one pass (each batch keeps its own std feature; with batch
        norm each batch is normalised by its own statistics, as D(real) and D(fake) are separate calls in
        DCGAN-style training)."""
        m = real.shape[1]
        if self.cfg.minibatch_std or self.d_bn is not None:
            return self.D(real, layers, norm=norm), self.D(fake, layers, norm=norm)
        logits = forward(torch.cat((real, fake), dim=1), layers, self._d_act)
        return logits[:, :m], logits[:, m:]

    # --- Algorithm 1 ----------------------------------------------------------------------------
    def _d_loss(self, real, fake, layers, draw_active=None, norm="train") -> torch.Tensor:
        real_l, fake_l = self._d_pair(real, fake, layers, norm)
        loss = penalties.d_loss(real_l, fake_l, self.loss_ids, self.loss_specs, self.smoothing)
        critic = lambda x: self.D(x, layers)  # noqa: E731
        if self.gp is not None:
            alpha = self._draw("uniform", (real.shape[1], 1), draw_active)
            loss = loss + self.gp * penalties.gradient_penalty(critic, real, fake, alpha)
        if self.r1 is not None:
            loss = loss + self.r1 * penalties.r1_penalty(critic, real)
        return loss, real_l, fake_l

    def d_step(self, stats: bool = False, active: list[bool] | None = None) -> None:
        """One D update on a fresh minibatch: ascend log D(x) + log(1 − D(G(z)))."""
        m = self.cfg.batch_size
        sigma = self.noise_scale()
        real = self._noisy(self.sample_real(m, active), sigma, active)
        with torch.no_grad():
            fake = self.G(self.sample_z(m, active), active)
        fake = self._noisy(fake, sigma, active)
        norm = self._train_norm(self.d_bn, active) or "train"
        loss, real_l, fake_l = self._d_loss(real, fake, self.d_net(update=True), draw_active=active, norm=norm)
        grad = _flat_grad(loss.sum(), self._d_layers + self._d_affine)
        if stats:
            d_real = penalties.d_value(real_l.detach(), self.loss_ids, self.loss_specs)
            self._stats.update(loss_d=loss.detach(), d_real=d_real.mean(dim=(1, 2)), grad_norm_d=grad.norm(dim=1))
        self.opt_d.step(grad, None if active is None else self._mask(active))
        if self.clip is not None:
            stabilise.clip_(self.d_params, self.clip)
        self.d_updates += 1
        self.last_update = "D"

    def g_step(self, stats: bool = False, active: list[bool] | None = None) -> None:
        """One G update on fresh z: descend the chosen generator objective."""
        m = self.cfg.batch_size
        sigma = self.noise_scale()
        fake = self._noisy(self.G(self.sample_z(m, active), active), sigma, active)
        layers, norm = None, "train"
        if self.cfg.unrolled_steps:
            real = self._noisy(self.sample_real(m, active), sigma, active)
            layers, norm = self._unrolled_d(real, fake, self.cfg.unrolled_steps)
        fake_l = self.D(fake, layers, norm=norm)
        loss = penalties.g_loss(fake_l, self.loss_ids, self.loss_specs)
        grad = _flat_grad(loss.sum(), self._g_layers + self._g_affine)
        if stats:
            d_fake = penalties.d_value(fake_l.detach(), self.loss_ids, self.loss_specs)
            self._stats.update(loss_g=loss.detach(), d_fake=d_fake.mean(dim=(1, 2)), grad_norm_g=grad.norm(dim=1))
        self.opt_g.step(grad, None if active is None else self._mask(active))
        self.g_updates += 1
        self.last_update = "G"

    def _unrolled_d(self, real: torch.Tensor, fake: torch.Tensor, n: int):
        """D after n look-ahead updates on this batch, differentiable with respect to G (Metz et al. 2017):
        θd⁽ⁱ⁺¹⁾ = θd⁽ⁱ⁾ + U(∇θd L_D(θd⁽ⁱ⁾, G)) with U D's own optimizer continuing from its current state
        (Adam's moments), as in the paper; the real D is not changed."""
        params = self.d_params.detach().requires_grad_(True)
        state = self.opt_d.unroll_state()
        def norm_of(p):
            return self._train_norm(self.d_bn, None, track=False, affine=self.d_shape.norm_views(p)) or "train"
        for _ in range(n):
            layers = self.d_net(self.d_shape.views(params))
            loss, _, _ = self._d_loss(real.detach(), fake, layers, norm=norm_of(params))
            (grad,) = torch.autograd.grad(loss.sum(), params, create_graph=True)
            params, state = self.opt_d.lookahead(params, grad, state)
        return self.d_net(self.d_shape.views(params)), norm_of(params)

    def _mask(self, active: list[bool]) -> torch.Tensor:
        return torch.tensor(active, dtype=torch.float32, device=self.device)

    def update(self, stats: bool = False) -> str:
        """The next single update of Algorithm 1 (one of the k D steps, or one of the G steps); returns "D" or
        "G". Slow motion advances update by update; step() finishes the iteration under way."""
        top_d, top_g = max(self.k), max(self.g_k)
        j = self.phase
        if j < top_d:
            active = None if all(k > j for k in self.k) else [k > j for k in self.k]
            self.d_step(stats=stats or j == top_d - 1, active=active)
        else:
            j -= top_d
            active = None if all(k > j for k in self.g_k) else [k > j for k in self.g_k]
            self.g_step(stats=stats or j == top_g - 1, active=active)
        self.phase += 1
        if self.phase >= top_d + top_g:
            self.phase = 0
            self.iteration += 1
        return self.last_update

    def step(self, stats: bool = False) -> None:
        """One iteration: k = d_steps D updates, then g_steps G updates (members with a smaller k sit out)."""
        if self.phase:  # slow motion stopped mid-iteration: finish it
            while self.phase:
                self.update(stats)
            return
        top = max(self.k)
        for j in range(top):
            active = None if all(k > j for k in self.k) else [k > j for k in self.k]
            self.d_step(stats=stats and j == top - 1, active=active)
        top = max(self.g_k)
        for j in range(top):
            active = None if all(k > j for k in self.g_k) else [k > j for k in self.g_k]
            self.g_step(stats=stats and j == top - 1, active=active)
        self.iteration += 1

    def train(self, n: int) -> None:
        """n iterations; the last one records the stats that metrics() and snapshots read."""
        for i in range(n):
            self.step(stats=i == n - 1)

    # --- reading the state (syncs with the device) -----------------------------------------------
    def metrics_all(self) -> dict[str, np.ndarray]:
        """The latest stats of every member, (N,) arrays (NaN where not measured yet)."""
        out = {key: np.full(self.n, math.nan) for key in STAT_KEYS}
        if self._stats:
            keys = list(self._stats)
            values = torch.stack([self._stats[k].float().reshape(-1) for k in keys]).cpu().numpy()
            out.update({k: values[i].astype(np.float64) for i, k in enumerate(keys)})
        return out

    def stats_finite(self) -> bool:
        """Every stat measured so far is finite (syncs with the device)."""
        return not self._stats or bool(torch.isfinite(torch.stack([v.float().reshape(-1) for v in
                                                                    self._stats.values()])).all())

    def metrics(self, member: int = 0) -> dict[str, float]:
        """Member's latest stats as floats; raises DivergedError if any is NaN or infinite."""
        out = {k: float(v[member]) for k, v in self.metrics_all().items()}
        bad = [k for k in self._stats if not math.isfinite(out[k])]
        if bad:
            c = self.configs[member]
            raise DivergedError(
                f"training diverged at step {self.iteration}: {', '.join(bad)} became {out[bad[0]]} "
                f"(learning rates lr_d={c.lr_d:g}, lr_g={c.lr_g:g} may be too high)")
        return out

    def _member(self, member: int):
        """One member's D layers as they act (spectrally normalised if on, without a power-iteration step)."""
        raw = [(w[member:member + 1], b[member:member + 1]) for w, b in self._d_layers]
        return self.d_net(raw, slice(member, member + 1))

    @staticmethod
    def _eval_norm(bn: BatchNorm | None, member: int):
        """Batch norm as the figure evaluates a net: eval mode, the member's running averages."""
        return None if bn is None else bn.eval(slice(member, member + 1))

    @torch.no_grad()
    def pinned_share(self, member: int = 0) -> float:
        """With weight clipping: the share of the critic's weights (its W, b; γ, β too) at ±c — the clipped
        critic's lost capacity (Gulrajani et al. 2017, Fig. 1b); NaN without clipping."""
        if self.clip is None or not math.isfinite(float(self.clip[member])):
            return math.nan
        c = float(self.clip[member])
        return float((self.d_params[member].abs() >= 0.999 * c).float().mean())

    @torch.no_grad()
    def logit_of(self, x: np.ndarray, member: int = 0, batch_std: float | None = None) -> np.ndarray:
        """D's raw output (its logit, or an f-GAN's critic value v) on numpy points — (n,) in 1-D, (n, 2) in
        the plane — (with minibatch_std: as D sees it inside a batch of that std, per axis). The objective's
        ``d_value`` turns it into the figure's D(x)."""
        xt = torch.as_tensor(np.asarray(x, dtype=np.float32).reshape(1, -1, self.dim), device=self.device)
        s = None
        if self.cfg.minibatch_std:
            std = batch_std if batch_std is not None else self.target.mean_std()[1]
            s = torch.as_tensor(np.broadcast_to(np.asarray(std, dtype=np.float32), (self.dim,)).copy(),
                                device=self.device).reshape(1, 1, self.dim)
        out = self.D(xt, self._member(member), batch_std=s, norm=self._eval_norm(self.d_bn, member))
        return out.reshape(-1).cpu().numpy().astype(np.float64)

    def d_of(self, x: np.ndarray, member: int = 0) -> np.ndarray:
        """D(x) as the figure draws it (σ(logit) for the GAN objectives; see LossSpec.d_value)."""
        return losses.get(self.configs[member].g_loss).d_value(self.logit_of(x, member))

    @torch.no_grad()
    def g_of(self, z: np.ndarray, member: int = 0) -> np.ndarray:
        """G(z) for z of shape (n,) (z_dim 1) or (n, z_dim): (n,) for a 1-D target, (n, 2) in the plane."""
        z = np.asarray(z, dtype=np.float32)
        zt = torch.as_tensor(z.reshape(1, len(z), -1), device=self.device)
        layers = [(w[member:member + 1], b[member:member + 1]) for w, b in self._g_layers]
        out = forward(zt, layers, self._g_act, self._eval_norm(self.g_bn, member)).cpu().numpy().astype(np.float64)
        return out.reshape(-1) if self.dim == 1 else out.reshape(-1, self.dim)

    def side_z(self, n: int, seed: int = 12345) -> np.ndarray:
        """n draws of p_z from a fixed side stream (does not disturb the training streams)."""
        gen = torch.Generator().manual_seed(seed)
        shape = (n, self.z_dim)
        z = torch.rand(shape, generator=gen) * 2 - 1 if self.cfg.noise == "uniform" else torch.randn(shape, generator=gen)
        return z.numpy()

    def fake_probe(self, z: np.ndarray, member: int = 0) -> dict[str, np.ndarray]:
        """At fakes x = G(z): x, D's logit and D(x), and ∂logit/∂x, from which any G loss's push on each fake
        follows."""
        x = torch.as_tensor(self.g_of(z, member).astype(np.float32).reshape(1, -1, self.dim), device=self.device)
        x.requires_grad_(True)
        with torch.no_grad():
            layers = [(w.detach(), b.detach()) for w, b in self._member(member)]
        s = x.detach().std(dim=1, keepdim=True) if self.cfg.minibatch_std else None
        logit = self.D(x, layers, batch_std=s, norm=self._eval_norm(self.d_bn, member))
        (dlogit,) = torch.autograd.grad(logit.sum(), x)
        def np_(t: torch.Tensor) -> np.ndarray:
            a = t.detach().cpu().numpy().astype(np.float64)
            return a.reshape(-1) if a.shape[-1] == 1 else a.reshape(-1, a.shape[-1])
        return {"x": np_(x), "logit": np_(logit), "d": np_(torch.sigmoid(logit)), "dlogit": np_(dlogit)}

    # --- the whole state, for restarting from a recorded frame ------------------------------------
    def state(self, member: int = 0) -> dict:
        """Weights, optimizer state and random stream of one member, as CPU arrays (a few tens of KB)."""
        def opt(o: BatchedOptimizer) -> dict:
            return {"buf": o.buf[member].detach().cpu().numpy().copy(),
                    "sq": None if o.sq is None else o.sq[member].detach().cpu().numpy().copy(),
                    "t": float(o.t[member]), "steps": o.steps, "kind": o.kind}
        return {"G": self.g_params[member].detach().cpu().numpy().copy(),
                "D": self.d_params[member].detach().cpu().numpy().copy(),
                "opt_d": opt(self.opt_d), "opt_g": opt(self.opt_g),
                "rng": self.generators[member].get_state().numpy().copy(),
                "bn": [None if bn is None else bn.buffers(member) for bn in (self.g_bn, self.d_bn)],
                "iteration": self.iteration, "d_updates": self.d_updates, "g_updates": self.g_updates}

    def load_state(self, state: dict) -> None:
        """Continue a single run from a recorded state (with today's knobs)."""
        if self.n != 1:
            raise ConfigError("only a single run can restart from a recorded state")
        g, d = np.asarray(state["G"]), np.asarray(state["D"])
        if g.size != self.g_params.shape[1] or d.size != self.d_params.shape[1]:
            raise ConfigError("the recorded weights do not fit the current networks (their shape changed)")
        with torch.no_grad():
            self.g_params[0].copy_(torch.as_tensor(g, device=self.device))
            self.d_params[0].copy_(torch.as_tensor(d, device=self.device))
        for o, s in ((self.opt_d, state["opt_d"]), (self.opt_g, state["opt_g"])):
            if s["kind"] == o.kind:
                o.buf[0].copy_(torch.as_tensor(s["buf"], device=self.device))
                if o.sq is not None and s["sq"] is not None:
                    o.sq[0].copy_(torch.as_tensor(s["sq"], device=self.device))
                o.t[0], o.steps = s["t"], s["steps"]
        self.generators[0].set_state(torch.as_tensor(state["rng"], dtype=torch.uint8))
        for bn, saved in zip((self.g_bn, self.d_bn), state.get("bn", (None, None))):
            if bn is not None and saved is not None:
                bn.load(0, saved)
        self.iteration, self.d_updates, self.g_updates = state["iteration"], state["d_updates"], state["g_updates"]
        self.phase = 0
        self._stats = {}
