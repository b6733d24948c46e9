"""The measured side of the trust rules: contradictions, cross-validated tables, manifest metrics, the saved result."""
import json
import os

from . import calibrate as C, measured as MS, simdata

TASKS = {"oxidation_state": MS.ox_right,
         "coordination_number": lambda label, pred: abs(float(label) - float(pred)) < 1e-6}
RESULT = os.path.join(simdata.WORK, "trust.json")


def with_contradictions(rows, rules):
    """The served rules: each classifier's contradicted classes found on all development spectra."""
    out = {k: dict(v) for k, v in rules.items()}
    for task, right in TASKS.items():
        for mid, classes in C.contradicted(rows, rules, task, right).items():
            out[mid]["contradicted"] = sorted(classes)
    return out


def measured_tables(rows, rules):
    """Per task: leave-one-compound-out verdicts per spectrum, and tables by element and by answering model."""
    out = {}
    for task, right in TASKS.items():
        v = C.loco(rows, rules, task, right)
        out[task] = {"byElement": C.table(v, lambda r: r["element"]),
                     "byModel": C.table(v, lambda r, t=task: r["answers"][t]["entry"]["id"] + "|" + r["element"]),
                     "rows": [{"file": r["file"], "element": r["element"], "compound": r["compound"],
                               "label": r[C.LABEL[task]], "model": r["answers"][task]["entry"]["id"],
                               "predicted": pred, "probability": float(r["answers"][task]["out"]["probabilities"]
                                                                       .max()),
                               "oodRatio": float(r["answers"][task]["ratio"]), "verdict": verdict, "right": ok}
                              for r, verdict, pred, ok in v]}
    return out


def metrics(doc, rules, sim, result):
    """metrics.trust of every ruled model: its simulated risk-coverage and, for a classifier, the cross-validated
    counts of its measured answers by element (the Java MeasuredTrustTest reproduces them)."""
    out = {}
    for e in doc["models"]:
        if e["id"] not in rules:
            continue
        m = {k: v for k, v in sim.get(e["id"], {}).items() if k != "element"}
        if e["task"] in TASKS:
            by = result[e["task"]]["byModel"]
            m["measuredCrossValidated"] = {key.split("|")[1]: {k: v for k, v in t.items() if k != "trustedWrong"}
                                           for key, t in sorted(by.items()) if key.split("|")[0] == e["id"]}
        out[e["id"]] = m
    return out


def save(obj, path=RESULT):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(obj, fh, indent=1, default=float)
        fh.write("\n")
