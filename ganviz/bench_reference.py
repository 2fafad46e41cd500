"""The reference the trainer is measured against: the same nets and game written the usual way, after
PyTorch's examples/dcgan/main.py — nn.Module, nn.BCELoss on sigmoid outputs, label tensors made each step,
Adam, zero_grad / backward / step, and the losses and D outputs read with .item() every iteration."""

from __future__ import annotations

import torch
from torch import nn

from ganviz.config import TrainConfig
from ganviz.core.nets import make_discriminator, make_generator


class ReferenceGAN:
    def __init__(self, cfg: TrainConfig):
        torch.manual_seed(cfg.seed)
        self.cfg = cfg
        self.G = make_generator(cfg.noise_dim, cfg.g_layers, cfg.g_width, cfg.g_activation)
        self.D = nn.Sequential(make_discriminator(cfg.d_layers, cfg.d_width, cfg.d_activation), nn.Sigmoid())
        self.criterion = nn.BCELoss()
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2))
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, cfg.beta2))

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
        noise = torch.randn(m, cfg.noise_dim)
        fake = self.G(noise)
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
