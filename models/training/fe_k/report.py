"""Plots (matplotlib, Agg), model cards, manifest and the committed parity samples."""
import hashlib
import json
import os

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from . import data, labels as L, metrics as M  # noqa: E402

PLOTS = os.path.join(data.REPO, "models", "fe-k", "plots")
PARITY = os.path.join(data.REPO, "models", "fe-k", "parity")
# committed results of the studies that the cards quote (models/studies/README.md)
STUDY_RESULTS = os.path.join(data.REPO, "models", "studies", "results")
FIXTURES = "services/common/src/test/resources/fixtures/spectra"


def rel(path):
    return os.path.relpath(path, data.REPO)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        h.update(fh.read())
    return h.hexdigest()


# ---------------------------------------------------------------- plots

def plot_examples(te, pred, path):
    order = np.argsort(pred["err_a"])
    picks = [("best", order[0]), ("median", order[len(order) // 2]), ("worst", order[-1])]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=False)
    for ax, (what, i) in zip(axes, picks):
        ax.plot(L.MU, te["g2"][i], "k-", lw=1.5, label="true G2")
        ax.plot(L.MU, pred["g2"][i], "C0-", lw=1.2, label="predicted mean")
        ax.fill_between(L.MU, pred["g2"][i] - 2 * pred["g2_std"][i], pred["g2"][i] + 2 * pred["g2_std"][i],
                        color="C0", alpha=0.25, label="±2σ")
        ax.axvline(te["dist"][i], color="k", ls=":", lw=1)
        ax.axvspan(pred["dist"][i] - 2 * pred["dist_std"][i], pred["dist"][i] + 2 * pred["dist_std"][i],
                   color="C3", alpha=0.2, label="first shell ±2σ")
        ax.set_title("%s: %s\nerr (a) %.1f %%, R1 %.3f (true %.3f) Å, CN %d (true %d)" % (
            what, te["names"][i].split("_")[0], pred["err_a"][i], pred["dist"][i], te["dist"][i],
            pred["cn"][i], te["cn"][i]), fontsize=8)
        ax.set_xlabel("r (Å)")
    axes[0].set_ylabel("G2 (Z-weighted)")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def plot_calibration_pdf(te, pred, path):
    ks = np.linspace(0.1, 3.0, 30)
    exp = 2 * stats.norm.cdf(ks) - 1
    zg = (np.abs(te["g2"] - pred["g2"]) / pred["g2_std"]).ravel()
    zd = np.abs(te["dist"] - pred["dist"]) / pred["dist_std"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    ax = axes[0]
    ax.plot(exp, [np.mean(zg <= k) for k in ks], "C0o-", ms=3, label="G2 terms")
    ax.plot(exp, [np.mean(zd <= k) for k in ks], "C3s-", ms=3, label="first-shell distance")
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.axhspan(0.90, 0.98, xmin=0, xmax=1, color="0.9")
    ax.set_xlabel("expected fraction inside ±kσ (Gaussian)")
    ax.set_ylabel("observed fraction (held-out)")
    ax.set_title("held-out coverage, k = 0.1 … 3 (band: 2σ goal)", fontsize=9)
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.scatter(pred["dist_std"], np.abs(te["dist"] - pred["dist"]), s=6)
    m = max(pred["dist_std"].max(), 1e-3)
    ax.plot([0, m], [0, 2 * m], "k--", lw=0.8, label="|error| = 2σ")
    ax.set_xlabel("predicted σ (Å)")
    ax.set_ylabel("|error| (Å)")
    ax.set_title("first-shell distance: error vs σ", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def plot_calibration_cn(te, pred, classes, path):
    prob = pred["prob"]
    yi = data.class_indices(te["cn"], classes)
    conf, acc = prob.max(1), (prob.argmax(1) == yi)
    edges = np.linspace(0, 1, 11)
    xs, ys, ns = [], [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            xs.append(conf[m].mean()); ys.append(acc[m].mean()); ns.append(m.sum())
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    ax = axes[0]
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.plot(xs, ys, "C0o-")
    for x, y, n in zip(xs, ys, ns):
        ax.annotate(str(n), (x, y), fontsize=7, xytext=(3, -9), textcoords="offset points")
    ax.set_xlabel("confidence (max mean probability)")
    ax.set_ylabel("accuracy (held-out)")
    ax.set_title("reliability, ECE %.3f" % M.ece(prob, yi), fontsize=9)
    ax = axes[1]
    present = sorted(set(te["cn"].tolist()) | set(pred["cn"].tolist()))
    cm = np.zeros((len(present), len(present)), int)
    for t, p in zip(te["cn"], pred["cn"]):
        cm[present.index(int(t)), present.index(int(p))] += 1
    ax.imshow(cm, cmap="Blues")
    for i in range(len(present)):
        for j in range(len(present)):
            if cm[i, j]:
                ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(present)), present)
    ax.set_yticks(range(len(present)), present)
    ax.set_xlabel("predicted CN")
    ax.set_ylabel("true CN")
    ax.set_title("held-out confusion", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def plot_cn_examples(te, pred, classes, path):
    yi = data.class_indices(te["cn"], classes)
    p_true = pred["prob"][np.arange(len(yi)), yi]
    order = np.argsort(-p_true)
    picks = [("best", order[0]), ("median", order[len(order) // 2]), ("worst", order[-1])]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), sharey=True)
    for ax, (what, i) in zip(axes, picks):
        ax.bar(classes, pred["prob"][i], yerr=2 * pred["prob_std"][i], color="C0", alpha=0.7, capsize=2)
        ax.axvline(te["cn"][i], color="k", ls=":", label="true CN")
        ax.set_title("%s: %s (true CN %d)" % (what, te["names"][i].split("_")[0], te["cn"][i]), fontsize=8)
        ax.set_xlabel("CN")
    axes[0].set_ylabel("probability ±2σ (members)")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


# ---------------------------------------------------------------- preprocessing description (manifest <-> Java)

def grid_block(spec):
    g = spec["grid"]
    start, stop, n = g["linspace"]
    return {"id": "fe-k-%s-%g-%g-%d" % ("rel" if g["reference"] == "relative_to_e0" else "abs", start, stop, n),
            "relativeToE0": g["reference"] == "relative_to_e0", "startEv": float(start),
            "stepEv": float((stop - start) / (n - 1)), "count": int(n), "padAllowed": g["out_of_range"] != "reject"}


def preprocessing_block(spec):
    """Keys map 1:1 onto io.xasstream.core.preprocess.PreprocessingSpec / NormalizationParams / EdgeWindow."""
    nz = spec["normalization"]
    return {"e0Method": "fixed" if nz["e0"] is not None else "derivative",
            "quantity": spec["signal"],
            "minPoints": spec["min_points"],
            "e0": nz["e0"], "step": nz["step"], "pre1": nz["pre1"], "pre2": nz["pre2"], "norm1": nz["norm1"],
            "norm2": nz["norm2"], "nnorm": nz["nnorm"], "nvict": nz["nvict"], "makeFlat": nz["make_flat"],
            "edgeWindow": {"below": spec["edge_window"]["below"], "above": spec["edge_window"]["above"]},
            "outOfRange": spec["grid"]["out_of_range"].upper(),
            "larchVersion": "0.9.58"}


# ---------------------------------------------------------------- parity samples

def fixture_inputs():
    """Model inputs of our own fixture files through the numpy twin (what Java must reproduce within 1e-5)."""
    from xasprep import normalize as N, xdi
    spec = data.SPECS[data.DEFAULT_SPEC]
    cases = []
    for name, element in (("fe2o3_i0_i1.xdi", "Fe"), ("cu2o_athena_mutrans.xdi", "Cu")):
        path = os.path.join(data.REPO, FIXTURES, name)
        s = xdi.read_spectrum(path)
        case = {"file": FIXTURES + "/" + name, "element": element, "edge": "K",
                "mu": {"ln(i0/i1)": "mu = ln(i0/i1)", "mutrans": "mu = mutrans column as is"}.get(
                    s["mu_source"], s["mu_source"])}
        try:
            out = N.preprocess(s["energy"], s["mu"], element, "K", spec)
        except N.SpectrumRejected as exc:
            case.update({"expectedRejection": exc.reason, "message": str(exc),
                         "note": "the Fe K model grid does not apply to a Cu K spectrum"})
            cases.append(case)
            continue
        r = out["normalization"]
        case.update({"e0": r["e0"], "e0Source": r["e0_source"], "edgeStep": r["edge_step"],
                     "resolved": r["resolved"], "modelInput": [float(v) for v in out["model_input"]]})
        cases.append(case)
    return cases


def write_input_parity(manifest_pre, grid):
    cases = fixture_inputs()
    doc = {"description": "Model inputs computed by the numpy twin (models/training/xasprep/normalize.py) for our "
                          "own fixture spectra with the fe-k models' preprocessing; the Java Preprocessor must give "
                          "the same vector within the tolerance.",
           "tolerance": 1e-5, "models": ["fe-k-pdf", "fe-k-cn"],
           "twinSpec": data.SPECS[data.DEFAULT_SPEC], "preprocessing": manifest_pre, "grid": grid, "cases": cases}
    path = os.path.join(PARITY, "input_parity.json")
    os.makedirs(PARITY, exist_ok=True)
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    return path, cases


def parity_inputs():
    """8 input vectors: the Fe2O3 fixture, the same file with its energy axis shifted (-2, +1, +3 eV), with noise,
    scaled, and two measured reference spectra (xraylarch examples, MIT) -- all through the numpy twin."""
    from xasprep import normalize as N, xdi
    spec = data.SPECS[data.DEFAULT_SPEC]
    s = xdi.read_spectrum(os.path.join(data.REPO, FIXTURES, "fe2o3_i0_i1.xdi"))
    rng = np.random.default_rng(7)
    rows = []

    def add(label, e, mu):
        rows.append((label, N.preprocess(e, mu, "Fe", "K", spec)["model_input"]))

    add("fixture fe2o3_i0_i1.xdi", s["energy"], s["mu"])
    for sh in (-2.0, 1.0, 3.0):
        add("fixture fe2o3_i0_i1.xdi, energy %+g eV" % sh, s["energy"] + sh, s["mu"])
    add("fixture fe2o3_i0_i1.xdi + gaussian noise 0.005 (seed 7)", s["energy"],
        s["mu"] + rng.normal(0, 0.005, len(s["mu"])))
    rows.append(("fixture fe2o3_i0_i1.xdi model input x 1.1", rows[0][1] * 1.1))
    # Two frames of our own synthetic Fe2O3 -> Fe series (never shared data: it must not be copied into the repo).
    demo = os.path.join(data.REPO, "services", "app", "src", "main", "resources", "demo", "fe-reduction")
    for f in ("fe-reduction-000.xdi", "fe-reduction-089.xdi"):
        r = xdi.read_spectrum(os.path.join(demo, f))
        add("demo series %s" % f, r["energy"], r["mu"])
    return rows


def write_onnx_parity(pdf, cn, torch_outputs, pdf_names, cn_names, files):
    rows = parity_inputs()
    x = np.array([r[1] for r in rows], dtype=np.float32)
    po = torch_outputs(pdf, x, pdf_names)
    co = torch_outputs(cn, x, cn_names)
    doc = {"description": "PyTorch outputs of the fused ensembles (float32) for these inputs; ONNX Runtime must "
                          "agree within the tolerance (max abs difference per output).",
           "tolerance": 1e-4, "models": files,
           "labels": [r[0] for r in rows], "spectrum": x.tolist(),
           "outputs": {"fe-k-pdf": {k: v.tolist() for k, v in po.items()},
                       "fe-k-cn": {k: v.tolist() for k, v in co.items()}}}
    path = os.path.join(PARITY, "onnx_parity.json")
    with open(path, "w") as fh:
        json.dump(doc, fh)
        fh.write("\n")
    return path, x


# ---------------------------------------------------------------- manifest

def _f(v, nd=4):
    return float(round(float(v), nd))


def manifest_entry_common(model_id, file, pre, grid, card, R):
    return {"id": model_id, "version": R["versions"][model_id], "element": "Fe", "edge": "K",
            "file": "fe-k/" + os.path.basename(file), "sha256": sha256(file),
            "input": {"name": "spectrum", "grid": grid, "preprocessing": pre},
            "provenance": {"data": "XANESNET Fe K-edge set (Rankine, Madkhali & Penfold, J. Phys. Chem. A 124 (2020) "
                                   "4263; Penfold et al., Mach. Learn.: Sci. Technol. 5 (2024) 021001): FDMNES spectra "
                                   "of 4,329 tmQM/CSD complexes, read from ../shared/data/xanesnet-fe-k",
                           "split": "published 4,079 train / 250 held-out; the 4,079 split %d train / %d validation "
                                    "(seeded permutation, seed %d); members trained on %s; held-out used only for the "
                                    "final report" % (R["n_train"], R["n_val"], R["split_seed"],
                                                      _resamples(R, plural=True)),
                           "dataLicence": "GPL-3 (XANESNET)", "code": "models/training/fe_k",
                           "command": "cd models/training && /usr/bin/python3 -m fe_k all --data "
                                      "../../../shared/data/xanesnet-fe-k",
                           "seed": R["seed"], "trainedAt": R["trained_at"],
                           "framework": "PyTorch %s, ONNX opset %d" % (R["torch"], R["opset"])},
            "card": "fe-k/" + os.path.basename(card)}


def ood_block(R):
    """Both Fe graphs score the same standardised input with the same OODScore, so they share one threshold."""
    return {"threshold": R["ood_threshold"], "percentile": 99.0,
            "method": "Mahalanobis-type distance of the standardised input: PCA whitening (top %d components) plus "
                      "the residual power outside them, normalised by k+1; threshold = 99th percentile over the "
                      "training inputs; flagged when ood_score > threshold" % R["ood_k"]}


def write_manifest(R, pre, grid):
    pdf_file, cn_file = R["files"]["fe-k-pdf"], R["files"]["fe-k-cn"]
    h, v, k = R["heldout"], R["validation"], R["knn"]
    pdf = manifest_entry_common("fe-k-pdf", pdf_file, pre, grid, R["cards"]["fe-k-pdf"], R)
    b = R["blend"]
    pdf.update({"task": "pdf", "architecture": "%s deep ensemble, %d %s members, Gaussian heads, blended with the "
                "nearest of the %d training pairs (pseudo-PDF %.2f x nearest + %.2f x ensemble, distance %.2f / %.2f)"
                % (R["chosen"]["pdf"].upper(), R["n_members"], _kind(R), b["index_pairs"], b["w_pdf"],
                   1 - b["w_pdf"], b["w_distance"], 1 - b["w_distance"]),
                "outputs": {"pdf_mean": "pdf_mean", "pdf_std": "pdf_std", "distance_mean": "distance_mean",
                            "distance_std": "distance_std", "ood_score": "ood_score"},
                "curve": {"r": [_f(x, 6) for x in L.MU], "eta": float(L.ETA), "cutoffAngstrom": L.R_CUT,
                          "definition": "G2 wACSF shifted, Z-weighted, XANESNET: sum_j Z_j fc(r_j) "
                                        "exp(-eta (r_j - r_k)^2), all atoms but Fe (H included), r_j < 6 A, "
                                        "fc = (cos(pi r/6)+1)/2"},
                "ood": ood_block(R),
                "calibration": {"pdfStdScale": R["calibration"]["g2_scale"],
                                "distanceStdScale": R["calibration"]["dist_scale"],
                                "blend": {"wPdf": b["w_pdf"], "wDistance": b["w_distance"],
                                          "pdfStdScale": b["pdf_std_scale"], "distanceStdScale": b["distance_std_scale"],
                                          "indexPairs": b["index_pairs"]},
                                "note": "ensemble std = sqrt(mean member variance + variance of member means) x "
                                        "pdfStdScale / distanceStdScale; served mean = w x nearest training pair + "
                                        "(1 - w) x ensemble, served std = blend scale x sqrt(ensemble std^2 + "
                                        "(nearest - ensemble)^2); weights and scales fitted on validation (2-sigma "
                                        "coverage 0.95) with the training part as the index, baked into the graph"},
                "units": {"distance": "angstrom", "pdf": "G2 (Z-weighted, dimensionless)"},
                "metrics": {
                    "heldout": {"n": h["n"], "pdfErrorA": h["pdf_a"], "pdfErrorB": h["pdf_b"],
                                "pdfCoverage2Sigma": h["pdf_coverage_2sigma"], "distanceMae": h["dist_mae"],
                                "distanceCoverage2Sigma": h["dist_coverage_2sigma"],
                                "oodFlaggedFraction": h["ood_flagged_fraction"]},
                    "validation": {"n": v["n"], "pdfErrorA": v["pdf_a"], "pdfErrorB": v["pdf_b"],
                                   "pdfCoverage2Sigma": v["pdf_coverage_2sigma"], "distanceMae": v["dist_mae"],
                                   "distanceCoverage2Sigma": v["dist_coverage_2sigma"]},
                    "knnHeldout": {"k": {"pdf": k["ks"]["pdf"], "distance": k["ks"]["dist"]},
                                   "pdfErrorA": k["heldout"]["pdf_a"], "pdfErrorB": k["heldout"]["pdf_b"],
                                   "distanceMae": k["heldout"]["dist_mae"]},
                    "review": {"pdfRelativeError": "3.3 (2.7) %, AEGAN reverse, Fe, Table 4 (exact metric not "
                                                   "published)"},
                    "definitions": "pdfErrorA = 100 sum|yhat-y|/sum|y|, pdfErrorB = 100 sqrt(sum (y-yhat)^2)/sum "
                                   "yhat, per spectrum; median and IQR over spectra"}})
    cn = manifest_entry_common("fe-k-cn", cn_file, pre, grid, R["cards"]["fe-k-cn"], R)
    cn.update({"task": "coordination_number",
               "architecture": "%s deep ensemble, %d %s members, softmax, temperature %.3f"
               % (R["chosen"]["cn"].upper(), R["n_members"], _kind(R), R["calibration"]["temperature"]),
               "outputs": {"probabilities": "cn_probabilities", "probability_std": "cn_probability_std",
                           "ood_score": "ood_score"},
               "ood": ood_block(R),
               "classes": [str(c) for c in R["classes"]],
               "label": "first-shell CN = number of non-H atoms within 1.15 x (r_cov(Fe)=1.32 + r_cov(X)) A, "
                        "Cordero covalent radii",
               "calibration": {"temperature": R["calibration"]["temperature"]},
               "units": {"coordinationNumber": "count"},
               "metrics": {
                   "heldout": {"n": h["n"], "exact": h["cn"]["exact"], "within1": h["cn"]["within1"],
                               "ece": h["cn_ece"], "nll": h["cn_nll"]},
                   "validation": {"n": v["n"], "exact": v["cn"]["exact"], "within1": v["cn"]["within1"],
                                  "ece": v["cn_ece"]},
                   "knnHeldout": {"k": k["ks"]["cn"], "exact": k["heldout"]["cn"]["exact"],
                                  "within1": k["heldout"]["cn"]["within1"]}}})
    path = os.path.join(data.REPO, "models", "manifest.json")
    # merge: replace only the fe-k entries, keep every other pipeline's entries (e.g. m3d-*)
    others = []
    if os.path.exists(path):
        with open(path) as fh:
            others = [m for m in json.load(fh).get("models", []) if not str(m.get("id", "")).startswith("fe-k-")]
    doc = {"manifestVersion": 1, "models": [pdf, cn] + others}
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    return path


# ---------------------------------------------------------------- model cards

def _mi(d):
    return "%.1f (%.1f) [%.1f]" % (d["median"], d["iqr"], d["mean"])


def _pct(v):
    return "%.1f %%" % (100 * v)


def _common_sections(R, pre, grid):
    g = R["grid_selection"]
    lines = [
        "## Data, provenance, licence",
        "",
        "XANESNET Fe K-edge set (FDMNES spectra of tmQM/CSD complexes; Rankine, Madkhali & Penfold 2020; Penfold et "
        "al. 2024), GPL-3, read from `../shared/data/xanesnet-fe-k` (never copied into this repository). Published "
        "split: 4,079 training / 250 held-out pairs. The 4,079 are split %d train / %d validation (seed %d); every "
        "member trains on %s and keeps its best-on-validation epoch; "
        "calibration (std scale, temperature) is fitted on validation. The 250 held-out pairs are used only for "
        "the numbers below." % (R["n_train"], R["n_val"], R["split_seed"], _resamples(R)),
        "",
        "Rebuild everything (labels, kNN, comparison, members, ONNX, plots, cards, manifest, parity files): "
        "`cd models/training && /usr/bin/python3 -m fe_k all --data ../../../shared/data/xanesnet-fe-k` "
        "(%s, 2 shared CPU cores, PyTorch %s)." % (R["runtime"], R["torch"]),
        "",
        "## Input and preprocessing (contract with the Java service)",
        "",
        "mu(E) is normalised exactly as `io.xasstream.core.preprocess` does (numpy twin "
        "`models/training/xasprep/normalize.py`, Larch 0.9.58 `pre_edge`): E0 **fixed** at the tabulated Fe K edge "
        "7112 eV (moved to the nearest data point), pre-edge line over E0%+g..%+g eV, %s, then linear interpolation "
        "onto an **absolute** grid of %d points from %.1f eV in %.2f eV steps (spectra that do not cover it are "
        "rejected, no padding). Parameters in `models/manifest.json`."
        % (pre["pre1"], pre["pre2"], _post_edge_words(pre), grid["count"], grid["startEv"], grid["stepEv"]),
        "",
        "The preprocessing is chosen by kNN on validation (same split, k per task on validation; `python3 -m fe_k "
        "grid`), then confirmed by the networks (`python3 -m fe_k.versions` against the previous version):",
        "",
        "| input (`fe_k.data.SPECS`) | E0 | post-edge | rejected (train) | PDF (a) median | distance MAE (Å) | CN exact |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in g.items():
        nz, v = row["spec"]["normalization"], row["validation_knn"]
        lines.append("| %s%s | %s | %s | %d | %.1f %% | %.4f | %.3f |" % (
            name, " (served)" if name == R["spec_name"] else "", "fixed %g eV" % nz["e0"] if nz["e0"] else "derivative",
            "degree %d%s over E0+%g..+%g eV" % (nz["nnorm"], ", flattened" if nz["make_flat"] else "", nz["norm1"],
                                                 nz["norm2"]),
            row["rejected_train"], v["pdf_a_median"], v["dist_mae"], v["cn_exact"]))
    lines += [
        "",
        "Why a constant post-edge: the FDMNES spectra end 60 eV above the edge, so a degree-1 post-edge line is fitted "
        "across XANES oscillations; its value at E0 (the edge step) and its slope (flattening) then vary with the "
        "structure and rescale the very features the model reads. A constant (the mean level over the window) keeps "
        "their absolute height. Measured spectra are normalised the same way by the service.",
        "",
        "Why not a grid relative to a derivative-maximum E0: the FDMNES spectra (minimal broadening) have sharp "
        "post-edge features, and the largest derivative lands above 7120 eV for %s of them (E0 from 7110.7 to "
        "7138 eV), so E0-relative ranges put the pre-edge fit across the edge (%d of 4,079 training spectra are "
        "rejected with NON_POSITIVE_EDGE_STEP) and the common relative window shrinks to -13.5..+34 eV. Measured "
        "spectra from other beamlines need their energy calibrated to the Fe foil scale (the service's "
        "reference-channel calibration) before this model sees them."
        % (R["e0_jump_fraction"], g["rel"]["rejected_train"]),
        "",
        "## Versions",
        "",
    ] + ["- " + h for h in R["history"]] + [""]
    return lines


def _post_edge_words(pre):
    if pre["nnorm"] == 0 and not pre["makeFlat"]:
        return ("edge step = the mean post-edge level over E0%+g..%+g eV (constant post-edge, Larch nnorm 0), "
                "normalised mu not flattened (`%s`)" % (pre["norm1"], pre["norm2"], pre["quantity"]))
    return ("post-edge polynomial of degree %d over E0%+g..%+g eV, edge step from the fits, %s mu (`%s`)"
            % (pre["nnorm"], pre["norm1"], pre["norm2"], "flattened" if pre["makeFlat"] else "normalised",
               pre["quantity"]))


def _arch_section(R, task):
    c = R["compare"]
    lines = ["## Architecture comparison (validation, one member each, no bootstrap, same seed and schedule)", "",
             "| | PDF (a) median | distance MAE (Å) | CN exact | CN ±1 | parameters (PDF / CN) |",
             "|---|---|---|---|---|---|"]
    for a in ("mlp", "cnn"):
        lines.append("| %s | %.1f %% | %.4f | %.3f | %.3f | %d / %d |" % (
            a.upper(), c[a]["pdf_a_median"], c[a]["dist_mae"], c[a]["cn"]["exact"], c[a]["cn"]["within1"],
            c[a]["parameters"]["pdf"], c[a]["parameters"]["cn"]))
    lines += ["", "Kept for this task: **%s**. MLP: %s. CNN: %s." % (R["chosen"][task].upper(), R["arch_text"]["mlp"],
                                                                     R["arch_text"]["cnn"]), ""]
    return lines


def study_section(name):
    """The card lines a study wrote (`write_study_section`) into its committed results file: the cards quote the
    studies from there, so they never depend on which studies were run on this machine."""
    with open(os.path.join(STUDY_RESULTS, name + ".md")) as fh:
        return fh.read().split("\n")


def write_study_section(name, lines):
    """Saves a study's card lines (each card section ends with an empty line) for `study_section`."""
    os.makedirs(STUDY_RESULTS, exist_ok=True)
    with open(os.path.join(STUDY_RESULTS, name + ".md"), "w") as fh:
        fh.write("\n".join(lines))


def _kind(R):
    """The members' kind as the cards and the manifest name it (FE_K_BOOTSTRAP=0 trains seed-only members)."""
    return "bootstrap" if R["bootstrap"] else "seed-only"


def _resamples(R, plural=False):
    if R["bootstrap"]:
        return "bootstrap resamples of the train part" if plural else "a bootstrap resample of the train part"
    return "the whole train part (seed-only members, no bootstrap)"


def _reference_section(R, task):
    lines = ["## Measured reference spectra (not a gate)", "",
             "Fe K-edge spectra from the xraylarch examples (`../shared/data/reference-spectra`, MIT), through the "
             "same preprocessing. Theory-trained models meeting experiment is the known weak spot; the OOD column "
             "says whether the input looks unlike the training inputs (threshold %.3f)." % R["ood_threshold"], "",
             "| file | sample | label CN (ligand) | predicted CN (p) | first-shell R ± σ (Å) | OOD score | flagged |",
             "|---|---|---|---|---|---|---|"]
    for r in R["reference"]:
        if "rejected" in r:
            lines.append("| %s | %s | %s (%s) | rejected: %s | | | |" % (
                r["file"], r["sample"], r["label_cn"] or "-", r["label_ligand"], r["rejected"]))
            continue
        lines.append("| %s | %s | %s (%s) | %d (%.2f) | %.3f ± %.3f | %.2f | %s |" % (
            r["file"], r["sample"], r["label_cn"] or "-", r["label_ligand"], r["cn_predicted"], r["cn_probability"],
            r["distance"], r["distance_std"], r["ood_score"], "yes" if r["ood_flagged"] else "no"))
    s = R["reference_summary"]
    lines += ["", "Labelled and accepted: %d; CN exact %d, within ±1 %d; OOD-flagged %d of %d accepted." % (
        s["n_labelled"], s["exact"], s["within1"], s["flagged"], s["n_accepted"]), ""]
    return lines


def write_pdf_card(R, pre, grid, path):
    h, v, k, nh = R["heldout"], R["validation"], R["knn"], R["network"]["heldout"]
    kh, kv = k["heldout"], k["validation"]
    goal_a = 0.7 * kh["pdf_a"]["median"]
    goal_d = 0.7 * kh["dist_mae"]
    ok = lambda b: "met" if b else "**not met**"  # noqa: E731
    lines = [
        "# Model card: fe-k-pdf %s (Fe K-edge reverse model: spectrum → pseudo-PDF + first-shell distance)"
        % R["versions"]["fe-k-pdf"],
        "",
        "`fe-k/fe-k-pdf-%s.onnx`: one ONNX graph (opset %d, dynamic batch) holding a deep ensemble of %d %s "
        "%s members with heteroscedastic Gaussian heads (β-NLL training, β = 0.5) and the %d published training "
        "pairs (model inputs, G2 curves, distances) for a nearest-neighbour lookup. Input `spectrum` float32 "
        "[batch, %d]; outputs `pdf_mean`, `pdf_std` [batch, 32] (the 32 G2 terms), `distance_mean`, "
        "`distance_std` [batch, 1] (Å), `ood_score` [batch, 1], and the ensemble's own four (`ensemble_pdf_mean` "
        "...). Served answer (since 1.2.0): the G2 curve %.2f × the nearest training pair's + %.2f × the "
        "ensemble's, the distance %.2f / %.2f; std = s × sqrt(ensemble std² + (nearest − ensemble)²), s = %.3f "
        "(G2) and %.3f (distance), the ensemble std being sqrt(mean member variance + variance of member means) × "
        "%.3f (G2) / %.3f (distance). Weights and scales are chosen on validation with the training part as the "
        "index (`fe_k/blend.py` says why: near-duplicate complexes, where the nearest pair is almost exact)."
        % (R["versions"]["fe-k-pdf"], R["opset"], R["n_members"], _kind(R), R["chosen"]["pdf"].upper(),
           R["blend"]["index_pairs"], grid["count"], R["blend"]["w_pdf"], 1 - R["blend"]["w_pdf"],
           R["blend"]["w_distance"], 1 - R["blend"]["w_distance"], R["blend"]["pdf_std_scale"],
           R["blend"]["distance_std_scale"], R["calibration"]["g2_scale"], R["calibration"]["dist_scale"]),
        "",
        "Target (exactly as issue 4): G2(r_k) = Σ_j Z_j f_c(r_j) exp(−η (r_j − r_k)²) over all atoms j ≠ Fe (H "
        "included) with r_j < 6 Å, f_c(r) = ½(cos(πr/6)+1), r_k = 32 points 1.5…5.5 Å, η = 1/(2Δr²) = %.3f Å⁻²; "
        "first-shell distance = shortest Fe–X over non-H atoms." % L.ETA,
        "",
    ]
    lines += _common_sections(R, pre, grid)
    lines += [
        "## Metrics",
        "",
        "PDF errors per spectrum: (a) 100·Σ|ŷ−y|/Σ|y|, (b) XANESNET's 100·sqrt(Σ(y−ŷ)²)/Σŷ; median (IQR) over "
        "spectra (mean in brackets after it). The review's 3.3 (2.7) % (AEGAN reverse, Fe, Table 4) is quoted for "
        "orientation: its exact metric is not published.",
        "",
        "| | PDF (a) | PDF (b) | G2 inside ±2σ | distance MAE (Å) | distance inside ±2σ |",
        "|---|---|---|---|---|---|",
        "| **held-out (250), this model** | %s %% | %s %% | %s | %.4f | %s |" % (
            _mi(h["pdf_a"]), _mi(h["pdf_b"]), _pct(h["pdf_coverage_2sigma"]), h["dist_mae"],
            _pct(h["dist_coverage_2sigma"])),
        "| validation (%d), this model (training part as the index) | %s %% | %s %% | %s | %.4f | %s |" % (
            v["n"], _mi(v["pdf_a"]), _mi(v["pdf_b"]), _pct(v["pdf_coverage_2sigma"]), v["dist_mae"],
            _pct(v["dist_coverage_2sigma"])),
        "| held-out, the ensemble alone (1.1.0's answer) | %s %% | %s %% | %s | %.4f | %s |" % (
            _mi(nh["pdf_a"]), _mi(nh["pdf_b"]), _pct(nh["pdf_coverage_2sigma"]), nh["dist_mae"],
            _pct(nh["dist_coverage_2sigma"])),
        "| held-out, kNN (k = %d PDF, %d distance) | %s %% | %s %% | | %.4f | |" % (
            k["ks"]["pdf"], k["ks"]["dist"], _mi(kh["pdf_a"]), _mi(kh["pdf_b"]), kh["dist_mae"]),
        "| validation, kNN | %s %% | %s %% | | %.4f | |" % (_mi(kv["pdf_a"]), _mi(kv["pdf_b"]), kv["dist_mae"]),
        "| review (AEGAN reverse, Fe; metric not published) | 3.3 (2.7) % | | | | |",
        "",
        "Goals on held-out: PDF (a) ≤ 0.7 × kNN = %.1f %%: %s (%.1f %%, ratio %.2f); distance MAE ≤ 0.7 × kNN = "
        "%.4f Å: %s (%.4f Å, ratio %.2f); G2 within ±2σ in [90 %%, 98 %%]: %s (%s); distance within ±2σ: %s (%s). "
        "Issue 33, at least as good as kNN on both: PDF (a) %s, distance %s (kNN above searches the training part; "
        "`FeHeldOutEvaluationTest` asserts it against kNN over all 4,079 pairs, the index the served graph searches). "
        "Uncalibrated validation coverage of the ensemble (scale 1): G2 %s, distance %s. OOD: %s of held-out spectra "
        "flagged."
        % (goal_a, ok(h["pdf_a"]["median"] <= goal_a), h["pdf_a"]["median"], h["pdf_a"]["median"] / kh["pdf_a"]["median"],
           goal_d, ok(h["dist_mae"] <= goal_d), h["dist_mae"], h["dist_mae"] / kh["dist_mae"],
           ok(0.90 <= h["pdf_coverage_2sigma"] <= 0.98), _pct(h["pdf_coverage_2sigma"]),
           ok(0.90 <= h["dist_coverage_2sigma"] <= 0.98), _pct(h["dist_coverage_2sigma"]),
           ok(h["pdf_a"]["median"] <= kh["pdf_a"]["median"]), ok(h["dist_mae"] <= kh["dist_mae"]),
           _pct(R["calibration"]["uncalibrated"]["g2_cov2"]), _pct(R["calibration"]["uncalibrated"]["dist_cov2"]),
           _pct(h["ood_flagged_fraction"])),
        "",
        "![best, median and worst held-out predictions](plots/fe-k-pdf_examples.png)",
        "",
        "![calibration](plots/fe-k-pdf_calibration.png)",
        "",
    ]
    lines += _arch_section(R, "pdf")
    lines += ["## What else was tried", ""] + ["- " + t for t in R["tried"]] + [""]
    lines += study_section("fe_k_ceiling_pdf") + study_section("fe_k_curve_pdf")
    lines += _reference_section(R, "pdf")
    lines += ["## Limits", ""] + ["- " + t for t in R["limits_pdf"]] + [""]
    with open(path, "w") as fh:
        fh.write("\n".join(lines))


def write_cn_card(R, pre, grid, path):
    h, v, k = R["heldout"], R["validation"], R["knn"]
    ok = lambda b: "met" if b else "**not met**"  # noqa: E731
    lines = [
        "# Model card: fe-k-cn %s (Fe K-edge first-shell coordination-number classifier)" % R["versions"]["fe-k-cn"],
        "",
        "`fe-k/fe-k-cn-%s.onnx`: one ONNX graph (opset %d, dynamic batch) holding a deep ensemble of %d %s "
        "%s classifiers. Input `spectrum` float32 [batch, %d]; outputs `cn_probabilities` and `cn_probability_std` "
        "[batch, %d] over classes %s: the mean of the members' softmax(logits / T) and their population std, "
        "T = %.3f (temperature scaling on validation, kept only if it lowers validation ECE); and `ood_score` "
        "[batch, 1], the same out-of-distribution score and threshold (%.3f) as fe-k-pdf, so that the service can "
        "tell when the spectrum is unlike these complexes and let another model answer (a metal foil or an oxide)."
        % (R["versions"]["fe-k-cn"], R["opset"], R["n_members"], _kind(R), R["chosen"]["cn"].upper(), grid["count"],
           len(R["classes"]),
           ", ".join(str(c) for c in R["classes"]), R["calibration"]["temperature"], R["ood_threshold"]),
        "",
        "Label (exactly as issue 4): number of non-H atoms within 1.15 × (r_cov(Fe) = 1.32 Å + r_cov(X)), Cordero "
        "covalent radii. Note that η⁵-cyclopentadienyl and other π ligands count every bonded carbon, so CN 7–10 "
        "are common in this set. Class training counts: %s." % R["class_counts"],
        "",
    ]
    lines += _common_sections(R, pre, grid)
    lines += [
        "## Metrics",
        "",
        "| | CN exact | CN within ±1 | ECE (15 bins) |",
        "|---|---|---|---|",
        "| **held-out (250), this model** | %s | %s | %.3f |" % (_pct(h["cn"]["exact"]), _pct(h["cn"]["within1"]),
                                                               h["cn_ece"]),
        "| validation (%d), this model | %s | %s | %.3f |" % (v["n"], _pct(v["cn"]["exact"]), _pct(v["cn"]["within1"]),
                                                             v["cn_ece"]),
        "| held-out, kNN (k = %d) | %s | %s | |" % (k["ks"]["cn"], _pct(k["heldout"]["cn"]["exact"]),
                                                   _pct(k["heldout"]["cn"]["within1"])),
        "| validation, kNN | %s | %s | |" % (_pct(k["validation"]["cn"]["exact"]), _pct(k["validation"]["cn"]["within1"])),
        "| issue 4's kNN figure | 84 % | 96–98 % | |",
        "",
        "Goals on held-out: exact ≥ 90 %%: %s; within ±1 ≥ 98 %%: %s; ECE ≤ 0.05: %s. Validation ECE with T = 1: "
        "%.3f, with the chosen T: %.3f." % (
            ok(h["cn"]["exact"] >= 0.90), ok(h["cn"]["within1"] >= 0.98), ok(h["cn_ece"] <= 0.05),
            R["calibration"]["ece_validation"]["T=1"], R["calibration"]["ece_validation"]["T"]),
        "",
        "![best, median and worst held-out predictions](plots/fe-k-cn_examples.png)",
        "",
        "![calibration](plots/fe-k-cn_calibration.png)",
        "",
    ]
    lines += _arch_section(R, "cn")
    lines += ["## What else was tried", ""] + ["- " + t for t in R["tried_cn"]] + [""]
    lines += study_section("fe_k_ceiling_cn") + study_section("fe_k_curve_cn")
    lines += _reference_section(R, "cn")
    lines += ["## Limits", ""] + ["- " + t for t in R["limits_cn"]] + [""]
    with open(path, "w") as fh:
        fh.write("\n".join(lines))
