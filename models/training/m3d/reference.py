"""The oxidation-state graph with a reference channel: one graph, two ensembles, chosen per spectrum by `known`.

Second graph input `edge_shift` [batch, 2] = (c, known): c = E0 of the reference-calibrated spectrum - tabulated K
edge (eV) and known = 1 for a spectrum recorded with a reference foil; (0, 0) without one. Rows with known = 0 get the
shape ensemble (the served input only, as before m3d 1.7.0), rows with known = 1 the reference ensemble (the served
input and c, per-element members, their own temperature). known must be exactly 0 or 1: the graph blends
p0 + known (p1 - p0), so that it needs no operator beyond arithmetic."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

EDGE_SHIFT = "edge_shift"
EDGE_SHIFT_WIDTH = 2
DEFINITION = ("[c, known]: c = E0 of the reference-calibrated spectrum - tabulated K edge (eV), known = 1, for a "
              "spectrum calibrated by its reference-foil channel; [0, 0] for any other spectrum")


def _c(a):
    return torch.tensor(np.asarray(a, dtype=np.float32))


class FusedReferenceClassifier(nn.Module):
    """(spectrum, edge_shift) -> probabilities, their std over members, ood_score (of the spectrum, as the shape
    classifier computes it)."""

    def __init__(self, shape, members, x_mean, x_std, c_mean, c_std, temperature):
        super().__init__()
        self.shape = shape
        self.members = nn.ModuleList(members)
        self.register_buffer("x_mean", _c(x_mean))
        self.register_buffer("x_std", _c(x_std))
        self.register_buffer("c_mean", _c(np.reshape(c_mean, (1,))))
        self.register_buffer("c_std", _c(np.reshape(c_std, (1,))))
        self.register_buffer("inv_t", _c([1.0 / temperature]))

    def forward(self, spectrum, edge_shift=None):
        p0, s0, ood = self.shape(spectrum)
        if edge_shift is None:
            return p0, s0, ood
        x = (spectrum - self.x_mean) / self.x_std
        c = (edge_shift[:, 0:1] - self.c_mean) / self.c_std
        known = edge_shift[:, 1:2]
        xc = torch.cat([x, c], 1)
        p = torch.stack([torch.softmax(m(xc) * self.inv_t, dim=1) for m in self.members])
        p1 = p.mean(0)
        s1 = torch.sqrt(((p - p1) ** 2).mean(0))
        return p0 + known * (p1 - p0), s0 + known * (s1 - s0), ood


def edge_shift_rows(c, known=True):
    """[n, 2] float32 edge_shift input for edge positions c (known) or for none (zeros)."""
    c = np.asarray(c, np.float64)
    if not known:
        return np.zeros((len(c), EDGE_SHIFT_WIDTH), np.float32)
    return np.stack([c, np.ones_like(c)], 1).astype(np.float32)
