import torch

from ganviz.config import TrainConfig
from ganviz.core.losses import d_loss, g_loss_fn
from ganviz.core.trainer import Trainer


def test_losses_stay_finite_at_extreme_logits():
    logits = torch.tensor([[-200.0], [0.0], [200.0]], requires_grad=True)
    for kind in ("saturating", "non_saturating", "least_squares", "wasserstein_gp"):
        loss = g_loss_fn(logits, kind) + d_loss(logits, logits, kind)
        (grad,) = torch.autograd.grad(loss, logits)
        assert torch.isfinite(loss) and torch.all(torch.isfinite(grad)), kind


def test_d_loss_is_log4_for_a_clueless_discriminator():
    zero = torch.zeros(8, 1)
    assert d_loss(zero, zero, "non_saturating").item() == torch.log(torch.tensor(4.0)).item()


def test_non_saturating_gradient_is_10x_stronger_when_d_rejects_fakes():
    """The paper's §3: early on D rejects G's samples and log(1 − D(G(z))) saturates."""
    cfg = TrainConfig(target_mean=4.0, target_std=0.3, seed=1, batch_size=256)
    trainer = Trainer(cfg)
    for _ in range(400):  # a strong D: G's samples (near 0) are confidently fake
        trainer.d_step()
    metrics = {}
    for kind in ("saturating", "non_saturating"):
        z = trainer.sample_z(1024)
        fake_logits = trainer.D(trainer.G(z))
        trainer.G.zero_grad()
        g_loss_fn(fake_logits, kind).backward()
        metrics[kind] = torch.linalg.vector_norm(
            torch.stack([p.grad.norm() for p in trainer.G.parameters()])).item()
        d_fake = torch.sigmoid(fake_logits).mean().item()
    assert d_fake < 0.05
    assert metrics["non_saturating"] >= 10 * metrics["saturating"]
