"""fe-k-pdf 1.2.0: the served estimator is a blend of the bootstrap ensemble and the nearest training spectrum.

Why: the set holds many near-duplicate complexes, where the nearest training spectrum's G2 curve is almost exact,
and elsewhere the network is better (the card's WHY_KNN); the ensemble alone stays above the kNN baseline on the
pseudo-PDF (issue 33). A blend w * kNN + (1 - w) * ensemble, one w per output chosen on validation, keeps both
regimes. Its uncertainty: std = s * sqrt(ensemble std^2 + (kNN - ensemble)^2), the disagreement of the two answers
added to the ensemble's own spread, with s fitted on validation for 95 % two-sigma coverage (`pipeline.fit_scale`).

Choices and the scale are made with the training part as the index and the validation part as queries; the served
graph searches every one of the 4,079 published training pairs (training and validation parts), as the Java kNN
baseline does. The index (model inputs, G2 curves, distances of those pairs) is therefore inside the ONNX graph: the
graph is derived from the GPL-3 XANESNET data like the member weights are (model card, provenance)."""
import numpy as np
import torch
from torch import nn

from . import metrics as M

W_GRID = np.round(np.linspace(0.0, 1.0, 21), 2)
ENSEMBLE_OUTPUTS = ("ensemble_pdf_mean", "ensemble_pdf_std", "ensemble_distance_mean", "ensemble_distance_std")


def nearest(x_index, x_query):
    """Index of the nearest index row (squared Euclidean, as the kNN baseline) for each query row."""
    d2 = (x_query ** 2).sum(1)[:, None] + (x_index ** 2).sum(1)[None, :] - 2 * x_query @ x_index.T
    return np.argmin(d2, 1)


def blended(ens_mean, ens_std, knn, w, s):
    """Mean and std of the blend (numpy twin of BlendedPDF's arithmetic)."""
    mean = w * knn + (1 - w) * ens_mean
    return mean, s * np.sqrt(ens_std ** 2 + (knn - ens_mean) ** 2)


def choose(ref, ens, knn, fit_scale):
    """w for the G2 curve (median PDF (a)) and for the distance (MAE) on validation, then each std scale.
    ens: dict g2, g2_std, dist, dist_std of the ensemble; knn: dict g2, dist of the nearest training pair."""
    def pdf_err(w):
        return float(np.median(M.pdf_errors(ref["g2"], w * knn["g2"] + (1 - w) * ens["g2"])[0]))

    def dist_err(w):
        return float(np.mean(np.abs(w * knn["dist"] + (1 - w) * ens["dist"] - ref["dist"])))

    w_g = float(W_GRID[int(np.argmin([pdf_err(w) for w in W_GRID]))])
    w_d = float(W_GRID[int(np.argmin([dist_err(w) for w in W_GRID]))])
    g, gs = blended(ens["g2"], ens["g2_std"], knn["g2"], w_g, 1.0)
    d, ds = blended(ens["dist"], ens["dist_std"], knn["dist"], w_d, 1.0)
    s_g, s_d = fit_scale(ref["g2"], g, gs), fit_scale(ref["dist"], d, ds)
    return {"w_pdf": w_g, "w_distance": w_d, "pdf_std_scale": s_g, "distance_std_scale": s_d,
            "validation": {"pdf_a_median": pdf_err(w_g), "dist_mae": dist_err(w_d),
                           "pdf_coverage_2sigma": M.coverage(ref["g2"], g, gs * s_g),
                           "dist_coverage_2sigma": M.coverage(ref["dist"], d, ds * s_d),
                           "ensemble_pdf_a_median": pdf_err(0.0), "knn_pdf_a_median": pdf_err(1.0),
                           "ensemble_dist_mae": dist_err(0.0), "knn_dist_mae": dist_err(1.0)}}


class BlendedPDF(nn.Module):
    """spectrum -> pdf_mean, pdf_std, distance_mean, distance_std, ood_score (the served outputs, blended) and the
    ensemble's own four outputs (ENSEMBLE_OUTPUTS, for the exploration stages that study the network)."""

    def __init__(self, ensemble, x_index, g2_index, dist_index, choice):
        super().__init__()
        self.ensemble = ensemble
        self.register_buffer("x_index", torch.tensor(np.asarray(x_index, np.float32)))
        self.register_buffer("x_index_sq", torch.tensor((np.asarray(x_index, np.float64) ** 2).sum(1)
                                                        .astype(np.float32)))
        self.register_buffer("g2_index", torch.tensor(np.asarray(g2_index, np.float32)))
        self.register_buffer("dist_index", torch.tensor(np.asarray(dist_index, np.float32).reshape(-1, 1)))
        self.w_g, self.w_d = float(choice["w_pdf"]), float(choice["w_distance"])
        self.s_g, self.s_d = float(choice["pdf_std_scale"]), float(choice["distance_std_scale"])

    def forward(self, spectrum):
        g, gs, d, ds, ood = self.ensemble(spectrum)
        # |q - x|^2 up to the query's own |q|^2, which does not change the nearest index row
        d2 = self.x_index_sq[None, :] - 2 * spectrum @ self.x_index.T
        j = torch.argmin(d2, dim=1)
        g_knn = torch.index_select(self.g2_index, 0, j)
        d_knn = torch.index_select(self.dist_index, 0, j)
        g_mean = self.w_g * g_knn + (1 - self.w_g) * g
        d_mean = self.w_d * d_knn + (1 - self.w_d) * d
        g_std = self.s_g * torch.sqrt(gs * gs + (g_knn - g) ** 2)
        d_std = self.s_d * torch.sqrt(ds * ds + (d_knn - d) ** 2)
        return g_mean, g_std, d_mean, d_std, ood, g, gs, d, ds
