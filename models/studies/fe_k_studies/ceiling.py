"""`python3 -m fe_k_studies.ceiling`: how far the issue's goals lie from what the served ensemble, kNN and a retrieval network
reach on these data. Exploration only: nothing here feeds the served models.

Choices are made on validation, numbers reported on the 250 held-out pairs:
1. per-spectrum oracle: for each spectrum the better of the served ensemble (the committed ONNX graphs, through the
   numpy evaluator) and kNN. No gate, blend or selector of the two predictors can beat it.
2. blend w * kNN + (1 - w) * ensemble, w chosen on validation.
3. retrieval-augmented network (one member, no bootstrap): the K nearest training spectra's standardised G2,
   distance, CN one-hot and log spectral distance join the spectrum as inputs, and the output is the kNN prediction
   plus a learned residual; training rows see leave-one-out neighbours. It can memorise near-duplicates as kNN does
   and correct elsewhere, the two regimes WHY_KNN in the card describes.
4. near twins: validation spectra whose nearest training spectrum is in the closest tenth of distances; how much
   their G2 curves and CN labels still differ says what the spectrum alone does not determine.
5. CN label sensitivity: held-out complexes whose CN changes when the 1.15 bond factor becomes 1.10 or 1.20.
6. where along r the G2 error lies: per held-out spectrum, PDF (a) over the first shell, the next and the outer
   region (REGIONS) and each region's share of the error, for the ensemble and for kNN.
7. kernel ridge regression: a third family, which interpolates the training pairs (so it copies near-duplicates as
   kNN does) and smooths between them as a network does. Laplacian and Gaussian kernels on standardised inputs;
   kernel, width and ridge chosen on validation for each target (G2, distance, CN as one-hot scores) separately.
Results: work/fe_k/ceiling.json and the log."""
import copy
import os
import time

import numpy as np

from fe_k import data, ensemble as E, knn as KNN, labels as L, metrics as M, nets, pipeline as P, train as T

RETRIEVAL_K = 8
REGIONS = ((1.5, 2.5), (2.5, 3.5), (3.5, 5.5))   # Å, over the 32 G2 points; the last includes 5.5
RETRIEVAL_EPOCHS = 150
# kernel ridge grid: width as a multiple of 1 / median training distance of that kernel, ridge on the kernel diagonal
KRR_KERNELS = {"laplacian": (1.0, 3.0, 10.0), "gaussian": (0.3, 1.0, 3.0, 10.0)}
KRR_RIDGES = (1e-3, 1e-2, 1e-1)


def _served(x):
    """Ensemble G2 mean, distance mean and CN class index from the committed ONNX graphs (the network alone, not the
    served blend of fe-k-pdf 1.2.0: this stage studies what the network and kNN reach)."""
    o = P.committed_network(x)
    return o["pdf_mean"], o["distance_mean"][:, 0], np.argmax(o["cn_probabilities"], 1)


def _oracle(ref, classes, net, kn):
    a_net, a_knn = M.pdf_errors(ref["g2"], net[0])[0], M.pdf_errors(ref["g2"], kn["g2"])[0]
    e_net, e_knn = np.abs(net[1] - ref["dist"]), np.abs(kn["dist"] - ref["dist"])
    cn_net, cn_knn = np.asarray(classes)[net[2]], kn["cn"]
    return {"pdf_a_median": {"ensemble": float(np.median(a_net)), "knn": float(np.median(a_knn)),
                             "oracle": float(np.median(np.minimum(a_net, a_knn)))},
            "dist_mae": {"ensemble": float(e_net.mean()), "knn": float(e_knn.mean()),
                         "oracle": float(np.minimum(e_net, e_knn).mean())},
            "cn_exact": {"ensemble": float(np.mean(cn_net == ref["cn"])), "knn": float(np.mean(cn_knn == ref["cn"])),
                         "oracle": float(np.mean((cn_net == ref["cn"]) | (cn_knn == ref["cn"])))}}


def by_region(y, yhat, regions=REGIONS, mu=L.MU):
    """Per region of the G2 grid: median over spectra of PDF (a) on that region, of its share of the spectrum's
    whole error sum |yhat - y| and of its share of sum |y|."""
    err, out = np.abs(yhat - y), []
    for i, (lo, hi) in enumerate(regions):
        m = (mu >= lo) & ((mu < hi) if i < len(regions) - 1 else (mu <= hi))
        out.append({"from": lo, "to": hi, "n_points": int(m.sum()),
                    "pdf_a_median": float(np.median(100 * err[:, m].sum(1) / np.abs(y[:, m]).sum(1))),
                    "error_share_median": float(np.median(err[:, m].sum(1) / err.sum(1))),
                    "signal_share_median": float(np.median(np.abs(y[:, m]).sum(1) / np.abs(y).sum(1)))})
    return out


def _blend(va, te, net_va, net_te, kn_va, kn_te):
    """w * kNN + (1 - w) * ensemble for the G2 curve and for the distance, each w chosen on validation."""
    ws = np.linspace(0, 1, 21)
    pdf = lambda ref, net, kn, w: float(np.median(M.pdf_errors(ref["g2"], w * kn["g2"] + (1 - w) * net[0])[0]))  # noqa
    dist = lambda ref, net, kn, w: float(np.mean(np.abs(w * kn["dist"] + (1 - w) * net[1] - ref["dist"])))  # noqa
    w_pdf = float(ws[int(np.argmin([pdf(va, net_va, kn_va, w) for w in ws]))])
    w_dist = float(ws[int(np.argmin([dist(va, net_va, kn_va, w) for w in ws]))])
    return {"w_knn": w_pdf, "pdf_a_median": pdf(te, net_te, kn_te, w_pdf),
            "w_knn_dist": w_dist, "dist_mae": dist(te, net_te, kn_te, w_dist)}


def _retrieval(tr, va, te, classes, seed=20261125):
    import torch
    torch.manual_seed(seed)
    sx, sg, sd = T.Standardiser(tr["x"]), T.Standardiser(tr["g2"]), T.Standardiser(tr["dist"][:, None])
    g, dd = sg(tr["g2"]), sd(tr["dist"][:, None])
    onehot = np.eye(len(classes))[data.class_indices(tr["cn"], classes)]
    i_tr, d_tr = KNN.neighbours(tr["x"], tr["x"], RETRIEVAL_K, exclude_self=True)
    scale = float(np.median(d_tr[:, 0]))
    f32 = lambda a: torch.tensor(np.asarray(a), dtype=torch.float32)  # noqa: E731

    def rows(x, idx, dist):
        n = len(x)
        feats = np.concatenate([sx(x), g[idx].reshape(n, -1), dd[idx].reshape(n, -1), onehot[idx].reshape(n, -1),
                                np.log1p(dist / scale)], 1)
        # kNN baseline of the residual: mean G2 of the 2 nearest (the kNN k for the PDF), distance of the nearest
        return f32(feats), f32(g[idx[:, :2]].mean(1)), f32(dd[idx[:, 0]])

    xs, bg_s, bd_s = rows(tr["x"], i_tr, d_tr)
    sets = {}
    for name, ref in (("validation", va), ("heldout", te)):
        i, d = KNN.neighbours(tr["x"], ref["x"], RETRIEVAL_K)
        sets[name] = rows(ref["x"], i, d) + (ref,)
    model = nets.PDFNet("mlp", xs.shape[1])

    def heads(x, bg, bd):
        """the served PDF net's heads, its means taken as residuals on the kNN prediction"""
        g_mu, g_var, d_mu, d_var = model(x)
        return bg + g_mu, g_var, bd + d_mu, d_var

    def score(name):
        x, bg, bd, ref = sets[name]
        model.eval()
        with torch.no_grad():
            gm, _, dm, _ = heads(x, bg, bd)
        gp = gm.numpy() * sg.std + sg.mean
        dp = dm.numpy()[:, 0] * sd.std[0] + sd.mean[0]
        return float(np.median(M.pdf_errors(ref["g2"], gp)[0])), float(np.mean(np.abs(dp - ref["dist"])))

    gs, ds = f32(g), f32(dd)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    n, b = len(xs), 64
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=RETRIEVAL_EPOCHS * ((n + b - 1) // b),
                                                pct_start=0.1)
    gen = torch.Generator().manual_seed(seed)
    best, state, best_ep, t0 = np.inf, None, -1, time.time()
    for ep in range(RETRIEVAL_EPOCHS):
        model.train()
        perm = torch.randperm(n, generator=gen)
        for s in range(0, n, b):
            i = perm[s:s + b]
            gm, gv, dm, dv = heads(xs[i], bg_s[i], bd_s[i])
            loss = T.bnll(gm, gv, gs[i]).mean() + T.DIST_WEIGHT * T.bnll(dm, dv, ds[i]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        pdf_a, mae = score("validation")
        v = 0.5 * (pdf_a / 22.3 + mae / 0.0213)  # the sweep's criterion
        if v < best:
            best, state, best_ep = v, copy.deepcopy(model.state_dict()), ep
    model.load_state_dict(state)
    out = {"k": RETRIEVAL_K, "best_epoch": best_ep, "seconds": round(time.time() - t0)}
    for name in sets:
        pdf_a, mae = score(name)
        out[name] = {"pdf_a_median": pdf_a, "dist_mae": mae}
    return out


def kernel_distances(a, b, kernel, chunk=200):
    """L1 (laplacian) or squared Euclidean (gaussian) distances between the rows of a and b, in row chunks so
    that the [chunk, len(b), features] difference array stays small."""
    if kernel == "gaussian":
        return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T, 0.0)
    out = np.empty((len(a), len(b)))
    for i in range(0, len(a), chunk):
        out[i:i + chunk] = np.abs(a[i:i + chunk, None, :] - b[None, :, :]).sum(2)
    return out


def kernel_ridge_fits(x_tr, targets, queries, kernels=None, ridges=KRR_RIDGES):
    """For every (kernel, width, ridge): the kernel ridge predictions of `targets` [n, m] for each array of
    `queries` (dict name -> [q, features]), inputs standardised on x_tr. Yields (setting, {name: [q, m]})."""
    kernels = KRR_KERNELS if kernels is None else kernels
    mu, sd = x_tr.mean(0), x_tr.std(0) + 1e-8
    z_tr = (x_tr - mu) / sd
    for kernel, widths in kernels.items():
        d_tr = kernel_distances(z_tr, z_tr, kernel)
        d_q = {k: kernel_distances((q - mu) / sd, z_tr, kernel) for k, q in queries.items()}
        scale = float(np.median(d_tr))
        for w in widths:
            k_tr = np.exp(-(w / scale) * d_tr)
            for lam in ridges:
                coef = np.linalg.solve(k_tr + lam * np.eye(len(k_tr)), targets)
                yield ({"kernel": kernel, "width": w, "ridge": lam},
                       {k: np.exp(-(w / scale) * d) @ coef for k, d in d_q.items()})


def _kernel_ridge(tr, va, te, classes):
    """Kernel ridge regression of G2, distance and the CN one-hot; each target's setting chosen on validation."""
    gm, gs, dm = tr["g2"].mean(0), tr["g2"].std(0), tr["dist"].mean()
    onehot = np.eye(len(classes))[data.class_indices(tr["cn"], classes)]
    targets = np.concatenate([(tr["g2"] - gm) / gs, (tr["dist"] - dm)[:, None], onehot], 1)
    cls = np.asarray(classes)

    def scores(p, ref):
        return {"pdf_a_median": float(np.median(M.pdf_errors(ref["g2"], p[:, :32] * gs + gm)[0])),
                "dist_mae": float(np.mean(np.abs(p[:, 32] + dm - ref["dist"]))),
                "cn_exact": float(np.mean(cls[np.argmax(p[:, 33:], 1)] == ref["cn"]))}

    rows = []
    for setting, pred in kernel_ridge_fits(tr["x"], targets, {"validation": va["x"], "heldout": te["x"]}):
        rows.append((setting, scores(pred["validation"], va), scores(pred["heldout"], te)))
    out = {"settings_tried": len(rows)}
    for metric, better in (("pdf_a_median", min), ("dist_mae", min), ("cn_exact", max)):
        setting, v, h = better(rows, key=lambda r: r[1][metric])
        out[metric] = {"setting": setting, "validation": v[metric], "heldout": h[metric]}
    return out


def _twins(tr, va):
    idx, d = KNN.neighbours(tr["x"], va["x"], 1)
    near = d[:, 0] <= np.percentile(d[:, 0], 10)
    a = M.pdf_errors(va["g2"][near], tr["g2"][idx[near, 0]])[0]
    return {"n": int(near.sum()), "max_spectral_distance": float(d[near, 0].max()),
            "median_spectral_distance_all": float(np.median(d[:, 0])),
            "pdf_a_median": float(np.median(a)), "pdf_a_q3": float(np.percentile(a, 75)),
            "dist_mae": float(np.mean(np.abs(va["dist"][near] - tr["dist"][idx[near, 0]]))),
            "cn_differs": float(np.mean(va["cn"][near] != tr["cn"][idx[near, 0]]))}


def _label_sensitivity(data_dir):
    factors = (1.10, 1.20)
    changed, either = dict.fromkeys(factors, 0), 0
    files = data.data_files(data_dir, "test")
    for _, _, fxyz in files:
        z, xyz, _ = L.read_xyz(fxyz)
        cn = L.labels_from_structure(z, xyz)["cn"]
        moved = [L.labels_from_structure(z, xyz, cn_factor=f)["cn"] != cn for f in factors]
        for f, m in zip(factors, moved):
            changed[f] += int(m)
        either += int(any(moved))
    n = len(files)
    return {"n": n, "changed_at_1.10": changed[1.10] / n, "changed_at_1.20": changed[1.20] / n,
            "changed_at_either": either / n}


def run(data_dir, out_path, log):
    tr, va, classes = E.splits(data_dir)
    te = data.load(data_dir, "test")
    # the k the knn stage chose on validation (stage `knn` must have run)
    ks = P.load_result("knn")["ks"]
    kn = {}
    for name, ref in (("validation", va), ("heldout", te)):
        kn[name] = KNN.evaluate(tr, ref, ks, classes)[0]
    net = {"validation": _served(va["x"]), "heldout": _served(te["x"])}
    res = {"knn_ks": ks,
           "oracle": {n: _oracle(ref, classes, net[n], kn[n]) for n, ref in (("validation", va), ("heldout", te))},
           "blend": _blend(va, te, net["validation"], net["heldout"], kn["validation"], kn["heldout"]),
           "twins": _twins(tr, va),
           "cn_label_sensitivity": _label_sensitivity(data_dir),
           "regions": {"ensemble": by_region(te["g2"], net["heldout"][0]), "knn": by_region(te["g2"], kn["heldout"]["g2"])}}
    log("ceiling: oracle (held-out) %s" % res["oracle"]["heldout"])
    log("ceiling: blend %s; near twins %s; CN labels %s" % (res["blend"], res["twins"], res["cn_label_sensitivity"]))
    log("ceiling: G2 error by region (held-out) %s" % res["regions"])
    res["retrieval"] = _retrieval(tr, va, te, classes)
    log("ceiling: retrieval-augmented network %s" % res["retrieval"])
    res["kernel_ridge"] = _kernel_ridge(tr, va, te, classes)
    log("ceiling: kernel ridge regression %s" % res["kernel_ridge"])
    P.save_json(res, out_path)
    return res


def _more_precise(ensemble, knn):
    if knn < ensemble:
        return "kNN, copying near-duplicate complexes, is the more precise"
    return "the ensemble is the more precise" if ensemble < knn else "neither is the more precise"


def regions_table(reg):
    """Where along r the G2 error lies (ceiling item 6)."""
    lines = ["Where along r the error lies (held-out, medians over spectra; PDF (a) restricted to the region, the "
             "region's share of the spectrum's whole error and of its whole G2 signal):", "",
             "| region | G2 points | ensemble PDF (a) | kNN PDF (a) | ensemble share of error | kNN share of error | "
             "share of signal |", "|---|---|---|---|---|---|---|"]
    ens, kn = reg["ensemble"], reg["knn"]
    for e, k in zip(ens, kn):
        lines.append("| %.1f–%.1f Å | %d | %.1f %% | %.1f %% | %.0f %% | %.0f %% | %.0f %% |" % (
            e["from"], e["to"], e["n_points"], e["pdf_a_median"], k["pdf_a_median"], 100 * e["error_share_median"],
            100 * k["error_share_median"], 100 * e["signal_share_median"]))
    spread = max(e["error_share_median"] for e in ens) < 0.5
    lines += ["", "%s Beyond %.1f Å, which a 70 eV window hardly sees, PDF (a) is %.1f %% for the ensemble and %.1f %% "
              "for kNN; in the first shell %.1f %% against %.1f %%, where %s." % (
                  "The ensemble's error is spread over r: no region holds half of it." if spread else
                  "Most of the ensemble's error lies in one region.",
                  ens[-1]["from"], ens[-1]["pdf_a_median"], kn[-1]["pdf_a_median"], ens[0]["pdf_a_median"],
                  kn[0]["pdf_a_median"], _more_precise(ens[0]["pdf_a_median"], kn[0]["pdf_a_median"])), ""]
    return lines


def krr_settings(kr, metrics):
    """The kernel ridge settings chosen for these metrics, e.g. 'laplacian, width 3, ridge 0.001'; one entry per
    distinct setting, joined with ' / ' in the order of `metrics`."""
    seen = []
    for m in metrics:
        st = kr[m]["setting"]
        text = "%s, width %g, ridge %g" % (st["kernel"], st["width"], st["ridge"])
        if text not in seen:
            seen.append(text)
    return " / ".join(seen)


def card_section(c, task):
    """The model card's section on what this study measured (result `c` of `run`): how far the goals lie from the
    ensemble, kNN and their best mix."""
    o, b, r, t = c["oracle"]["heldout"], c["blend"], c["retrieval"], c["twins"]
    kr = c["kernel_ridge"]
    lines = ["## How far the goals lie (`python3 -m fe_k ceiling`, held-out; choices on validation)", ""]
    if task == "pdf":
        lines += [
            "| held-out | PDF (a) median | distance MAE (Å) |", "|---|---|---|",
            "| this ensemble | %.1f %% | %.4f |" % (o["pdf_a_median"]["ensemble"], o["dist_mae"]["ensemble"]),
            "| kNN | %.1f %% | %.4f |" % (o["pdf_a_median"]["knn"], o["dist_mae"]["knn"]),
            "| blend w × kNN + (1 − w) × ensemble (w on validation: %.2f G2, %.2f distance) | %.1f %% | %.4f |" % (
                b["w_knn"], b["w_knn_dist"], b["pdf_a_median"], b["dist_mae"]),
            "| retrieval-augmented network (one member: %d nearest training spectra's G2, distance, CN as inputs, "
            "kNN + learned residual) | %.1f %% | %.4f |" % (r["k"], r["heldout"]["pdf_a_median"],
                                                           r["heldout"]["dist_mae"]),
            "| kernel ridge regression (%s; kernel, width and ridge per target on validation) | %.1f %% | %.4f |" % (
                krr_settings(kr, ("pdf_a_median", "dist_mae")), kr["pdf_a_median"]["heldout"],
                kr["dist_mae"]["heldout"]),
            "| per-spectrum oracle: the better of ensemble and kNN | %.1f %% | %.4f |" % (
                o["pdf_a_median"]["oracle"], o["dist_mae"]["oracle"]),
            "| goal: 0.7 × kNN | %.1f %% | %.4f |" % (0.7 * o["pdf_a_median"]["knn"], 0.7 * o["dist_mae"]["knn"]),
            "",
            "No gate, blend or selector of ensemble and kNN can beat the oracle row: on PDF (a) even the oracle "
            "stays above the goal; on distance it is below, but only by knowing per spectrum which of two "
            "comparable errors is smaller, and the blend gains little. Neither the retrieval network nor kernel "
            "ridge regression, which interpolates the training pairs (copying near-duplicates as kNN does) and "
            "smooths between them, comes near the goal on either. Serving kNN or a blend would also put the "
            "training spectra and their labels (GPL-3 data, never copied into this repository) inside the committed "
            "ONNX file. Near twins: the tenth of validation spectra closest to a training spectrum "
            "(spectral distance ≤ %.3f, median over all %.3f) differ from it by PDF (a) %.1f %% (median) and %.4f Å "
            "in distance: those are the same or near-identical complexes, which kNN copies; the rest carry the "
            "error." % (t["max_spectral_distance"], t["median_spectral_distance_all"], t["pdf_a_median"],
                        t["dist_mae"]),
            ""] + regions_table(c["regions"])
    else:
        s = c["cn_label_sensitivity"]
        lines += [
            "CN exact on held-out: this ensemble %.1f %%, kNN %.1f %%, per-spectrum oracle (either right) %.1f %%, "
            "kernel ridge regression of the one-hot class (%s, chosen on validation, where it gives %.1f %%) %.1f %%. "
            "Label sensitivity: %.0f %% of the held-out complexes change CN when the bond factor 1.15 becomes "
            "1.10 (%.0f %%) or 1.20 (%.0f %%), i.e. one of their bonds lies within ~4 %% of the cut-off, where "
            "the label turns on a few hundredths of an ångström." % (
                100 * c["oracle"]["heldout"]["cn_exact"]["ensemble"], 100 * c["oracle"]["heldout"]["cn_exact"]["knn"],
                100 * c["oracle"]["heldout"]["cn_exact"]["oracle"], krr_settings(c["kernel_ridge"], ("cn_exact",)),
                100 * c["kernel_ridge"]["cn_exact"]["validation"], 100 * c["kernel_ridge"]["cn_exact"]["heldout"],
                100 * s["changed_at_either"],
                100 * s["changed_at_1.10"], 100 * s["changed_at_1.20"]),
            ""]
    return lines


def main(argv=None):
    """`cd models/studies && /usr/bin/python3 -m fe_k_studies.ceiling [--data DIR]`: writes work/fe_k/ceiling.json and the cards' sections (results/fe_k_ceiling_*.md); needs the knn stage and the ONNX files."""
    import sys
    from fe_k import pipeline as P
    from fe_k_studies import cli
    a = cli.parser("ceiling", __doc__).parse_args(argv if argv is not None else sys.argv[1:])
    cli.write_card_sections("ceiling", card_section, run(a.data, P.result_path("ceiling"), P.log))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
