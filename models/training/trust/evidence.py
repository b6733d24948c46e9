"""`python3 -m trust.evidence`: which evidence separates the wrong oxidation-state answers on the measured development
spectra from the right ones. A diagnostic: it chooses nothing (the rule's choice is in the training README).

Per spectrum, for the served oxidation-state graph: the top probability, the ensemble's spread of it, the OOD score
as a fraction of its threshold, whether the graph's ten shape members (five per-element, five element-conditioned)
all name the same class and whether the two halves' means agree, and the edge position on the file's own energy
scale (E0 - tabulated edge) as a z-score against the simulated positions of the predicted class (the committed
nominal held-out sample). Then, per feature, the share of the wrong answers and of the right ones it would flag,
and the area under the ROC curve of wrong against right."""
import argparse
import os

import numpy as np
import onnx

from fe_k import onnxcheck
from xasprep import normalize as N, xdi

from . import manifest as MF, measured as MS, simdata

SHAPE_PREFIX = "/shape/Softmax"   # the fused graph's shape members' softmax outputs, members 0-4 per-element


def members(entry, x):
    """(n members, n classes) softmax outputs of the shape members of a fused oxidation-state graph."""
    m = onnx.load(os.path.join(MF.MODELS, entry["file"]))
    names = [n.output[0] for n in m.graph.node if n.op_type == "Softmax" and n.output[0].startswith(SHAPE_PREFIX)]
    for name in names:
        m.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    path = os.path.join(simdata.WORK, "members.onnx")
    os.makedirs(simdata.WORK, exist_ok=True)
    onnx.save(m, path)
    out = onnxcheck.run(path, {"spectrum": np.asarray(x, np.float32)[None, :],
                               entry["edgeShift"]["name"]: np.zeros((1, entry["edgeShift"]["width"]), np.float32)})
    return np.array([out[n][0] for n in names])


def auc(score, wrong):
    """P(score of a wrong answer > score of a right one), ties half."""
    s, w = np.asarray(score, float), np.asarray(wrong, bool)
    a, b = s[w][:, None], s[~w][None, :]
    return float(np.mean((a > b) + 0.5 * (a == b)))


def rows(doc):
    bands = {}
    for el, d in simdata.heldout_fixture().items():
        for k in np.unique(d["ox"]):
            c = d["c"][d["ox"] == k]
            bands[(el, float(k))] = (c.mean(), c.std())
    out = []
    for r in MS.labels():
        a = MS.answers(doc, r).get("oxidation_state")
        e = a["entry"]
        p = a["out"]["probabilities"]
        k = int(p.argmax())
        s = xdi.read_spectrum(os.path.join(MS.REF_DIR, r["file"]))
        x = N.preprocess(s["energy"], s["mu"], r["element"], r["edge"], MS.spec_of(e))["model_input"]
        mem = members(e, x)
        mu, sd = bands[(r["element"], float(e["classes"][k]))]
        out.append({"file": r["file"], "label": r["oxidation_state"], "predicted": e["classes"][k],
                    "right": MS.ox_right(r["oxidation_state"], e["classes"][k]), "p": float(p[k]),
                    "spread": float(a["out"]["probability_std"][k]), "ood": a["ratio"],
                    "unanimous": bool(len(set(mem.argmax(1))) == 1),
                    "halves": bool(mem[:5].mean(0).argmax() == mem[5:].mean(0).argmax()),
                    "edge_z": float((a["edge"] - mu) / sd)})
    return out


def main(argv=None):
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    rs = rows(MF.load())
    print("| file | label | answer | p | spread | OOD / threshold | members unanimous | halves agree | edge z |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rs:
        print("| %s | %s | %s%s | %.2f | %.3f | %.2f | %s | %s | %+.1f |" % (
            r["file"], r["label"], r["predicted"], "" if r["right"] else " (wrong)", r["p"], r["spread"], r["ood"],
            "yes" if r["unanimous"] else "no", "yes" if r["halves"] else "no", r["edge_z"]))
    wrong = np.array([not r["right"] for r in rs])
    feats = {"1 - p": [1 - r["p"] for r in rs], "spread": [r["spread"] for r in rs],
             "OOD / threshold": [r["ood"] for r in rs], "members split": [not r["unanimous"] for r in rs],
             "halves disagree": [not r["halves"] for r in rs], "|edge z|": [abs(r["edge_z"]) for r in rs]}
    print("\n%d wrong of %d. Per feature: AUC wrong vs right; flagged wrong / right at the cut" % (wrong.sum(),
                                                                                                 len(rs)))
    cuts = {"1 - p": 0.2, "spread": 0.1, "OOD / threshold": 0.6, "members split": 0.5, "halves disagree": 0.5,
            "|edge z|": 3.0}
    for name, v in feats.items():
        v = np.asarray(v, float)
        print("- %s: AUC %.2f; > %g: %d / %d wrong, %d / %d right" % (
            name, auc(v, wrong), cuts[name], np.sum(v[wrong] > cuts[name]), wrong.sum(),
            np.sum(v[~wrong] > cuts[name]), (~wrong).sum()))


if __name__ == "__main__":
    main()
