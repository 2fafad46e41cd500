"""Drawing with Qt and pyqtgraph, no windows: the figure's panel, its style and its axis policy.
Used by the live window (ui/) and by the offscreen renderer of exports (export/)."""
