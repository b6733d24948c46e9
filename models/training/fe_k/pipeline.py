"""Stages of `python3 -m fe_k all`: grid selection (kNN), kNN baseline, MLP-vs-CNN comparison, ensemble training,
calibration + fusion + ONNX export, evaluation, reference spectra, plots, model cards, manifest, parity files."""
import datetime
import json
import os
import time

import numpy as np
import torch

from . import data, ensemble as E, fuse, knn, labels as L, metrics as M, onnxcheck

WORK = os.path.join(data.TRAINING, "work", "fe_k")          # git-ignored: member weights, results
MODELS = os.path.join(data.REPO, "models")
OUT = os.path.join(MODELS, "fe-k")
N_MEMBERS = 5
VERSION = "1.0.0"
PDF_ID, CN_ID = "fe-k-pdf", "fe-k-cn"
ARCHS = ("mlp", "cnn")
TARGET_COVERAGE = 0.95


def log(msg):
    print("[fe_k %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def save_json(obj, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(obj, fh, indent=1, default=_default)
        fh.write("\n")


def _default(o):
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o))


def result_path(name):
    return os.path.join(WORK, name + ".json")


# ---------------------------------------------------------------- grid selection and kNN

def select_grid(data_dir):
    """kNN on validation for each candidate preprocessing (the network comparison of the chosen one follows)."""
    out = {}
    for name in data.SPECS:
        d = data.load(data_dir, "train", name)
        tri, vai = data.split(len(d["names"]))
        sub = lambda idx: {k: v[idx] for k, v in d.items() if k != "rejected"}  # noqa: E731
        tr, va = sub(tri), sub(vai)
        classes = list(range(int(d["cn"].min()), int(d["cn"].max()) + 1))
        ks, table = knn.select(tr, va, classes)
        best = {"pdf_a_median": table[ks["pdf"]]["pdf_a"]["median"], "dist_mae": table[ks["dist"]]["dist_mae"],
                "cn_exact": table[ks["cn"]]["cn"]["exact"], "cn_within1": table[ks["cn"]]["cn"]["within1"]}
        out[name] = {"spec": data.SPECS[name], "rejected_train": int(len(d["rejected"])), "ks": ks,
                     "validation_knn": best}
        log("grid %s: %d rejected, kNN validation %s" % (name, len(d["rejected"]), best))
    save_json(out, result_path("grid_selection"))
    return out


def knn_baseline(data_dir):
    tr, va, classes = E.splits(data_dir)
    te = data.load(data_dir, "test")
    ks, table = knn.select(tr, va, classes)
    _, val = knn.evaluate(tr, va, ks, classes)
    pred, test = knn.evaluate(tr, te, ks, classes)
    res = {"ks": ks, "validation": val, "heldout": test}
    save_json(res, result_path("knn"))
    np.savez(os.path.join(WORK, "knn_heldout.npz"), **pred)
    log("kNN k=%s  held-out: PDF(a) median %.2f %%, distance MAE %.4f A, CN exact %.3f within1 %.3f" % (
        ks, test["pdf_a"]["median"], test["dist_mae"], test["cn"]["exact"], test["cn"]["within1"]))
    return res


# ---------------------------------------------------------------- architecture comparison and ensembles

def member_path(task, arch, seed, bootstrap=True):
    return os.path.join(WORK, "members", "%s_%s_%s_%d.pt" % (task, arch, "boot" if bootstrap else "full", seed))


def compare(data_dir):
    """One member per (task, arch), no bootstrap, same seed and schedule: validation scores."""
    jobs = [(task, arch, E.SEED, False, data_dir, member_path(task, arch, E.SEED, False))
            for task in ("pdf", "cn") for arch in ARCHS]
    os.makedirs(os.path.join(WORK, "members"), exist_ok=True)
    E.run_jobs(jobs, log)
    tr, va, classes = E.splits(data_dir)
    p = E.Prepared(tr, va, classes)
    n_in = tr["x"].shape[1]
    res = {}
    for arch in ARCHS:
        m = E.load_member("pdf", arch, n_in, len(classes), member_path("pdf", arch, E.SEED, False))
        pr = E.pdf_ensemble([m], p, va["x"])
        a, _ = M.pdf_errors(va["g2"], pr["g2"])
        c = E.load_member("cn", arch, n_in, len(classes), member_path("cn", arch, E.SEED, False))
        prob, _ = E.cn_probs(E.cn_logits([c], p, va["x"]))
        cn = np.array(classes)[prob.argmax(1)]
        res[arch] = {"pdf_a_median": M.med_iqr(a)["median"], "dist_mae": float(np.mean(np.abs(pr["dist"] - va["dist"]))),
                     "cn": M.cn_scores(cn, va["cn"]),
                     "parameters": {"pdf": sum(q.numel() for q in m.parameters()),
                                    "cn": sum(q.numel() for q in c.parameters())}}
        log("compare %s (validation, single member): %s" % (arch, res[arch]))
    res["chosen"] = {
        "pdf": min(ARCHS, key=lambda a: res[a]["pdf_a_median"] / res["mlp"]["pdf_a_median"]
                   + res[a]["dist_mae"] / res["mlp"]["dist_mae"]),
        "cn": max(ARCHS, key=lambda a: (res[a]["cn"]["exact"], res[a]["cn"]["within1"]))}
    save_json(res, result_path("compare"))
    log("chosen: %s" % res["chosen"])
    return res


def train_ensembles(data_dir, chosen):
    jobs = [(task, chosen[task], E.SEED + 1 + i, True, data_dir, member_path(task, chosen[task], E.SEED + 1 + i))
            for task in ("pdf", "cn") for i in range(N_MEMBERS)]
    os.makedirs(os.path.join(WORK, "members"), exist_ok=True)
    facts = E.run_jobs(jobs, log)
    return jobs, facts


def load_members(task, arch, n_in, n_classes):
    return [E.load_member(task, arch, n_in, n_classes, member_path(task, arch, E.SEED + 1 + i))
            for i in range(N_MEMBERS)]


# ---------------------------------------------------------------- calibration

def fit_scale(y, mean, std, target=TARGET_COVERAGE):
    """Scalar s so that the fraction of |y-mean| <= 2 s std is closest to `target` (bisection on s)."""
    z = (np.abs(y - mean) / std).ravel()
    s = float(np.quantile(z, target) / 2.0)
    return s


def fit_temperature(logits, y_idx):
    grid = np.exp(np.linspace(np.log(0.3), np.log(5.0), 121))
    nll = []
    for t in grid:
        p, _ = E.cn_probs(logits, t)
        nll.append(-np.mean(np.log(np.maximum(p[np.arange(len(y_idx)), y_idx], 1e-12))))
    return float(grid[int(np.argmin(nll))])


def calibrate(data_dir, chosen):
    tr, va, classes = E.splits(data_dir)
    p = E.Prepared(tr, va, classes)
    n_in = tr["x"].shape[1]
    pdfm = load_members("pdf", chosen["pdf"], n_in, len(classes))
    pr = E.pdf_ensemble(pdfm, p, va["x"])
    raw = {"g2_cov2": M.coverage(va["g2"], pr["g2"], pr["g2_std"]),
           "dist_cov2": M.coverage(va["dist"], pr["dist"], pr["dist_std"])}
    gs = fit_scale(va["g2"], pr["g2"], pr["g2_std"])
    ds = fit_scale(va["dist"], pr["dist"], pr["dist_std"])
    # keep a scale only if it moves validation coverage closer to the target
    cal_g = M.coverage(va["g2"], pr["g2"], pr["g2_std"] * gs)
    cal_d = M.coverage(va["dist"], pr["dist"], pr["dist_std"] * ds)
    if abs(cal_g - TARGET_COVERAGE) >= abs(raw["g2_cov2"] - TARGET_COVERAGE):
        gs = 1.0
    if abs(cal_d - TARGET_COVERAGE) >= abs(raw["dist_cov2"] - TARGET_COVERAGE):
        ds = 1.0
    cnm = load_members("cn", chosen["cn"], n_in, len(classes))
    lg = E.cn_logits(cnm, p, va["x"])
    yi = p._cls(va["cn"])
    t = fit_temperature(lg, yi)
    e1 = M.ece(E.cn_probs(lg, 1.0)[0], yi)
    et = M.ece(E.cn_probs(lg, t)[0], yi)
    if et >= e1:
        t = 1.0
    res = {"g2_scale": gs, "dist_scale": ds, "temperature": t, "uncalibrated": raw,
           "calibrated_validation": {"g2_cov2": M.coverage(va["g2"], pr["g2"], pr["g2_std"] * gs),
                                     "dist_cov2": M.coverage(va["dist"], pr["dist"], pr["dist_std"] * ds)},
           "ece_validation": {"T=1": e1, "T": et}}
    save_json(res, result_path("calibration"))
    log("calibration: %s" % res)
    return res
