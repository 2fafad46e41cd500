"""ganviz: watch a 1D GAN train, live, as Figure 1 of Goodfellow et al. (2014)."""

__version__ = "0.2.0"
