"""`python3 -m fe_k_studies.versions OLD_MODELS_DIR [--data DIR]`: an earlier fe-k version against the current one, spectrum by
spectrum, on validation and on the 250 held-out pairs.

OLD_MODELS_DIR is a `models/` directory of the earlier commit, e.g. `git archive 064d2ab models | tar -x -C /tmp/old`
then `/tmp/old/models`. Each version's inputs are built with the preprocessing its own manifest states (matched to a
spec in data.SPECS; an old spec no longer there is an error). Prints CN exact / within +-1 with the spectra gained and
lost and an exact McNemar p, and distance / PDF (a) errors with a Wilcoxon signed-rank p. Trains and chooses nothing."""
from __future__ import annotations

import json
import os

import numpy as np
from scipy.stats import binomtest, wilcoxon

from fe_k import data, metrics as M, onnxcheck, report
from fe_k_studies import cli


def _version(models_dir):
    with open(os.path.join(models_dir, "manifest.json")) as fh:
        models = {m["id"]: m for m in json.load(fh)["models"]}
    pdf, cn = models["fe-k-pdf"], models["fe-k-cn"]
    names = [n for n, s in data.SPECS.items()
             if report.preprocessing_block(s) == pdf["input"]["preprocessing"]
             and report.grid_block(s) == pdf["input"]["grid"]]
    if not names:
        raise SystemExit("%s: its preprocessing matches no spec in fe_k.data.SPECS" % models_dir)
    return {"spec": names[0], "version": pdf["version"], "classes": [int(c) for c in cn["classes"]],
            "pdf": os.path.join(models_dir, pdf["file"]), "cn": os.path.join(models_dir, cn["file"])}


def _errors(v, data_dir):
    """Per-spectrum outcomes of one version: {part: dict(exact, within1, dist_err, pdf_a)}."""
    d, te = data.load(data_dir, "train", v["spec"]), data.load(data_dir, "test", v["spec"])
    _, vai = data.split(len(d["names"]))
    out = {}
    for part, s in (("validation", {k: d[k][vai] for k in ("x", "cn", "dist", "g2")}), ("held-out", te)):
        f = {"spectrum": s["x"].astype(np.float32)}
        o, c = onnxcheck.run(v["pdf"], f), onnxcheck.run(v["cn"], f)
        cn = np.asarray(v["classes"])[np.argmax(c["cn_probabilities"], 1)]
        out[part] = {"exact": cn == s["cn"], "within1": np.abs(cn - s["cn"]) <= 1,
                     "dist_err": np.abs(o["distance_mean"][:, 0] - s["dist"]),
                     "pdf_a": M.pdf_errors(s["g2"], o["pdf_mean"])[0]}
    return out


def paired_p(a, b):
    """Wilcoxon signed-rank p of two versions' per-spectrum errors; "identical" where a task's model did not change
    between them (one version may retrain only the other task), for which the test is undefined."""
    return "identical" if np.array_equal(a, b) else "%.1e (Wilcoxon)" % wilcoxon(a, b).pvalue


def compare(old_dir, data_dir):
    old, cur = _version(old_dir), _version(os.path.join(data.REPO, "models"))
    eo, ec = _errors(old, data_dir), _errors(cur, data_dir)
    lines = ["old %s (input %s) vs current %s (input %s)" % (old["version"], old["spec"], cur["version"], cur["spec"]),
             "", "| part | metric | old | current | gained / lost or current better | p |", "|---|---|---|---|---|---|"]
    for part in ("validation", "held-out"):
        a, b = eo[part], ec[part]
        for k in ("exact", "within1"):
            gained, lost = int((~a[k] & b[k]).sum()), int((a[k] & ~b[k]).sum())
            p = binomtest(gained, gained + lost).pvalue if gained + lost else 1.0
            lines.append("| %s | CN %s | %.1f %% | %.1f %% | %d / %d | %.3f (McNemar) |" % (
                part, k, 100 * a[k].mean(), 100 * b[k].mean(), gained, lost, p))
        for k, fmt, what in (("dist_err", "%.4f Å", "distance MAE"), ("pdf_a", "%.1f %%", "PDF (a) median")):
            agg = np.mean if k == "dist_err" else np.median
            lines.append("| %s | %s | %s | %s | %.0f %% of spectra | %s |" % (
                part, what, fmt % agg(a[k]), fmt % agg(b[k]), 100 * np.mean(b[k] < a[k]), paired_p(a[k], b[k])))
    return "\n".join(lines)


def main(argv=None):
    ap = cli.parser("versions", __doc__)
    ap.add_argument("old_models_dir")
    a = ap.parse_args(argv)
    print(compare(a.old_models_dir, a.data))


if __name__ == "__main__":
    main()
