"""The fe-k models' trust rules from the fe-k validation pairs, and their risk-coverage on the 250 held-out pairs.

The served fe-k-pdf graph searches every training pair, validation included, so its validation answers would copy
themselves; the validation answers here are the graph's own ensemble outputs blended with the nearest pair of the
training part (fe_k.blend, the weights and scales of the manifest), which is how the blend was chosen."""
import os

import numpy as np

from fe_k import blend as B, data, ensemble as E, onnxcheck

from . import calibrate as C, manifest as MF, rule as R

CN_NOTE = ("minProbability: smallest threshold (0.01 steps from 0.5) at which the answers on the fe-k validation pairs "
           "are right >= %.0f %%; contradicted: the classes that a measured development spectrum answered wrongly "
           "although the rest of the rule trusted it (python3 -m trust)")
PDF_NOTE = ("limits: the widest interval (pseudo-PDF: summed std / summed |mean|; distance: std) at which the answers on "
            "the fe-k validation pairs stay within tolerance (PDF error (a) <= %g %%; distance within %g A) >= %.0f %% "
            "of the time (python3 -m trust)")


def _graph(entry, x):
    out = onnxcheck.run(os.path.join(MF.MODELS, entry["file"]), {"spectrum": np.asarray(x, np.float32)})
    return out


def pdf_outcomes(entry, out, ref, blended=True):
    """Served outputs (or, blended=False, ready-made dict g2/g2_std/dist/dist_std) against labels ref."""
    g, gs, d, ds = (out["pdf_mean"], out["pdf_std"], out["distance_mean"][:, 0], out["distance_std"][:, 0]) \
        if blended else (out["g2"], out["g2_std"], out["dist"], out["dist_std"])
    a = 100 * np.abs(np.asarray(g, float) - ref["g2"]).sum(1) / np.abs(ref["g2"]).sum(1)
    return {"mean": g, "std": gs, "dmean": d, "dstd": ds, "pdf_a": a, "dist_err": np.abs(np.asarray(d, float)
                                                                                            - ref["dist"]),
            "rel": np.asarray(gs, float).sum(1) / np.abs(np.asarray(g, float)).sum(1)}


def validation_pdf(entry, tr, va):
    """fe-k-pdf's validation answers with the training part as the index (see the module docstring)."""
    o = _graph(entry, va["x"])
    cal = entry["calibration"]["blend"]
    j = B.nearest(tr["x"], va["x"])
    g, gs = B.blended(o["ensemble_pdf_mean"].astype(float), o["ensemble_pdf_std"].astype(float), tr["g2"][j],
                      cal["wPdf"], cal["pdfStdScale"])
    d, ds = B.blended(o["ensemble_distance_mean"][:, 0].astype(float), o["ensemble_distance_std"][:, 0].astype(float),
                      tr["dist"][j], cal["wDistance"], cal["distanceStdScale"])
    return {"g2": g, "g2_std": gs, "dist": d, "dist_std": ds, "ood": o["ood_score"][:, 0]}


def interval_measure(rule, o, ood):
    pv = R.pdf_verdicts(rule, o["mean"], o["std"], ood) == R.TRUSTED
    dv = R.distance_verdicts(rule, o["dstd"], ood) == R.TRUSTED
    ok_p, ok_d = o["pdf_a"] <= C.PDF_TOLERANCE, o["dist_err"] <= C.DISTANCE_TOLERANCE
    return {"n": int(len(pv)), "pdfCoverage": float(pv.mean()),
            "pdfTrustedWithinTolerance": float(ok_p[pv].mean()) if pv.any() else None,
            "pdfAllWithinTolerance": float(ok_p.mean()), "distanceCoverage": float(dv.mean()),
            "distanceTrustedWithinTolerance": float(ok_d[dv].mean()) if dv.any() else None,
            "distanceAllWithinTolerance": float(ok_d.mean())}


def fit(doc, data_dir, log=print):
    """({fe-k-pdf, fe-k-cn: trust block without contradictions}, {id: held-out risk-coverage})."""
    models = {e["id"]: e for e in doc["models"]}
    pdf, cn = models["fe-k-pdf"], models["fe-k-cn"]
    tr, va, _ = E.splits(data_dir)
    te = data.load(data_dir, "test")
    thr = pdf["ood"]["threshold"]
    rules, sim = {}, {}

    classes = np.asarray([float(c) for c in cn["classes"]])
    cv, ct = _graph(cn, va["x"]), _graph(cn, te["x"])
    tau = C.min_probability(cv["cn_probabilities"].max(1), classes[cv["cn_probabilities"].argmax(1)] == va["cn"],
                            cv["ood_score"][:, 0] > thr)
    rules["fe-k-cn"] = R.class_rule(tau, (), CN_NOTE % (100 * C.TARGET))
    sim["fe-k-cn"] = {"element": "Fe", "heldout": C.class_risk_coverage(
        rules["fe-k-cn"], cn["classes"], ct["cn_probabilities"], te["cn"], ct["ood_score"][:, 0] > thr)}

    v = validation_pdf(pdf, tr, va)
    ov = pdf_outcomes(pdf, v, va, blended=False)
    keep = ~(v["ood"] > thr)
    rules["fe-k-pdf"] = R.interval_rule(C.interval_limit(ov["rel"][keep], (ov["pdf_a"] <= C.PDF_TOLERANCE)[keep]),
                                        C.interval_limit(np.asarray(ov["dstd"], float)[keep],
                                                         (ov["dist_err"] <= C.DISTANCE_TOLERANCE)[keep]),
                                        PDF_NOTE % (C.PDF_TOLERANCE, C.DISTANCE_TOLERANCE, 100 * C.TARGET))
    ot = _graph(pdf, te["x"])
    sim["fe-k-pdf"] = {"element": "Fe", "heldout": interval_measure(rules["fe-k-pdf"], pdf_outcomes(pdf, ot, te),
                                                                    ot["ood_score"][:, 0] > thr)}
    for k in rules:
        log("trust %s: %s" % (k, {a: b for a, b in rules[k].items() if a != "calibration"}))
    return rules, sim
