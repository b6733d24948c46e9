"""`python3 -m m3d_studies.oxerrors [--reference]`: where the served oxidation-state graphs go wrong on simulated held-out
structures.

For each element the assembled data holds, the committed xanes graph (models/m3d, numpy ONNX evaluator; without a
reference channel, or with the edge position c under --reference) on the nominal held-out spectra:
* held-out structures by how many of their variations (beamline noise, calibration, edge-model jitter) are wrong:
  none, some (MIXED: the answer turns on the draw, so the structure sits on a class boundary) or nearly all (one
  kind of site the simulation gives another state's shape);
* the kinds of site (oxidation state, geometry, ligand) with the most wrong spectra;
* the commonest confusions (true state -> predicted state).
A diagnostic: it trains and chooses nothing. Result: work/m3d/results/<data>/oxerrors[_reference].json."""
from __future__ import annotations

import argparse
import collections
import os

import numpy as np

from fe_k import onnxcheck

from . import cnerrors as CE
from m3d import pipeline as P
from m3d import reference as REF

MIXED = (0.2, 0.8)   # a structure with a wrong share of its variations inside this range is "mixed"


def structure_groups(structures, correct):
    """Counts of structures whose share of wrong variations is 0, in (0, MIXED[0]), MIXED, or above MIXED[1]."""
    wrong = collections.defaultdict(list)
    for s, ok in zip(structures, correct):
        wrong[int(s)].append(not ok)
    out = {"none": 0, "few": 0, "mixed": 0, "most": 0}
    for w in wrong.values():
        f = float(np.mean(w))
        out["none" if f == 0 else "few" if f < MIXED[0] else "mixed" if f <= MIXED[1] else "most"] += 1
    return out


def site_label(site):
    return "metal" if site.is_metal else "%s(%d) %s %s" % (site.absorber, site.oxidation_state, site.geometry,
                                                           site.ligand)


def predicted_states(d, idx, el, reference):
    """The committed xanes oxidation-state graph's answers for rows idx: without a reference channel, or with the
    edge position c (the graph's edge_shift input)."""
    feeds = {"spectrum": P.window_input(d["x"][idx], "xanes").astype(np.float32),
             "edge_shift": REF.edge_shift_rows(d["c"][idx], known=reference)}
    prob = onnxcheck.run(P.graph_file(el, "ox"), feeds)[P.output_names("ox")[0]]
    return np.array(CE.served_classes(P.model_id(el, "ox")))[prob.argmax(1)]


def element_rows(d, el, sites, reference):
    idx = CE.nominal_rows(d, el)
    pred = predicted_states(d, idx, el, reference)
    y = d["ox"][idx]
    ok = pred == y
    kinds = CE.by_kind([site_label(sites[int(s)]) for s in d["structure"][idx]], ok)
    worst = sorted(((w, n, k) for k, (w, n) in kinds.items() if w), reverse=True)[:6]
    conf = collections.Counter("%d -> %d" % (a, b) for a, b in zip(y, pred) if a != b)
    return {"element": el, "n": int(len(idx)), "accuracy": float(np.mean(ok)), "wrong": int(np.sum(~ok)),
            "structures": structure_groups(d["structure"][idx], ok),
            "worstKinds": [[k, w, n] for w, n, k in worst], "confusions": conf.most_common(6)}


def table(rows):
    out = ["| element | held-out | structures: no / few (< %d %%) / mixed / most (> %d %%) variations wrong | "
           "commonest confusions |" % (100 * MIXED[0], 100 * MIXED[1]), "|---|---|---|---|"]
    for r in rows:
        s = r["structures"]
        out.append("| %s | %.1f %% | %d / %d / %d / %d | %s |" % (
            r["element"], 100 * r["accuracy"], s["none"], s["few"], s["mixed"], s["most"],
            ", ".join("%s: %d" % (c, n) for c, n in r["confusions"][:4])))
    out.append("")
    for r in rows:
        out.append("%s, most wrong spectra (wrong / n): %s" % (r["element"], "; ".join(
            "%s %d/%d" % (k, w, n) for k, w, n in r["worstKinds"])))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", action="store_true", help="with the edge position c (a reference-foil channel)")
    a = ap.parse_args(argv)
    tag, rows = CE.served_data_rows(lambda d, el, sites: element_rows(d, el, sites, a.reference), "oxidation-state")
    P.save_json({"reference": a.reference, "rows": rows},
                P.result_path(tag, "oxerrors" + ("_reference" if a.reference else "")))
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
