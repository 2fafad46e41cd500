"""Shipped data of ganviz (presets, data sets, icons); installed as the package ``ganviz.resources``."""
