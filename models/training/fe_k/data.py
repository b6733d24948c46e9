"""Data loading: XANESNET Fe K-edge pairs (read from the shared, GPL-3 data directory; never copied into the repo),
labels (labels.py) and model inputs built ONLY through the numpy twin of the Java preprocessing
(xasprep/normalize.py). Derived arrays are cached under models/training/.cache/fe_k/ (git-ignored)."""
import copy
import glob
import hashlib
import json
import os

import numpy as np

from xasprep import normalize as N
from xasprep import xdi

from . import labels as L
from . import settings as S

HERE, TRAINING, REPO, CACHE = S.HERE, S.TRAINING, S.REPO, S.CACHE

ELEMENT, EDGE = "Fe", "K"
TABULATED_E0 = 7112.0

# The preprocessing the models are trained with (the manifest's "preprocessing" + "grid" blocks come from this).
# Chosen on validation (`python3 -m fe_k grid`, MODEL_CARD): E0 fixed at the tabulated Fe K edge, absolute grid,
# constant post-edge ("abs-c").
SPECS = {
    # E0 fixed at 7112 eV (moved to the nearest data point by the normaliser); grid in absolute eV.
    "abs": {"min_points": 20,
            "normalization": {"e0": TABULATED_E0, "step": None, "pre1": -15.0, "pre2": -5.0, "norm1": 20.0,
                              "norm2": 55.0, "nnorm": 1, "nvict": 0, "make_flat": True},
            "edge_window": {"below": 50.0, "above": 50.0},
            "signal": "flat",
            "grid": {"linspace": [7100.0, 7170.0, 141], "reference": "absolute", "out_of_range": "reject",
                     "fill": 0.0}},
    # E0 from the derivative maximum (Larch rule), grid relative to E0; the widest relative window every
    # training spectrum covers (E0 from 7110.7 to 7138 eV in this data).
    "rel": {"min_points": 20,
            "normalization": {"e0": None, "step": None, "pre1": -15.0, "pre2": -5.0, "norm1": 20.0,
                              "norm2": 55.0, "nnorm": 1, "nvict": 0, "make_flat": True},
            "edge_window": {"below": 50.0, "above": 50.0},
            "signal": "flat",
            "grid": {"linspace": [-13.5, 34.0, 96], "reference": "relative_to_e0", "out_of_range": "reject",
                     "fill": 0.0}},
}
# As "abs", but the post-edge line is a constant (Larch nnorm=0): the edge step is the mean post-edge level over
# E0+20..+55 eV and nothing is flattened. With a 60 eV post-edge the degree-1 line is fitted across XANES
# oscillations, so its extrapolation to E0 (the step) and the flattening slope vary with structure and wash out the
# absolute height of the features; the constant keeps it (validation kNN: `python3 -m fe_k grid`).
SPECS["abs-c"] = copy.deepcopy(SPECS["abs"])
SPECS["abs-c"]["normalization"].update({"nnorm": 0, "make_flat": False})
SPECS["abs-c"]["signal"] = "norm"
DEFAULT_SPEC = "abs-c"


def spec_tag(spec_name=DEFAULT_SPEC):
    """Name + short hash of a preprocessing spec (names files derived from model inputs)."""
    h = hashlib.sha256(json.dumps(SPECS[spec_name], sort_keys=True).encode()).hexdigest()
    return "%s-%s" % (spec_name, h[:8])


def data_files(data_dir, part):
    xs = sorted(glob.glob(os.path.join(data_dir, "xanes_%s" % part, "*.txt")))
    pairs = []
    for x in xs:
        name = os.path.splitext(os.path.basename(x))[0]
        y = os.path.join(data_dir, "xyz_%s" % part, name + ".xyz")
        if os.path.exists(y):
            pairs.append((name, x, y))
    return pairs


def preprocess_file(path, spec):
    s = xdi.read_spectrum(path)
    out = N.preprocess(s["energy"], s["mu"], ELEMENT, EDGE, spec)
    r = out["normalization"]
    return out["model_input"], r["e0"], r["edge_step"]


# part of the cache key: a cache written before labels.py returned a new field is not read as complete
LABEL_FIELDS = ("g2", "cn", "distance", "ratios")


def _key(data_dir, part, spec):
    h = hashlib.sha256(json.dumps([os.path.abspath(data_dir), part, spec, LABEL_FIELDS],
                                  sort_keys=True).encode()).hexdigest()
    return os.path.join(CACHE, "%s_%s.npz" % (part, h[:16]))


def load(data_dir, part, spec_name=DEFAULT_SPEC):
    """dict(names, x [n, grid], e0, step, g2 [n,32], cn [n], dist [n], ratios [n, 12]); rejected spectra are listed
    in `rejected`."""
    spec = SPECS[spec_name]
    path = _key(data_dir, part, spec)
    if os.path.exists(path):
        z = np.load(path, allow_pickle=False)
        return {k: z[k] for k in z.files}
    names, xs, e0s, steps, g2, cn, dist, ratios, rejected = [], [], [], [], [], [], [], [], []
    for name, fx, fy in data_files(data_dir, part):
        try:
            x, e0, st = preprocess_file(fx, spec)
        except N.SpectrumRejected as exc:
            rejected.append("%s: %s" % (name, exc.reason))
            continue
        lab = L.labels_from_file(fy)
        names.append(name); xs.append(x); e0s.append(e0); steps.append(st)
        g2.append(lab["g2"]); cn.append(lab["cn"]); dist.append(lab["distance"]); ratios.append(lab["ratios"])
    d = {"names": np.array(names), "x": np.array(xs, dtype=np.float64), "e0": np.array(e0s), "step": np.array(steps),
         "g2": np.array(g2), "cn": np.array(cn, dtype=np.int64), "dist": np.array(dist), "ratios": np.array(ratios),
         "rejected": np.array(rejected, dtype=str)}
    os.makedirs(CACHE, exist_ok=True)
    np.savez_compressed(path, **d)
    return d


def class_indices(cn, classes):
    """Each CN label's index in the classifier's class list."""
    return np.array([classes.index(int(c)) for c in cn], dtype=np.int64)


def split(n, seed=S.SPLIT_SEED, val_frac=S.VAL_FRACTION):
    """Fixed train/validation split of the 4,079 training pairs (indices)."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    nv = int(round(n * val_frac))
    return np.sort(perm[nv:]), np.sort(perm[:nv])
