"""PyTorch networks. Inputs are standardised spectra (the fused ONNX graph does the standardisation), outputs are in
standardised target units. Regression nets return (mean, variance) for the 32 G2 terms and for the first-shell
distance (heteroscedastic Gaussian heads); classifiers return logits."""
import torch
from torch import nn
import torch.nn.functional as F

N_G2 = 32
MIN_VAR = 1e-4


class MLPTrunk(nn.Module):
    def __init__(self, n_in, width=256, depth=3, dropout=0.1):
        super().__init__()
        layers, d = [], n_in
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.SiLU(), nn.Dropout(dropout)]
            d = width
        self.body = nn.Sequential(*layers)
        self.n_out = width

    def forward(self, x):
        return self.body(x)


class CNNTrunk(nn.Module):
    """1-D CNN: three conv blocks (stride-2 pooling) and a dense layer."""

    def __init__(self, n_in, channels=(16, 32, 48), kernel=5, width=128, dropout=0.1):
        super().__init__()
        blocks, c = [], 1
        for ch in channels:
            blocks += [nn.Conv1d(c, ch, kernel, padding=kernel // 2), nn.SiLU(), nn.MaxPool1d(2)]
            c = ch
        self.conv = nn.Sequential(*blocks)
        n = n_in
        for _ in channels:
            n = n // 2
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(c * n, width), nn.SiLU(), nn.Dropout(dropout),
                                nn.Linear(width, width), nn.SiLU(), nn.Dropout(dropout))
        self.n_out = width

    def forward(self, x):
        return self.fc(self.conv(x.unsqueeze(1)))


def trunk(arch, n_in):
    return MLPTrunk(n_in) if arch == "mlp" else CNNTrunk(n_in)


class PDFNet(nn.Module):
    """spectrum -> G2 (32) mean/var and first-shell distance mean/var."""

    def __init__(self, arch, n_in, body=None):
        """body: a trunk built by the caller (other width/depth/dropout); default the arch's standard one."""
        super().__init__()
        self.trunk = body if body is not None else trunk(arch, n_in)
        self.head = nn.Linear(self.trunk.n_out, 2 * N_G2 + 2)

    def forward(self, x):
        h = self.head(self.trunk(x))
        g_mu, g_raw = h[:, :N_G2], h[:, N_G2:2 * N_G2]
        d_mu, d_raw = h[:, 2 * N_G2:2 * N_G2 + 1], h[:, 2 * N_G2 + 1:]
        return g_mu, F.softplus(g_raw) + MIN_VAR, d_mu, F.softplus(d_raw) + MIN_VAR


class CNNet(nn.Module):
    """spectrum -> CN class logits; auxiliary heads are trained beside them and never exported."""

    def __init__(self, arch, n_in, n_classes, aux=False, ratios=0):
        """aux: a G2 + distance head; ratios: a Gaussian head (mean, variance) for that many bond ratios."""
        super().__init__()
        self.trunk = trunk(arch, n_in)
        self.head = nn.Linear(self.trunk.n_out, n_classes)
        # the CN label turns on bond lengths near a cut-off; regressing the structure might teach the trunk those
        # lengths (tried, see train.AUX_WEIGHT; off in the served set-up)
        self.aux = nn.Linear(self.trunk.n_out, N_G2 + 1) if aux else None
        # the sorted bond ratios say how far each neighbour lies from the cut-off, which the class label hides
        # (train.RATIO_WEIGHT)
        self.ratio_head = nn.Linear(self.trunk.n_out, 2 * ratios) if ratios else None
        self.n_ratios = ratios

    def forward(self, x):
        return self.head(self.trunk(x))

    def forward_with_aux(self, x):
        """(logits, G2 + distance or None, (ratio mean, ratio variance) or None)"""
        h = self.trunk(x)
        ratios = None
        if self.ratio_head is not None:
            r = self.ratio_head(h)
            ratios = (r[:, :self.n_ratios], F.softplus(r[:, self.n_ratios:]) + MIN_VAR)
        return self.head(h), self.aux(h) if self.aux is not None else None, ratios
