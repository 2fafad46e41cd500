import math

import torch

from ganviz.config import TrainConfig
from ganviz.core import losses
from ganviz.core.trainer import Trainer

ALL = (losses.SATURATING, losses.NON_SATURATING, losses.LEAST_SQUARES, losses.WASSERSTEIN)


def test_losses_stay_finite_at_extreme_logits():
    logits = torch.tensor([[[-200.0], [0.0], [200.0]]], requires_grad=True)
    for kind in ALL:
        ids = torch.tensor([kind])
        loss = losses.g_loss(logits, ids, (kind,)) + losses.d_loss(logits, logits, ids, (kind,))
        (grad,) = torch.autograd.grad(loss.sum(), logits)
        assert torch.isfinite(loss).all() and torch.isfinite(grad).all(), kind


def test_d_loss_is_log4_for_a_clueless_discriminator():
    zero = torch.zeros(1, 8, 1)
    loss = losses.d_loss(zero, zero, torch.tensor([1]), (1,))
    assert loss.item() == torch.tensor(math.log(4.0)).item()


def test_members_with_different_losses_each_get_their_own_formula():
    fake = torch.randn(3, 16, 1)
    ids = torch.tensor([0, 1, 2])
    mixed = losses.g_loss(fake, ids, (0, 1, 2))
    for i, kind in enumerate((0, 1, 2)):
        alone = losses.g_loss(fake[i:i + 1], torch.tensor([kind]), (kind,))
        assert torch.allclose(mixed[i], alone[0])


def test_label_smoothing_moves_the_real_target():
    real, fake = torch.full((1, 4, 1), 3.0), torch.zeros(1, 4, 1)
    plain = losses.d_loss(real, fake, torch.tensor([1]), (1,))
    smooth = losses.d_loss(real, fake, torch.tensor([1]), (1,), smoothing=torch.tensor([0.2]))
    assert smooth > plain  # an over-confident D(real) ≈ 0.95 is now penalised


def test_non_saturating_gradient_is_10x_stronger_when_d_rejects_fakes():
    """The paper's §3: early on D rejects G's samples and log(1 − D(G(z))) saturates."""
    trainer = Trainer(TrainConfig(target_mean=4.0, target_std=0.3, seed=1))
    for _ in range(400):  # a strong D: G's samples (near 0) are confidently fake
        trainer.d_step()
    norms = {}
    z = trainer.sample_z(1024)
    for kind in (losses.SATURATING, losses.NON_SATURATING):
        fake_logits = trainer.D(trainer.G(z))
        loss = losses.g_loss(fake_logits, torch.tensor([kind]), (kind,))
        (grad,) = torch.autograd.grad(loss.sum(), trainer.g_params)
        norms[kind] = grad.norm().item()
        d_fake = torch.sigmoid(fake_logits).mean().item()
    assert d_fake < 0.05
    assert norms[losses.NON_SATURATING] >= 10 * norms[losses.SATURATING]
