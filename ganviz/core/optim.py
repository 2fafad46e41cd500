"""The one hand-written optimizer: Adam, SGD with momentum or RMSProp on flat parameter rows, one row per member.

torch.optim takes one learning rate per parameter group; a sweep needs one per member (and one β1, one
momentum, and members that sit out an update when their k is smaller). Written out here with the same
operations, in the same order, as torch.optim's for-each Adam and SGD, so a member follows torch.optim step
for step (the tests check it against torch.optim directly).
"""

from __future__ import annotations

import torch

RMSPROP_ALPHA = 0.99  # torch.optim.RMSprop's default smoothing constant


class BatchedOptimizer:
    """``kind`` "adam", "sgd" or "rmsprop"; ``lr``, ``beta1``, ``momentum`` are (N,) tensors, ``beta2`` one float."""

    def __init__(self, kind: str, param: torch.Tensor, lr: torch.Tensor, beta1: torch.Tensor,
                 beta2: float, momentum: torch.Tensor, eps: float = 1e-8):
        self.kind, self.param, self.eps = kind, param, eps
        self.set_rates(lr, beta1, beta2, momentum)
        self.buf = torch.zeros_like(param)  # Adam's m, or SGD's momentum buffer
        self.sq = torch.zeros_like(param) if kind in ("adam", "rmsprop") else None  # Adam's v, RMSProp's s
        self.t = torch.zeros(param.shape[0], dtype=param.dtype, device=param.device)  # updates per member
        self.steps = 0  # updates of the whole batch (equals every t when nobody sat out)
        self._masked_before = False

    def set_rates(self, lr: torch.Tensor, beta1: torch.Tensor, beta2: float, momentum: torch.Tensor) -> None:
        """New per-member rates (knobs turned live); the state is kept."""
        self.lr, self.beta1, self.beta2, self.momentum = lr, beta1, beta2, momentum
        # a single run keeps them as Python floats too: scalar arguments instead of tensor ops on the hot path
        self._one = (float(lr[0]), float(beta1[0]), float(momentum[0])) if lr.shape[0] == 1 else None

    @torch.no_grad()
    def step(self, grad: torch.Tensor, mask: torch.Tensor | None = None) -> None:
        """One update; members with mask 0 keep their parameters and state."""
        if mask is not None:
            self._masked(grad, mask)
            return
        self.steps += 1
        self.t += 1
        if self.kind == "adam":
            self._adam(grad)
        elif self.kind == "rmsprop":
            self._rmsprop(grad)
        else:
            self._sgd(grad)

    def _adam(self, g: torch.Tensor) -> None:
        p, m, v, n = self.param, self.buf, self.sq, self.t.shape[0]
        if self._one is not None:  # one member, never masked: t is the step count
            lr, beta1, _ = self._one
            m.lerp_(g, 1 - beta1)  # m ← β1 m + (1 − β1) g
            v.mul_(self.beta2).addcmul_(g, g, value=1 - self.beta2)  # v ← β2 v + (1 − β2) g²
            t = float(self.t[0]) if self._masked_before else self.steps
            bias1 = 1 - beta1 ** t
            bias2_sqrt = (1 - self.beta2 ** t) ** 0.5
            denom = (v.sqrt() / bias2_sqrt).add_(self.eps)
            p.addcdiv_(m, denom, value=-lr / bias1)
            return
        m.lerp_(g, (1 - self.beta1).reshape(n, 1))  # m ← β1 m + (1 − β1) g
        v.mul_(self.beta2).addcmul_(g, g, value=1 - self.beta2)  # v ← β2 v + (1 − β2) g²
        bias1 = 1 - self.beta1 ** self.t
        bias2_sqrt = torch.sqrt(1 - self.beta2 ** self.t)
        denom = (v.sqrt() / bias2_sqrt.reshape(n, 1)).add_(self.eps)
        p.sub_(m / denom * (self.lr / bias1).reshape(n, 1))  # θ ← θ − η m̂ / (√v̂ + ε)

    def _rmsprop(self, g: torch.Tensor) -> None:
        """torch.optim.RMSprop with its defaults (α = 0.99, ε = 1e-8, no momentum): s ← α s + (1 − α) g²,
        θ ← θ − η g / (√s + ε) — the WGAN paper's optimizer."""
        p, s, n = self.param, self.sq, self.t.shape[0]
        s.mul_(RMSPROP_ALPHA).addcmul_(g, g, value=1 - RMSPROP_ALPHA)
        denom = s.sqrt().add_(self.eps)
        if self._one is not None:
            p.addcdiv_(g, denom, value=-self._one[0])
        else:
            p.sub_(g / denom * self.lr.reshape(n, 1))

    def _sgd(self, g: torch.Tensor) -> None:
        p, buf, n = self.param, self.buf, self.t.shape[0]
        if self.steps == 1:
            buf.copy_(g)  # torch.optim.SGD: the first momentum buffer is the gradient itself
        elif self._one is not None:
            buf.mul_(self._one[2]).add_(g)
        else:
            buf.mul_(self.momentum.reshape(n, 1)).add_(g)  # v ← μ v + g
        if self._one is not None:
            p.add_(buf, alpha=-self._one[0])
        else:
            p.sub_(buf * self.lr.reshape(n, 1))  # θ ← θ − η v

    def _masked(self, g: torch.Tensor, mask: torch.Tensor) -> None:
        """The update for the members with mask 1 only (others unchanged), via a copy of the state."""
        self._masked_before = True
        keep = mask.bool().reshape(-1, 1)
        before = (self.param.clone(), self.buf.clone(), None if self.sq is None else self.sq.clone())
        t_before = self.t.clone()
        first = self.t == 0
        self.t += mask
        if self.kind == "adam":
            self._adam(g)
        elif self.kind == "rmsprop":
            self._rmsprop(g)
        else:
            n = self.t.shape[0]
            new_buf = torch.where(first.reshape(n, 1), g, self.buf * self.momentum.reshape(n, 1) + g)
            self.buf.copy_(new_buf)
            self.param.sub_(self.buf * self.lr.reshape(n, 1))
        self.param.copy_(torch.where(keep, self.param, before[0]))
        self.buf.copy_(torch.where(keep, self.buf, before[1]))
        if self.sq is not None:
            self.sq.copy_(torch.where(keep, self.sq, before[2]))
        self.t.copy_(torch.where(mask.bool(), self.t, t_before))
        self.steps += 1

    def unroll_state(self) -> tuple:
        """The optimizer's state as the start of a look-ahead (detached copies; nothing here changes)."""
        return (self.buf.detach().clone(), None if self.sq is None else self.sq.detach().clone(), self.t.clone(),
                self.steps)

    def lookahead(self, p: torch.Tensor, g: torch.Tensor, state: tuple) -> tuple[torch.Tensor, tuple]:
        """One update of this optimizer as a differentiable function of (p, g): the unrolled D of Metz et al.
        (2017), who unroll D with its own optimizer — Adam continuing from its current moments. Nothing is
        changed in place; returns the new parameters and state."""
        buf, sq, t, steps = state
        n = p.shape[0]
        lr = self.lr.reshape(n, 1)
        t = t + 1
        if self.kind == "adam":
            b1 = self.beta1.reshape(n, 1)
            buf = b1 * buf + (1 - b1) * g
            sq = self.beta2 * sq + (1 - self.beta2) * g * g
            bias1 = (1 - self.beta1 ** t).reshape(n, 1)
            bias2 = torch.sqrt(1 - self.beta2 ** t).reshape(n, 1)
            p = p - lr * (buf / bias1) / (torch.sqrt(sq + 1e-20) / bias2 + self.eps)  # (+1e-20: √ has a
        elif self.kind == "rmsprop":  # finite gradient at 0)
            sq = RMSPROP_ALPHA * sq + (1 - RMSPROP_ALPHA) * g * g
            p = p - lr * g / (torch.sqrt(sq + 1e-20) + self.eps)
        else:
            buf = g if steps == 0 else self.momentum.reshape(n, 1) * buf + g
            p = p - lr * buf
        return p, (buf, sq, t, steps + 1)

    def state(self) -> dict:
        return {"buf": self.buf.clone(), "sq": None if self.sq is None else self.sq.clone(), "t": self.t.clone(),
                "steps": self.steps}

    def load_state(self, state: dict) -> None:
        self.buf.copy_(state["buf"])
        if self.sq is not None and state.get("sq") is not None:
            self.sq.copy_(state["sq"])
        self.t.copy_(state["t"])
        self.steps = int(state["steps"])
        self._masked_before = True  # t may differ from steps: read it
