"""Stages of `python3 -m fe_k all`: grid selection (kNN), kNN baseline, MLP-vs-CNN comparison, ensemble training,
calibration + fusion + ONNX export, evaluation, reference spectra, plots, model cards, manifest, parity files."""
import datetime
import json
import os
import time

import numpy as np
import torch

from . import blend, data, ensemble as E, fuse, knn, labels as L, metrics as M, onnxcheck, settings as S, train

WORK = S.WORK
MODELS = os.path.join(data.REPO, "models")
OUT = S.OUT
N_MEMBERS, BOOTSTRAP = S.N_MEMBERS, S.BOOTSTRAP   # FE_K_MEMBERS, FE_K_BOOTSTRAP (settings.py)
PDF_ID, CN_ID = "fe-k-pdf", "fe-k-cn"
# fe-k-pdf 1.2.0: the blend of ensemble and nearest training pair (fe_k.blend); fe-k-cn unchanged since 1.1.0
VERSIONS = {PDF_ID: "1.2.0", CN_ID: "1.1.0"}
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

def variant_suffix(task):
    """A CN variant's own file names (its auxiliary heads), so that it never reads or overwrites the served set-up's."""
    aux = ""
    if task == "cn" and train.AUX_WEIGHT > 0:
        aux += "_aux%g" % train.AUX_WEIGHT
    if task == "cn" and train.RATIO_WEIGHT > 0:
        aux += "_ratio%g" % train.RATIO_WEIGHT
    return aux


def member_path(task, arch, seed, bootstrap=True):
    # named by the input preprocessing too: weights trained on another input must never be picked up as cached
    return os.path.join(WORK, "members", "%s_%s_%s_%s%s_%d.pt" % (data.spec_tag(), task, arch,
                                                                  "boot" if bootstrap else "full",
                                                                  variant_suffix(task), seed))


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
    jobs = [(task, chosen[task], E.SEED + 1 + i, BOOTSTRAP, data_dir,
             member_path(task, chosen[task], E.SEED + 1 + i, BOOTSTRAP))
            for task in ("pdf", "cn") for i in range(N_MEMBERS)]
    os.makedirs(os.path.join(WORK, "members"), exist_ok=True)
    facts = E.run_jobs(jobs, log)
    return jobs, facts


def load_members(task, arch, n_in, n_classes):
    return [E.load_member(task, arch, n_in, n_classes, member_path(task, arch, E.SEED + 1 + i, BOOTSTRAP))
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


# ---------------------------------------------------------------- fusion, export, ONNX check

def build_fused(data_dir, chosen, cal):
    tr, va, classes = E.splits(data_dir)
    p = E.Prepared(tr, va, classes)
    n_in = tr["x"].shape[1]
    ood = fuse.fit_ood(p.sx(tr["x"]))
    pdf = fuse.FusedPDF(load_members("pdf", chosen["pdf"], n_in, len(classes)), p.sx.mean, p.sx.std,
                        p.sg.mean, p.sg.std, p.sd.mean, p.sd.std, cal["g2_scale"], cal["dist_scale"], ood).eval()
    cn = fuse.FusedClassifier(load_members("cn", chosen["cn"], n_in, len(classes)), p.sx.mean, p.sx.std,
                              cal["temperature"], ood).eval()
    return pdf, cn, p, tr, va, classes


def build_blend(pdf, tr, va, full):
    """fe-k-pdf's served estimator (fe_k.blend): weights and scales chosen with the training part as the index and the
    validation part as queries. Returns the served module (index: every one of the `full` training pairs), the same
    with the training part as its index (for validation numbers that do not copy themselves), and the choice."""
    o = torch_outputs(pdf, va["x"], PDF_OUTPUTS)
    ens = {"g2": o["pdf_mean"].astype(np.float64), "g2_std": o["pdf_std"].astype(np.float64),
           "dist": o["distance_mean"][:, 0].astype(np.float64), "dist_std": o["distance_std"][:, 0].astype(np.float64)}
    j = blend.nearest(tr["x"], va["x"])
    choice = blend.choose(va, ens, {"g2": tr["g2"][j], "dist": tr["dist"][j]}, fit_scale)
    choice["index_pairs"] = int(len(full["x"]))
    save_json(choice, result_path("blend"))
    log("blend: %s" % choice)
    served = blend.BlendedPDF(pdf, full["x"], full["g2"], full["dist"], choice).eval()
    on_train = blend.BlendedPDF(pdf, tr["x"], tr["g2"], tr["dist"], choice).eval()
    return served, on_train, choice


PDF_OUTPUTS = ("pdf_mean", "pdf_std", "distance_mean", "distance_std", "ood_score")
CN_OUTPUTS = ("cn_probabilities", "cn_probability_std", "ood_score")
# the served PDF graph's outputs: the blend's (PDF_OUTPUTS, in the manifest) and the ensemble's own
PDF_GRAPH_OUTPUTS = PDF_OUTPUTS + blend.ENSEMBLE_OUTPUTS


def onnx_file(model_id):
    return os.path.join(OUT, "%s-%s.onnx" % (model_id, VERSIONS[model_id]))


def committed_outputs(x):
    """Every output of the committed PDF and CN graphs for inputs x (numpy ONNX evaluator), by output name (both
    graphs carry the same ood_score): pdf_mean etc. are the served blend's, ensemble_pdf_mean etc. the network's."""
    f = {"spectrum": np.asarray(x, dtype=np.float32)}
    return {**onnxcheck.run(onnx_file(PDF_ID), f), **onnxcheck.run(onnx_file(CN_ID), f)}


def committed_network(x):
    """committed_outputs with the ensemble's own PDF and distance under the served names: what the studies of the
    network (ceiling, heldoutci's network rows) read."""
    o = committed_outputs(x)
    for name in blend.ENSEMBLE_OUTPUTS:
        o[name[len("ensemble_"):]] = o[name]
    return o


def torch_outputs(module, x, names):
    with torch.no_grad():
        out = module(torch.tensor(np.asarray(x), dtype=torch.float32))
    return {n: o.numpy() for n, o in zip(names, out)}


def export_and_check(pdf, cn, xcheck):
    os.makedirs(OUT, exist_ok=True)
    res = {}
    for mid, module, names in ((PDF_ID, pdf, PDF_GRAPH_OUTPUTS), (CN_ID, cn, CN_OUTPUTS)):
        path = onnx_file(mid)
        fuse.export(module, xcheck.shape[1], path, names)
        ref = torch_outputs(module, xcheck, names)
        got = onnxcheck.run(path, {"spectrum": np.asarray(xcheck, dtype=np.float32)})
        diff = max(float(np.max(np.abs(got[n] - ref[n]))) for n in names)
        res[mid] = {"max_abs_diff_numpy_onnx_vs_torch": diff, "checked_inputs": int(len(xcheck)),
                    "bytes": os.path.getsize(path), **onnxcheck.describe(path)}
        log("exported %s (%d bytes, opset %d, ops %s): max |onnx(numpy) - torch| = %.2e on %d inputs" % (
            os.path.relpath(path, data.REPO), res[mid]["bytes"], res[mid]["opset"], ",".join(res[mid]["ops"]),
            diff, len(xcheck)))
        if diff > 1e-4:
            raise RuntimeError("ONNX graph disagrees with PyTorch: %g" % diff)
    return res


# ---------------------------------------------------------------- evaluation

def evaluate(pdf, cn, x, ref, classes, ood_threshold):
    o = torch_outputs(pdf, x, PDF_OUTPUTS)
    c = torch_outputs(cn, x, CN_OUTPUTS)
    g, gs = o["pdf_mean"].astype(np.float64), o["pdf_std"].astype(np.float64)
    dm, ds = o["distance_mean"][:, 0].astype(np.float64), o["distance_std"][:, 0].astype(np.float64)
    prob = c["cn_probabilities"].astype(np.float64)
    pred_cn = np.array(classes)[prob.argmax(1)]
    yi = data.class_indices(ref["cn"], classes)
    a, b = M.pdf_errors(ref["g2"], g)
    res = {"n": int(len(x)),
           "pdf_a": M.med_iqr(a), "pdf_b": M.med_iqr(b),
           "pdf_rmse": float(np.sqrt(np.mean((g - ref["g2"]) ** 2))),
           "pdf_coverage_2sigma": M.coverage(ref["g2"], g, gs),
           "pdf_coverage_1sigma": M.coverage(ref["g2"], g, gs, 1.0),
           "dist_mae": float(np.mean(np.abs(dm - ref["dist"]))),
           "dist_coverage_2sigma": M.coverage(ref["dist"], dm, ds),
           "dist_coverage_1sigma": M.coverage(ref["dist"], dm, ds, 1.0),
           "dist_mean_std": float(np.mean(ds)),
           "cn": M.cn_scores(pred_cn, ref["cn"]), "cn_ece": M.ece(prob, yi),
           "cn_nll": float(-np.mean(np.log(np.maximum(prob[np.arange(len(yi)), yi], 1e-12)))),
           "ood_flagged_fraction": float(np.mean(o["ood_score"][:, 0] > ood_threshold))}
    pred = {"g2": g, "g2_std": gs, "dist": dm, "dist_std": ds, "prob": prob, "cn": pred_cn,
            "prob_std": c["cn_probability_std"].astype(np.float64),
            "ood": o["ood_score"][:, 0], "err_a": a, "err_b": b}
    return res, pred


def reference_spectra(pdf, cn, classes, ood_threshold):
    """Measured Fe K-edge spectra (xraylarch examples): predictions vs labels.csv; never used for training."""
    import csv
    from xasprep import normalize as N, xdi
    ref_dir = os.path.join(os.path.dirname(data.REPO), "shared", "data", "reference-spectra")
    rows = []
    with open(os.path.join(ref_dir, "labels.csv")) as fh:
        for r in csv.DictReader(fh):
            if r["element"] != "Fe":
                continue
            item = {"file": r["file"], "formula": r["formula"], "sample": r["sample"],
                    "oxidation_state": r["oxidation_state"], "label_cn": r["first_shell_cn"] or None,
                    "label_ligand": r["first_shell_ligand"]}
            try:
                s = xdi.read_spectrum(os.path.join(ref_dir, r["file"]))
                out = N.preprocess(s["energy"], s["mu"], "Fe", "K", data.SPECS[data.DEFAULT_SPEC])
            except (N.SpectrumRejected, ValueError) as exc:
                item["rejected"] = getattr(exc, "reason", str(exc))
                rows.append(item)
                continue
            x = out["model_input"][None, :]
            o = torch_outputs(pdf, x, PDF_OUTPUTS)
            c = torch_outputs(cn, x, CN_OUTPUTS)
            prob = c["cn_probabilities"][0]
            e0d = N.find_e0(s["energy"], s["mu"])
            item.update({"mu": s["mu_source"], "e0_derivative_eV": e0d, "edge_step": out["normalization"]["edge_step"],
                         "cn_predicted": int(classes[int(prob.argmax())]), "cn_probability": float(prob.max()),
                         "distance": float(o["distance_mean"][0, 0]), "distance_std": float(o["distance_std"][0, 0]),
                         "ood_score": float(o["ood_score"][0, 0]),
                         "ood_flagged": bool(o["ood_score"][0, 0] > ood_threshold)})
            rows.append(item)
    return rows


def load_result(name):
    with open(result_path(name)) as fh:
        return json.load(fh)
