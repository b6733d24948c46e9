"""Ensemble fusion into ONE torch Module per task (standardisation, all members, mean/std, calibration scale,
OOD score) and its ONNX export (opset 17, dynamic batch axis)."""
import numpy as np
import torch
from torch import nn

OPSET = 17


def _c(a):
    return torch.tensor(np.asarray(a, dtype=np.float32))


class FusedPDF(nn.Module):
    """spectrum [B, n_grid] -> pdf_mean, pdf_std [B, 32], distance_mean, distance_std [B, 1], ood_score [B, 1].
    total variance = mean over members of the aleatoric variance + variance of the member means (population);
    std multiplied by a scalar calibration factor per output (fitted on validation)."""

    def __init__(self, members, x_mean, x_std, g_mean, g_std, d_mean, d_std, g_scale, d_scale, ood):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.register_buffer("x_mean", _c(x_mean))
        self.register_buffer("x_std", _c(x_std))
        self.register_buffer("g_mean", _c(g_mean))
        self.register_buffer("g_std", _c(np.asarray(g_std) * g_scale))
        self.register_buffer("g_unit", _c(g_std))
        self.register_buffer("d_mean", _c(np.reshape(d_mean, (1,))))
        self.register_buffer("d_unit", _c(np.reshape(d_std, (1,))))
        self.register_buffer("d_std", _c(np.reshape(d_std, (1,)) * d_scale))
        self.ood = OODScore(*ood)

    def forward(self, spectrum):
        x = (spectrum - self.x_mean) / self.x_std
        gm, gv, dm, dv = [], [], [], []
        for m in self.members:
            a, b, c, d = m(x)
            gm.append(a); gv.append(b); dm.append(c); dv.append(d)
        gm, gv, dm, dv = torch.stack(gm), torch.stack(gv), torch.stack(dm), torch.stack(dv)
        g_mu = gm.mean(0)
        d_mu = dm.mean(0)
        g_var = gv.mean(0) + ((gm - g_mu) ** 2).mean(0)
        d_var = dv.mean(0) + ((dm - d_mu) ** 2).mean(0)
        return (g_mu * self.g_unit + self.g_mean, torch.sqrt(g_var) * self.g_std,
                d_mu * self.d_unit + self.d_mean, torch.sqrt(d_var) * self.d_std, self.ood(x))


class OODScore(nn.Module):
    """Mahalanobis-type distance of the standardised input to the training inputs: PCA whitening on the top k
    components plus the residual outside them, sqrt((sum z_i^2 / lambda_i + |r|^2 / mean residual power) / (k+1))."""

    def __init__(self, mean, components, variances, residual_power):
        super().__init__()
        self.register_buffer("mean", _c(mean))
        self.register_buffer("w", _c(components.T / np.sqrt(variances)[None, :]))   # [n, k]
        self.register_buffer("p", _c(components))                                      # [k, n]
        self.register_buffer("inv_res", _c([1.0 / residual_power]))
        self.k1 = float(components.shape[0] + 1)

    def forward(self, x):
        c = x - self.mean
        z = c @ self.w
        r = c - (c @ self.p.T) @ self.p
        s = (z * z).sum(1, keepdim=True) + (r * r).sum(1, keepdim=True) * self.inv_res
        return torch.sqrt(s / self.k1)


def fit_ood(xs_std, k=20):
    """PCA on standardised training inputs (numpy float64). Returns the OODScore arguments."""
    mean = xs_std.mean(0)
    c = xs_std - mean
    u, s, vt = np.linalg.svd(c, full_matrices=False)
    var = s ** 2 / (len(c) - 1)
    comps = vt[:k]
    r = c - (c @ comps.T) @ comps
    res_power = float((r ** 2).sum(1).mean())
    return mean, comps, var[:k], res_power


class FusedClassifier(nn.Module):
    """spectrum [B, n] -> probabilities [B, C] (mean over members of softmax(logits / T), temperature from
    validation), their population std over members, and ood_score [B, 1] (OODScore of the standardised input)."""

    def __init__(self, members, x_mean, x_std, temperature, ood):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.register_buffer("x_mean", _c(x_mean))
        self.register_buffer("x_std", _c(x_std))
        self.register_buffer("inv_t", _c([1.0 / temperature]))
        self.ood = OODScore(*ood)

    def forward(self, spectrum):
        x = (spectrum - self.x_mean) / self.x_std
        p = torch.stack([torch.softmax(m(x) * self.inv_t, dim=1) for m in self.members])
        mean = p.mean(0)
        return mean, torch.sqrt(((p - mean) ** 2).mean(0)), self.ood(x)


def export(module, n_grid, path, output_names, extra_inputs=()):
    """ONNX graph of `module` with input `spectrum` [batch, n_grid] and, after it, each (name, width) of
    extra_inputs as a [batch, width] input; every input and output has a dynamic batch axis."""
    module.eval()
    dummy = (torch.zeros(2, n_grid, dtype=torch.float32),) + tuple(
        torch.zeros(2, w, dtype=torch.float32) for _, w in extra_inputs)
    inputs = ["spectrum"] + [n for n, _ in extra_inputs]
    axes = {n: {0: "batch"} for n in inputs + list(output_names)}
    torch.onnx.export(module, dummy if len(dummy) > 1 else dummy[0], path, input_names=inputs,
                      output_names=list(output_names), dynamic_axes=axes, opset_version=OPSET,
                      do_constant_folding=True)
