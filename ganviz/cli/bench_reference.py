"""The reference the trainer is measured against: the same nets and game written the usual way, after
PyTorch's examples/dcgan/main.py — nn.Sequential, nn.BCELoss on sigmoid outputs, label tensors made each step,
torch.optim (Adam or SGD with momentum, as the config says), zero_grad / backward / step, and the losses and D
outputs read with .item() every iteration."""

from __future__ import annotations

import torch
from torch import nn

from ganviz.config import TrainConfig
from ganviz.core.nets import MLP


class ReferenceGAN:
    def __init__(self, cfg: TrainConfig):
        torch.manual_seed(cfg.seed)
        self.cfg = cfg
        self.G = MLP(cfg.noise_dim, cfg.g_layers, cfg.g_width, cfg.g_activation).module()
        self.D = nn.Sequential(MLP(1, cfg.d_layers, cfg.d_width, cfg.d_activation).module(), nn.Sigmoid())
        self.criterion = nn.BCELoss()
        if cfg.optimizer == "sgd":
            make = lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=cfg.momentum)  # noqa: E731
        else:
            make = lambda params, lr: torch.optim.Adam(params, lr=lr, betas=(cfg.beta1, cfg.beta2))  # noqa: E731
        self.opt_d, self.opt_g = make(self.D.parameters(), cfg.lr_d), make(self.G.parameters(), cfg.lr_g)

    def noise(self, m: int) -> torch.Tensor:
        if self.cfg.noise == "uniform":
            return torch.rand(m, self.cfg.noise_dim) * 2 - 1
        return torch.randn(m, self.cfg.noise_dim)

    def step(self) -> dict:
        cfg, m = self.cfg, self.cfg.batch_size
        # (1) update D: maximize log(D(x)) + log(1 - D(G(z)))
        self.D.zero_grad()
        real = torch.randn(m, 1) * cfg.target_std + cfg.target_mean
        label = torch.full((m, 1), 1.0)
        output = self.D(real)
        err_d_real = self.criterion(output, label)
        err_d_real.backward()
        d_x = output.mean().item()
        fake = self.G(self.noise(m))
        label.fill_(0.0)
        output = self.D(fake.detach())
        err_d_fake = self.criterion(output, label)
        err_d_fake.backward()
        d_g_z1 = output.mean().item()
        err_d = err_d_real + err_d_fake
        self.opt_d.step()
        # (2) update G: maximize log(D(G(z)))
        self.G.zero_grad()
        label.fill_(1.0)
        output = self.D(fake)
        err_g = self.criterion(output, label)
        err_g.backward()
        d_g_z2 = output.mean().item()
        self.opt_g.step()
        return {"loss_d": err_d.item(), "loss_g": err_g.item(), "d_x": d_x, "d_g_z1": d_g_z1, "d_g_z2": d_g_z2}
