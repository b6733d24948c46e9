"""`python3 -m m3d_studies.cnerrors [--window wide|xanes]`: where the served CN graphs go wrong on simulated held-out
structures, by kind of site, and how much of the CN label is a matter of definition.

The CN label (simulate.structures.SiteModel.effective_cn) counts the first-shell ligands within CUT (0.35 Å) of the
shortest bond, so an octahedron or square pyramid with elongated axial bonds (Jahn-Teller ions: sampler.JAHN_TELLER,
elongation 0.15-0.75 Å) is CN 6 or 5 up to 0.35 Å of elongation and CN 4 beyond it. For each element this reads the
committed graphs (models/m3d, through the numpy ONNX evaluator) on the nominal held-out spectra of the assembled data
and reports
* accuracy by kind of site: metal, each regular polyhedron, and elongated polyhedra by elongation (below NEAR[0],
  within NEAR of the cut, above NEAR[1]);
* the two groups that carry most errors: five-coordinate sites (square pyramids, trigonal bipyramids: CN 5 against
  6 or 4 is one ligand's share of the first-shell amplitude, which static and thermal disorder also change) and
  polyhedra elongated within NEAR of the cut;
* the commonest confusions (true CN -> predicted CN);
* label sensitivity: the share of held-out structures whose CN changes when the cut becomes 0.30 or 0.40 Å (the
  analogue of `fe_k ceiling`'s bond-factor check).
With --windows it instead asks whether the two served CN graphs of an element together know more than the wide one
alone: accuracy of the xanes graph, the wide graph and the mean of their probabilities (a 10-member mixture, which a
fused graph could serve as one) on the nominal validation and held-out spectra (result: cnerrors_windows.json).
A diagnostic: it trains and chooses nothing. Result: work/m3d/results/<data>/cnerrors_<window>.json."""
from __future__ import annotations

import argparse
import collections
import json
import os

import numpy as np

from fe_k import onnxcheck
from simulate.structures import EFFECTIVE_CN_CUT

from m3d import __main__ as M
from m3d import generate as G
from m3d import pipeline as P
from m3d import sampler
from m3d import train as T

CUT = EFFECTIVE_CN_CUT
NEAR = (0.25, 0.45)
SENSITIVITY_CUTS = (0.30, 0.40)


def site_kind(site):
    """'metal', the geometry, or '<geometry> elongated <band>' with the band of the elongation against NEAR."""
    if site.is_metal:
        return "metal"
    if not site.split_long:
        return site.geometry
    dl = site.split_long[1]
    band = ("< %.2f Å" % NEAR[0] if dl < NEAR[0] else "> %.2f Å" % NEAR[1] if dl > NEAR[1]
            else "%.2f-%.2f Å" % NEAR)
    return "%s elongated %s" % (site.geometry, band)


def served_classes(model_id):
    """The output classes of a committed graph, as the manifest lists them (an element's CN net keeps only the CN
    values its training data holds)."""
    with open(os.path.join(G.REPO, "models", "manifest.json")) as fh:
        entry = next(m for m in json.load(fh)["models"] if m["id"] == model_id)
    return [int(c) for c in entry["classes"]]


def sites_by_structure(el, blocks):
    """Structure id -> site for every block (ids as `m3d generate` numbers them, generate.id_offset)."""
    return {G.id_offset(bi) + i: s for bi, (ns, _, seed) in enumerate(blocks)
            for i, (s, _) in enumerate(sampler.sites_for(el, ns, seed))}


def near_cut(site):
    return bool(site.split_long) and not site.is_metal and NEAR[0] <= site.split_long[1] <= NEAR[1]


def wrong_of(mask, correct):
    """[wrong, n] over the spectra in mask."""
    mask, correct = np.asarray(mask, bool), np.asarray(correct, bool)
    return [int(np.sum(mask & ~correct)), int(np.sum(mask))]


def by_kind(kinds, correct):
    """{kind: [wrong, n]} over spectra."""
    out = collections.defaultdict(lambda: [0, 0])
    for k, ok in zip(kinds, correct):
        out[k][0] += int(not ok)
        out[k][1] += 1
    return dict(out)


def nominal_rows(d, el, split=2):
    """Rows of the nominal spectra of an element's structures in one split (1 validation, 2 held-out)."""
    ei = sampler.ELEMENTS.index(el)
    return P.nominal(d, np.flatnonzero((d["element"] == ei) & (d["split"] == split)))


def element_rows(d, el, sites, window):
    idx = nominal_rows(d, el)
    pred = class_probabilities(el, P.answering_key("cn", window), d["x"][idx]).argmax(1)   # column k is CN k
    y = d["cn"][idx]
    st = [sites[int(s)] for s in d["structure"][idx]]
    if any(sampler.effective_cn(s) != int(t) for s, t in zip(st, y)):
        raise RuntimeError("%s: the data's CN labels are not the sites' (another generator version?)" % el)
    structures = sorted(set(int(s) for s in d["structure"][idx]))
    changed = {c: float(np.mean([sampler.effective_cn(sites[s], c) != sampler.effective_cn(sites[s])
                                 for s in structures])) for c in SENSITIVITY_CUTS}
    conf = collections.Counter("%d -> %d" % (a, b) for a, b in zip(y, pred) if a != b)
    ok = pred == y
    return {"element": el, "n": int(len(idx)), "accuracy": float(np.mean(ok)), "wrong": int(np.sum(~ok)),
            "fiveCoordinate": wrong_of(y == 5, ok), "nearCut": wrong_of([near_cut(s) for s in st], ok),
            "byKind": by_kind([site_kind(s) for s in st], ok),
            "confusions": conf.most_common(6), "heldoutStructures": len(structures),
            "labelChangedAtCut": {"%.2f" % c: v for c, v in changed.items()}}


def class_probabilities(el, key, x, n_classes=max(T.CN_CLASSES) + 1):
    """[n, n_classes] probabilities of a committed CN graph over CN 0..n_classes-1 (its own classes are a subset)."""
    p = onnxcheck.run(P.graph_file(el, key), {"spectrum": P.window_input(x, P.window_of(key)).astype(np.float32)})[
        P.output_names("cn")[0]]
    full = np.zeros((len(x), n_classes))
    full[:, served_classes(P.model_id(el, key))] = p
    return full


def window_accuracies(prob_xanes, prob_wide, y):
    """{xanes, wide, mixed}: accuracy of each graph and of the mean of their probabilities."""
    mixed = 0.5 * (prob_xanes + prob_wide)
    return {k: float(np.mean(p.argmax(1) == y)) for k, p in
            (("xanes", prob_xanes), ("wide", prob_wide), ("mixed", mixed))}


def window_rows(d, el, _sites=None):
    row = {"element": el}
    for split, part in ((1, "validation"), (2, "heldout")):
        idx = nominal_rows(d, el, split)
        x = d["x"][idx]
        row[part] = window_accuracies(class_probabilities(el, P.answering_key("cn", "xanes"), x),
                                      class_probabilities(el, P.answering_key("cn", P.WIDE), x), d["cn"][idx])
        row[part]["n"] = int(len(idx))
    row["accuracy"] = row["heldout"]["mixed"]
    return row


def windows_table(rows):
    out = ["| element | validation xanes / wide / mixed | held-out xanes / wide / mixed | mixed − wide (validation, "
           "held-out) |", "|---|---|---|---|"]
    for r in rows:
        v, h = r["validation"], r["heldout"]
        out.append("| %s | %.1f / %.1f / %.1f %% | %.1f / %.1f / %.1f %% | %+.1f, %+.1f |" % (
            r["element"], 100 * v["xanes"], 100 * v["wide"], 100 * v["mixed"], 100 * h["xanes"], 100 * h["wide"],
            100 * h["mixed"], 100 * (v["mixed"] - v["wide"]), 100 * (h["mixed"] - h["wide"])))
    return out


def table(rows):
    """Markdown table: accuracy, the errors on five-coordinate and near-cut sites (share of all errors), label
    sensitivity and the commonest confusions; then per element the kinds of site with errors."""
    def part(r, k):
        w, n = r[k]
        return "%d / %d (%.0f %% of errors)" % (w, n, 100 * w / max(r["wrong"], 1))
    out = ["| element | accuracy | CN 5 sites wrong / n | elongated %.2f-%.2f Å wrong / n | label changes at cut "
           "%s | commonest confusions |" % (NEAR + (" / ".join("%.2f" % c for c in SENSITIVITY_CUTS),)),
           "|---|---|---|---|---|---|"]
    for r in rows:
        conf = ", ".join("%s: %d" % (c, n) for c, n in r["confusions"][:4])
        sens = " / ".join("%.0f %%" % (100 * r["labelChangedAtCut"]["%.2f" % c]) for c in SENSITIVITY_CUTS)
        out.append("| %s | %.1f %% | %s | %s | %s | %s |" % (r["element"], 100 * r["accuracy"], part(r, "fiveCoordinate"),
                                                          part(r, "nearCut"), sens, conf))
    out.append("")
    for r in rows:
        out.append("%s, wrong / n by kind of site: %s" % (r["element"], "; ".join(
            "%s %d/%d" % (k, w, n) for k, (w, n) in sorted(r["byKind"].items()) if w)))
    return out


def served_data_rows(element_rows_of, what, more_blocks=0):
    """(tag, rows): element_rows_of(d, element, sites) for each element the assembled served data holds (all nine,
    or those of a `generate --elements` run; with more_blocks, the candidate data of `generate --more-blocks`),
    logged as they come."""
    cfg = M.with_more_blocks(M.FULL, more_blocks)
    tag = M.data_tag(cfg)
    d = T.load_data(tag)
    rows = []
    for ei in sorted(set(d["element"].tolist())):
        el = sampler.ELEMENTS[ei]
        rows.append(element_rows_of(d, el, sites_by_structure(el, cfg["blocks"])))
        P.log("%s: %s accuracy %.3f" % (el, what, rows[-1]["accuracy"]))
    return tag, rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--window", choices=("xanes", P.WIDE), default=P.WIDE)   # the windows of the served CN graphs
    ap.add_argument("--windows", action="store_true", help="xanes and wide graphs and their mixture, instead")
    a = ap.parse_args(argv)
    if a.windows:
        tag, rows = served_data_rows(window_rows, "mixed-window CN held-out")
        P.save_json({"rows": rows}, P.result_path(tag, "cnerrors_windows"))
        print("\n".join(windows_table(rows)))
        return
    tag, rows = served_data_rows(lambda d, el, sites: element_rows(d, el, sites, a.window), "CN")
    P.save_json({"window": a.window, "cut": CUT, "rows": rows}, P.result_path(tag, "cnerrors_" + a.window))
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
