"""The m3d models' trust rules from simulations, and their risk-coverage on simulated held-out spectra.

Every served m3d graph runs (numpy ONNX evaluator) on the theory-shift set of `simdata`: its validation structures
fit the rules, its held-out structures measure them, and so does the committed nominal held-out sample. A xanes-window
graph reads the first values of the wide input, as the service's own grid does. The models of one task and window
share one rule, fitted on their nine elements' answers together (calibrate's docstring says why)."""
import os

import numpy as np

from fe_k import onnxcheck

from . import calibrate as C, manifest as MF, rule as R, simdata

THEORY = 3.0
CLASS_TASKS = {"oxidation_state": "ox", "coordination_number": "cn"}
CLASS_NOTE = ("minProbability: smallest threshold (0.01 steps from 0.5) at which the answers of the %s graphs of all "
              "nine elements on their simulated validation structures, re-simulated with every theory-side deviation "
              "tripled, are right >= %.0f %%; contradicted: the classes that a measured development spectrum answered "
              "wrongly although the rest of the rule trusted it (python3 -m trust)")
INTERVAL_NOTE = ("limits: the widest interval (pseudo-PDF: summed std / summed |mean|; distance: std) at which the "
                 "answers of the %s graphs of all nine elements on their simulated validation structures, "
                 "re-simulated with every theory-side deviation tripled, stay within tolerance (PDF error (a) <= %g %%; "
                 "distance within %g A) >= %.0f %% of the time (python3 -m trust)")


def run_graph(entry, x):
    feeds = {entry["input"]["name"]: np.asarray(x, np.float32)[:, :entry["input"]["grid"]["count"]]}
    if entry.get("edgeShift"):
        feeds[entry["edgeShift"]["name"]] = np.zeros((len(x), entry["edgeShift"]["width"]), np.float32)
    out = onnxcheck.run(os.path.join(MF.MODELS, entry["file"]), feeds)
    return {logical: out[graph] for logical, graph in entry["outputs"].items()}


def outcomes(entry, d):
    """Per spectrum of d: OOD flag and, for a classifier, top probability and rightness; for a regressor the
    relative pseudo-PDF std and PDF (a) error, the distance std and error (labels permitting)."""
    out = run_graph(entry, d["x"])
    o = {"ood": out["ood_score"][:, 0] > entry["ood"]["threshold"], "out": out}
    if entry["task"] in CLASS_TASKS:
        pred = np.asarray([float(c) for c in entry["classes"]])[out["probabilities"].argmax(1)]
        o.update({"top": out["probabilities"].max(1), "right": pred == d[CLASS_TASKS[entry["task"]]]})
    else:
        o["rel"] = out["pdf_std"].astype(float).sum(1) / np.abs(out["pdf_mean"].astype(float)).sum(1)
        o["dstd"] = out["distance_std"][:, 0].astype(float)
        if "g2" in d:
            o["pdf_a"] = pdf_error_a(d["g2"], out["pdf_mean"])
            o["dist_err"] = np.abs(out["distance_mean"][:, 0] - d["dist"])
    return o


def pdf_error_a(y, yhat):
    y, yhat = np.asarray(y, float), np.asarray(yhat, float)
    return 100 * np.abs(yhat - y).sum(1) / np.abs(y).sum(1)


def group(entry):
    """Task and window of an m3d model id: m3d-<el>-k-<task>[-wide]."""
    return entry["id"].split("-k-", 1)[1]


def fit_group(name, outs):
    """The shared rule of one group from its models' validation outcomes (a list, one per element)."""
    cat = lambda k: np.concatenate([o[k] for o in outs])  # noqa: E731
    if "top" in outs[0]:
        return R.class_rule(C.min_probability(cat("top"), cat("right"), cat("ood")), (),
                            CLASS_NOTE % (name, 100 * C.TARGET))
    keep = ~cat("ood")
    return R.interval_rule(C.interval_limit(cat("rel")[keep], (cat("pdf_a") <= C.PDF_TOLERANCE)[keep]),
                           C.interval_limit(cat("dstd")[keep], (cat("dist_err") <= C.DISTANCE_TOLERANCE)[keep]),
                           INTERVAL_NOTE % (name, C.PDF_TOLERANCE, C.DISTANCE_TOLERANCE, 100 * C.TARGET))


def thresholds(val, held):
    """Why one threshold per group: the threshold the validation and the held-out structures give, pooled and per
    element (val, held: {element: outcomes of a classifier group})."""
    tau = lambda os_: C.min_probability(*(np.concatenate([o[k] for o in os_]) for k in ("top", "right", "ood")))  # noqa
    return {"pooled": {"validation": tau(list(val.values())), "heldout": tau(list(held.values()))},
            "perElement": {el: {"validation": tau([val[el]]), "heldout": tau([held[el]])} for el in val}}


def measure(entry, rule, o, d):
    """Risk-coverage of one rule on simulated spectra d, from the outcomes o of its graph on them."""
    out = o["out"]
    if entry["task"] in CLASS_TASKS:
        return C.class_risk_coverage(rule, entry["classes"], out["probabilities"], d[CLASS_TASKS[entry["task"]]],
                                     o["ood"])
    pv = R.pdf_verdicts(rule, out["pdf_mean"], out["pdf_std"], o["ood"]) == R.TRUSTED
    dv = R.distance_verdicts(rule, out["distance_std"][:, 0], o["ood"]) == R.TRUSTED
    res = {"n": int(len(pv)), "pdfCoverage": float(pv.mean()), "distanceCoverage": float(dv.mean())}
    if "pdf_a" in o:
        ok_p, ok_d = o["pdf_a"] <= C.PDF_TOLERANCE, o["dist_err"] <= C.DISTANCE_TOLERANCE
        res.update({"pdfTrustedWithinTolerance": float(ok_p[pv].mean()) if pv.any() else None,
                    "pdfAllWithinTolerance": float(ok_p.mean()),
                    "distanceTrustedWithinTolerance": float(ok_d[dv].mean()) if dv.any() else None,
                    "distanceAllWithinTolerance": float(ok_d.mean())})
    return res


def fit(doc, log=print):
    """({model id: trust block without contradictions}, {model id: simulated risk-coverage; "thresholds": why one
    threshold per group}) of every m3d entry."""
    shift = simdata.resimulated(THEORY, log)
    fixture = simdata.heldout_fixture()
    split = lambda s, k: {el: {n: v[d["split"] == k] for n, v in d.items()} for el, d in s.items()}  # noqa: E731
    sets = {"validation": split(shift, 1), "theoryShiftHeldout": split(shift, 2), "heldoutSample": fixture}
    groups = {}
    for e in doc["models"]:
        if e["id"].startswith("m3d-"):
            groups.setdefault(group(e), []).append(e)
    rules, sim = {}, {"thresholds": {}}
    for name, entries in sorted(groups.items()):
        outs = {k: {e["element"]: outcomes(e, d[e["element"]]) for e in entries} for k, d in sets.items()}
        rule = fit_group(name, list(outs["validation"].values()))
        log("trust %s: %s" % (name, {k: v for k, v in rule.items() if k != "calibration"}))
        if entries[0]["task"] in CLASS_TASKS:
            sim["thresholds"][name] = thresholds(outs["validation"], outs["theoryShiftHeldout"])
        for e in entries:
            el = e["element"]
            rules[e["id"]] = rule
            sim[e["id"]] = {"element": el, **{k: measure(e, rule, outs[k][el], sets[k][el])
                                              for k in ("theoryShiftHeldout", "heldoutSample")}}
    return rules, sim
