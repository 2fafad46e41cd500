"""The objectives' table (ganviz/losses.py): each formula, written once, trains with torch and draws with numpy."""

import math

import numpy as np
import pytest
import torch

from ganviz import losses
from ganviz.config import TrainConfig
from ganviz.core import penalties
from ganviz.core.trainer import Trainer

NAMES = list(losses.LOSSES)


def specs(*names):
    return [losses.get(n) for n in names]


@pytest.mark.parametrize("name", NAMES)
def test_losses_stay_finite_at_extreme_logits(name):
    logits = torch.tensor([[[-200.0], [0.0], [200.0]]], requires_grad=True)
    ids = torch.tensor([0])
    loss = penalties.g_loss(logits, ids, specs(name)) + penalties.d_loss(logits, logits, ids, specs(name))
    (grad,) = torch.autograd.grad(loss.sum(), logits)
    assert torch.isfinite(loss).all() and torch.isfinite(grad).all()


@pytest.mark.parametrize("name", NAMES)
def test_the_numpy_and_the_torch_formula_agree(name):
    spec = losses.get(name)
    l = np.linspace(-30, 30, 61)
    for f in (spec.d_real, spec.d_fake, spec.g_fake):
        np.testing.assert_allclose(f(l, losses.NUMPY), f(torch.tensor(l), penalties.TORCH).numpy(), rtol=1e-9)


def test_d_loss_is_log4_for_a_clueless_discriminator():
    zero = torch.zeros(1, 8, 1)
    loss = penalties.d_loss(zero, zero, torch.tensor([0]), specs("non_saturating"))
    assert loss.item() == pytest.approx(math.log(4.0))


def test_members_with_different_losses_each_get_their_own_formula():
    fake = torch.randn(3, 16, 1)
    names = ("saturating", "non_saturating", "least_squares")
    mixed = penalties.g_loss(fake, torch.tensor([0, 1, 2]), specs(*names))
    for i, name in enumerate(names):
        alone = penalties.g_loss(fake[i:i + 1], torch.tensor([0]), specs(name))
        assert torch.allclose(mixed[i], alone[0])


def test_label_smoothing_moves_the_real_target():
    real, fake = torch.full((1, 4, 1), 3.0), torch.zeros(1, 4, 1)
    plain = penalties.d_loss(real, fake, torch.tensor([0]), specs("non_saturating"))
    smooth = penalties.d_loss(real, fake, torch.tensor([0]), specs("non_saturating"), smoothing=torch.tensor([0.2]))
    assert smooth > plain  # an over-confident D(real) ≈ 0.95 is now penalised


def test_the_push_is_the_gradient_g_descends():
    """The arrows at the fakes are −∂ℓ_G/∂x, from the same formula G trains with."""
    l = torch.linspace(-4, 4, 9, dtype=torch.float64, requires_grad=True)
    for name in NAMES:
        spec = losses.get(name)
        (dl,) = torch.autograd.grad(spec.g_fake(l, penalties.TORCH).sum(), l)
        dlogit = np.full(9, 0.7)  # ∂l/∂x
        np.testing.assert_allclose(spec.push(l.detach().numpy(), dlogit), -dl.numpy() * 0.7, rtol=1e-6)


def test_non_saturating_gradient_is_10x_stronger_when_d_rejects_fakes():
    """The paper's §3: early on D rejects G's samples and log(1 − D(G(z))) saturates."""
    trainer = Trainer(TrainConfig(target_mean=4.0, target_std=0.3, seed=1))
    for _ in range(400):  # a strong D: G's samples (near 0) are confidently fake
        trainer.d_step()
    norms = {}
    z = trainer.sample_z(1024)
    for name in ("saturating", "non_saturating"):
        fake_logits = trainer.D(trainer.G(z))
        loss = penalties.g_loss(fake_logits, torch.tensor([0]), specs(name))
        (grad,) = torch.autograd.grad(loss.sum(), trainer.g_params)
        norms[name] = grad.norm().item()
        d_fake = torch.sigmoid(fake_logits).mean().item()
    assert d_fake < 0.05
    assert norms["non_saturating"] >= 10 * norms["saturating"]


def test_a_loss_registered_outside_the_package_is_a_valid_choice_and_trains():
    toy = losses.LossSpec("toy_hinge", "toy hinge", "D descends relu(1 − l) + relu(1 + l), G descends −l",
                          d_real=lambda l, xp: xp.softplus(10 * (1 - l)) / 10,
                          d_fake=lambda l, xp: xp.softplus(10 * (1 + l)) / 10, g_fake=lambda l, xp: -l)
    losses.register(toy)
    try:
        cfg = TrainConfig(steps=20).replace(g_loss="toy_hinge")
        trainer = Trainer(cfg)
        before = trainer.g_params.detach().clone()
        trainer.train(20)
        assert not torch.equal(before, trainer.g_params.detach())
        assert "toy_hinge" in TrainConfig.spec("g_loss")["choices"]
    finally:
        losses.LOSSES.pop("toy_hinge")
