"""`python3 -m m3d_studies.versions OLD_MODELS_DIR OLD_VERSION --blocks N`: an earlier m3d version against the current one on
the simulated held-out structures both have (those of the first N data blocks: roles are stable under added blocks).

OLD_MODELS_DIR is a `models/` directory of the earlier commit, e.g. `git archive 25cbacb models | tar -x -C /tmp/old`
then `/tmp/old/models`. Prints per element the oxidation-state and CN accuracy of both, through the ONNX graphs
(numpy evaluator), and the means. Reads the assembled data of `m3d all`; trains and chooses nothing."""
from __future__ import annotations

import argparse
import json
import os

import numpy as np

from fe_k import onnxcheck

from m3d import __main__ as M
from m3d import generate as G
from m3d import pipeline as P
from m3d import sampler
from m3d import train as T


def _classes(models_dir):
    with open(os.path.join(models_dir, "manifest.json")) as fh:
        return {m["id"]: ([int(c) for c in m["classes"]], os.path.join(models_dir, m["file"]))
                for m in json.load(fh)["models"] if m["id"].startswith("m3d-") and m.get("classes")}


def compare(old_dir, n_blocks, d):
    versions = {"old": _classes(old_dir), "current": _classes(os.path.dirname(P.OUT))}
    nominal = P.is_nominal(d, np.arange(len(d["x"])))
    rows = []
    for ei, el in enumerate(sampler.ELEMENTS):
        m = (d["element"] == ei) & (d["split"] == 2) & nominal & (d["structure"] < G.id_offset(n_blocks))
        x = P.window_input(d["x"][m], "xanes").astype(np.float32)
        row = {"element": el, "n": int(m.sum())}
        for task in ("ox", "cn"):
            for name, models in versions.items():
                classes, path = models[P.model_id(el, task)]
                prob = onnxcheck.run(path, {"spectrum": x})["%s_probabilities" % task]
                row["%s_%s" % (task, name)] = float(np.mean(np.array(classes)[prob.argmax(1)] == d[task][m]))
        rows.append(row)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old_models_dir")
    ap.add_argument("old_version")
    ap.add_argument("--blocks", type=int, required=True, help="data blocks the old version was trained on")
    a = ap.parse_args(argv)
    rows = compare(a.old_models_dir, a.blocks, T.load_data(M.data_tag(M.FULL)))
    print("| element | held-out spectra | ox %s | ox %s | CN %s | CN %s |" % (a.old_version, P.VERSION, a.old_version,
                                                                         P.VERSION))
    print("|---|---|---|---|---|---|")
    for r in rows + [{"element": "mean", "n": sum(r["n"] for r in rows),
                      **{k: float(np.mean([r[k] for r in rows])) for k in ("ox_old", "ox_current", "cn_old",
                                                                           "cn_current")}}]:
        print("| %s | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% |" % (
            r["element"], r["n"], 100 * r["ox_old"], 100 * r["ox_current"], 100 * r["cn_old"], 100 * r["cn_current"]))


if __name__ == "__main__":
    main()
