"""Networks, datasets and member training for issue 5 (per-element nets and one element-conditioned net).

Every net is a small MLP on the standardised model input (plus, for the conditioned net, a one-hot of the element
appended to it). A conditioned net is exported per element by folding the one-hot into the first layer's bias
(W [x, e] + b = W_x x + (b + W_e e)) and, for classifiers, keeping only that element's output classes - the same
function, without extra graph inputs."""
from __future__ import annotations

import copy
import hashlib
import multiprocessing as mp
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from fe_k.train import Standardiser, bnll
from simulate.elements import absorber

from . import generate as G
from . import sampler
from . import settings as S

WORK = S.WORK
N_G2 = 32
MIN_VAR = 1e-4
CN_CLASSES = (2, 3, 4, 5, 6, 8, 12)
OX_ALL = (0, 1, 2, 3, 4, 5, 6, 7)
WIDTH, DEPTH, DROPOUT = 64, 2, 0.25
EPOCHS = {"per": 40, "cond": 20}
WEIGHT_DECAY = 1e-3
BATCH = 128
LR = 2e-3
INPUT_NOISE = 0.01    # extra Gaussian noise on the flattened spectrum during training
LABEL_SMOOTH = 0.03
HELD_OUT_FRACTION = 0.15   # of the structures; validation the same, train the rest
# Reference channel: a spectrum recorded with a reference foil is calibrated (Java EnergyCalibration), and then the
# edge position c = E0 (calibrated) - tabulated K edge carries the chemical shift. In the simulation c = e0 - offset -
# edge plus the error of the foil's own E0 (REF_SD, 1 sigma). Task "oxr" = oxidation state from the served input and c.
REF_SD = 0.3          # eV: E0 of the reference foil (Larch rule on a 0.2-0.9 eV edge grid)
REF_STREAM = 31       # seed stream of that error for the training data


class MLP(nn.Module):
    def __init__(self, n_in, n_out, width=WIDTH, depth=DEPTH, dropout=DROPOUT):
        super().__init__()
        layers, d = [], n_in
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.SiLU(), nn.Dropout(dropout)]
            d = width
        layers.append(nn.Linear(d, n_out))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x)


class PDFNet(nn.Module):
    """-> G2 mean/var [B,32], first-shell distance mean/var [B,1] (standardised units)."""

    def __init__(self, n_in):
        super().__init__()
        self.mlp = MLP(n_in, 2 * N_G2 + 2)

    def forward(self, x):
        h = self.mlp(x)
        return (h[:, :N_G2], F.softplus(h[:, N_G2:2 * N_G2]) + MIN_VAR, h[:, 2 * N_G2:2 * N_G2 + 1],
                F.softplus(h[:, 2 * N_G2 + 1:]) + MIN_VAR)


def make_net(task, n_in, n_classes):
    return PDFNet(n_in) if task == "pdf" else MLP(n_in, n_classes)


def bake(net, task, n_x, cond_index=None, keep=None, restandardise=None):
    """Per-element copy of a (conditioned) net with input size n_x: one-hot folded into the first bias; classifier
    output rows restricted to `keep` (indices). restandardise = (mean_to, std_to, mean_from, std_from): the net was
    trained on (x - mean_from) / std_from and will be fed (x - mean_to) / std_to (a per-element standardisation), so
    the first layer takes the affine change: W' = W diag(std_to / std_from), b' = b + W (mean_to - mean_from) /
    std_from."""
    net = copy.deepcopy(net).eval()
    mlp = net.mlp if task == "pdf" else net
    first = mlp.body[0]
    new = nn.Linear(n_x, first.out_features)
    with torch.no_grad():
        w = first.weight[:, :n_x].clone()
        b = first.bias.clone()
        if cond_index is not None:
            b += first.weight[:, n_x + cond_index]
        if restandardise is not None:
            m_to, s_to, m_from, s_from = (torch.tensor(np.asarray(a, np.float64)) for a in restandardise)
            b += (w.double() @ ((m_to - m_from) / s_from)).to(b.dtype)
            w = (w.double() * (s_to / s_from)[None, :]).to(w.dtype)
        new.weight.copy_(w)
        new.bias.copy_(b)
    mlp.body[0] = new
    if keep is not None and task != "pdf":
        last = mlp.body[-1]
        lin = nn.Linear(last.in_features, len(keep))
        with torch.no_grad():
            lin.weight.copy_(last.weight[keep])
            lin.bias.copy_(last.bias[keep])
        mlp.body[-1] = lin
    return net


# ------------------------------------------------------------------------------------------------ data

def file_key(tag):
    """`tag` as a file or folder name: a tag of many blocks is longer than a file name may be, so it is shortened to
    its first block, the number of further blocks and a hash of the whole."""
    if len(tag) <= 200:
        return tag
    blocks = tag.split("+")
    return "%s+%d_more_%s" % (blocks[0], len(blocks) - 1, hashlib.sha256(tag.encode()).hexdigest()[:12])


def data_path(tag):
    """The assembled data of `tag`: spectra on the shards' (wide) input window; earlier ones (xanes input only) had no
    window in their name."""
    return os.path.join(WORK, "data_%s_%s.npz" % (file_key(tag), G.SHARD_WINDOW))


def structure_roles(el_index, n_structures, seed=G.SEED):
    """Role of each structure id 0..n-1 of one element: 0 train, 1 validation, 2 held-out (70/15/15 % in expectation).

    Each id's role is drawn from its own seeded stream (element, id), so it does not depend on how many structures
    there are: adding a data block keeps the roles of the earlier structures, and versions share held-out sets."""
    u = np.array([np.random.default_rng([seed, 7, el_index, sid]).random() for sid in range(n_structures)])
    return np.where(u < HELD_OUT_FRACTION, 2, np.where(u < 2 * HELD_OUT_FRACTION, 1, 0)).astype(np.int64)


def reference_rng(el, stream, seed=G.SEED):
    return np.random.default_rng([seed, stream, sampler.ELEMENTS.index(el)])


def edge_position(e0, offset, el, rng):
    """c (eV) of simulated spectra as a reference-calibrated beamline would measure it: the E0 on the true energy
    scale minus the tabulated K edge, plus the foil's own E0 error (REF_SD, drawn from rng)."""
    return np.asarray(e0) - np.asarray(offset) - absorber(el).k_edge_ev + rng.normal(0, REF_SD, len(e0))


def assemble(tag, elements=sampler.ELEMENTS, seed=G.SEED):
    """All shards of `elements` -> one npz with split labels (by FEFF structure: 70 % train, 15 % validation, 15 %
    test)."""
    path = data_path(tag)
    if os.path.exists(path):
        z = np.load(path)
        # reassembled when it lacks the edge position (older files) or holds other elements (`generate --elements`)
        if "c" in z.files and set(z["element"].tolist()) == {sampler.ELEMENTS.index(el) for el in elements}:
            return path
    parts = []
    for el in elements:
        ei = sampler.ELEMENTS.index(el)   # the element's own index, also when `elements` is a subset
        d = G.load(el, tag)
        role = structure_roles(ei, int(d["structure"].max()) + 1, seed)
        d["split"] = role[d["structure"]]
        d["element"] = np.full(len(d["x"]), ei, np.int64)
        d["c"] = edge_position(d["e0"], d["offset"], el, reference_rng(el, REF_STREAM, seed))
        parts.append(d)
    keys = ("x", "g2", "dist", "ox", "cn", "structure", "e0", "offset", "split", "element", "theory", "c")
    out = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    out["rejected"] = np.array([p["rejected"] for p in parts])
    os.makedirs(WORK, exist_ok=True)
    np.savez(path, **out)
    return path


def load_data(tag):
    z = np.load(data_path(tag))
    return {k: z[k] for k in z.files}


def label_key(task):
    """The label array of a task ("oxr": the oxidation state, read with the edge position)."""
    return "ox" if task == "oxr" else task


def classes_for(task, el):
    if task in ("ox", "oxr"):
        return list(sampler.OX_STATES[el])
    return list(CN_CLASSES)


def class_index(classes, labels, missing=-1):
    """Index of each label in `classes`; `missing` for a label the classes do not hold."""
    return [classes.index(int(v)) if int(v) in classes else missing for v in labels]


def subset(d, mode, el_index, split):
    m = d["split"] == split
    if mode == "per":
        m &= d["element"] == el_index
    return np.flatnonzero(m)


class Prepared:
    """Inputs/targets for one (mode, element, input window) set-up. mode 'per': one element; 'cond': all + one-hot.
    Task "oxr" (per-element only) appends the standardised edge position c to the input. window: the first
    generate.window_width(window) values of each spectrum are the input (None: all of them)."""

    def __init__(self, d, mode, el_index, train_fraction=1.0, seed=0, window="xanes"):
        self.mode, self.el_index, self.window = mode, el_index, window
        self.n_x = d["x"].shape[1] if window is None else G.window_width(window)   # None: every column
        tr = subset(d, mode, el_index, 0)
        if train_fraction < 1.0:  # learning curve: a fraction of the training STRUCTURES
            key = d["element"][tr] * 100000 + d["structure"][tr]
            u = np.unique(key)
            rng = np.random.default_rng([seed, 99])
            keep = set(rng.permutation(u)[:max(2, int(round(train_fraction * len(u))))].tolist())
            tr = tr[np.array([k in keep for k in key])]
        self.idx = {0: tr, 1: subset(d, mode, el_index, 1), 2: subset(d, mode, el_index, 2)}
        self.sx = Standardiser(d["x"][tr, :self.n_x].astype(np.float64))
        self.sg = Standardiser(d["g2"][tr].astype(np.float64))
        self.sd = Standardiser(d["dist"][tr][:, None].astype(np.float64))
        self.sc = Standardiser(d["c"][tr][:, None].astype(np.float64)) if "c" in d else None
        if mode == "per":
            el = sampler.ELEMENTS[el_index]
            self.classes = {"ox": classes_for("ox", el), "cn": sorted(set(d["cn"][tr].tolist()))}
            self.classes["oxr"] = self.classes["ox"]
        else:
            self.classes = {"ox": list(OX_ALL), "cn": list(CN_CLASSES)}
        self.d = d

    def x(self, split, task=None):
        return self.inputs(self.idx[split], task)

    def inputs(self, i, task=None):
        """Net input of the data's rows i for `task` ("oxr": with their edge positions)."""
        return self.encode(self.d["x"][i], self.d["element"][i], self.d["c"][i] if task == "oxr" else None)

    def encode(self, x, element, c=None):
        """Net input of raw spectra x (this window's values or more) of elements `element`, with edge positions c (eV)
        for the "oxr" task."""
        xs = self.sx(np.asarray(x, np.float64)[:, :self.n_x])
        if self.mode == "cond":
            xs = np.concatenate([xs, np.eye(len(sampler.ELEMENTS))[element]], 1)
        if c is not None:
            if self.mode != "per":
                raise ValueError("the edge-position task is per-element only")
            xs = np.concatenate([xs, self.sc(np.asarray(c, np.float64)[:, None])], 1)
        return torch.tensor(xs, dtype=torch.float32)

    def y(self, task, split):
        i = self.idx[split]
        if task == "pdf":
            return (torch.tensor(self.sg(self.d["g2"][i]), dtype=torch.float32),
                    torch.tensor(self.sd(self.d["dist"][i][:, None]), dtype=torch.float32))
        lab = self.d[label_key(task)][i]
        cl = self.classes[task]
        return (torch.tensor(class_index(cl, lab, -100), dtype=torch.long),)


def loss_fn(task, model, xb, *ys):
    if task == "pdf":
        g, gv, dd, dv = model(xb)
        if model.training:
            return bnll(g, gv, ys[0]).mean() + 4.0 * bnll(dd, dv, ys[1]).mean()
        return ((g - ys[0]) ** 2).mean() + 4.0 * ((dd - ys[1]) ** 2).mean()
    return F.cross_entropy(model(xb), ys[0], ignore_index=-100,
                           label_smoothing=LABEL_SMOOTH if model.training else 0.0)


def train_member(task, p, seed, bootstrap=True, epochs=None):
    torch.manual_seed(seed)
    xs, ys = p.x(0, task), p.y(task, 0)
    xv, yv = p.x(1, task), p.y(task, 1)
    n, n_in = xs.shape
    ncl = len(p.classes[task]) if task != "pdf" else 0
    model = make_net(task, n_in, ncl)
    rng = np.random.default_rng(seed)
    idx = torch.from_numpy(rng.integers(0, n, n) if bootstrap else np.arange(n))
    epochs = epochs or EPOCHS[p.mode]
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    steps = epochs * ((n + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps, pct_start=0.15)
    noise = torch.tensor(INPUT_NOISE / p.sx.std, dtype=torch.float32)
    if p.mode == "cond":
        noise = torch.cat([noise, torch.zeros(len(sampler.ELEMENTS))])
    if task == "oxr":   # c carries its own (foil) error already
        noise = torch.cat([noise, torch.zeros(1)])
    gen = torch.Generator().manual_seed(seed)
    best, best_state, best_ep = float("inf"), None, -1
    t0 = time.time()
    for ep in range(epochs):
        model.train()
        perm = idx[torch.randperm(n, generator=gen)]
        for s in range(0, n, BATCH):
            b = perm[s:s + BATCH]
            xb = xs[b] + torch.randn(len(b), n_in, generator=gen) * noise
            loss = loss_fn(task, model, xb, *[y[b] for y in ys])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            v = float(loss_fn(task, model, xv, *yv))
        if v < best:
            best, best_state, best_ep = v, copy.deepcopy(model.state_dict()), ep
    model.load_state_dict(best_state)
    model.eval()
    return model, {"seed": seed, "best_epoch": best_ep, "epochs": epochs, "val_loss": best,
                   "seconds": round(time.time() - t0, 1), "n_train": int(n)}


# ------------------------------------------------------------------------------------------------ jobs

def member_path(tag, mode, el_index, task, seed, bootstrap, frac=1.0, window="xanes"):
    el = "all" if mode == "cond" else sampler.ELEMENTS[el_index]
    name = "%s_%s_%s%s_s%d%s%s.pt" % (mode, el, task, "" if window == "xanes" else "_" + window, seed,
                                       "_bs" if bootstrap else "", "" if frac == 1.0 else "_f%g" % frac)
    return os.path.join(WORK, "members", file_key(tag), name)


_DATA = {}


def _job(args):
    tag, mode, el_index, task, seed, bootstrap, frac, window = (tuple(args) + ("xanes",))[:8]
    torch.set_num_threads(1)
    if tag not in _DATA:
        _DATA[tag] = load_data(tag)
    p = Prepared(_DATA[tag], mode, el_index, frac, seed, window)
    model, facts = train_member(task, p, seed, bootstrap)
    out = member_path(tag, mode, el_index, task, seed, bootstrap, frac, window)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    torch.save(model.state_dict(), out + ".tmp")
    os.replace(out + ".tmp", out)
    facts.update({"mode": mode, "element": el_index, "task": task, "frac": frac, "window": window})
    return facts


def run_jobs(jobs, log, workers=2):
    todo = [j for j in jobs if not os.path.exists(member_path(*j))]
    if not todo:
        return []
    out = []
    # longest first (conditioned nets) so the two workers finish together
    todo.sort(key=lambda j: 0 if j[1] == "cond" else 1)
    with mp.get_context("spawn").Pool(min(workers, len(todo))) as pool:
        for i, f in enumerate(pool.imap_unordered(_job, todo)):
            out.append(f)
            log("  member %d/%d: %s %s %s (%s) seed %d (%.0f s, best epoch %d)" % (
                i + 1, len(todo), f["mode"], "all" if f["mode"] == "cond" else sampler.ELEMENTS[f["element"]],
                f["task"], f["window"], f["seed"], f["seconds"], f["best_epoch"]))
    return out


def load_member(tag, mode, el_index, task, seed, bootstrap, p, frac=1.0):
    n_in = len(p.sx.mean) + (len(sampler.ELEMENTS) if mode == "cond" else 0) + (1 if task == "oxr" else 0)
    net = make_net(task, n_in, len(p.classes[task]) if task != "pdf" else 0)
    net.load_state_dict(torch.load(member_path(tag, mode, el_index, task, seed, bootstrap, frac, p.window)))
    return net.eval()
