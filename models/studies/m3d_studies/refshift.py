"""`python3 -m m3d_studies.refshift [--elements V Mn Fe Ni Cu]`: what a reference-foil channel adds to the oxidation-state nets.

The nets read the edge SHAPE relative to the derivative-maximum E0, because the simulated beamlines (like real ones)
put the energy scale anywhere within +-10 eV. A spectrum recorded with a reference foil can be calibrated (the Java
`EnergyCalibration`: shift = tabulated edge - E0 of the foil), and then the chemical shift of the edge,
c = E0(calibrated) - tabulated metal K edge, is known. In the simulation that is c = e0 - offset - edge, plus the
error of the foil's own E0 (`train.edge_position`, `train.REF_SD` 1 sigma). This stage (the exploration that led to
the served m3d 1.7.0 reference branch) measures, per element and one member each (seed SEED, no bootstrap, the served
per-element schedule), oxidation-state accuracy on simulated nominal validation and held-out spectra, on the held-out
structures' theory-randomised copies (theory-side deviations doubled) and on the held-out structures re-simulated
with the deviations scaled by each LADDER value (0: the nominal edge model exactly; the
beamline, structural and path-sum variations stay), of:

* `shape`   the served input (181 points);
* `shape+c` the served input and c;
* `masked`  the served input, c * m and m, with m ~ Bernoulli(0.5) per training spectrum: one net for spectra with and
            without a reference channel, evaluated with m = 1 (`masked c`) and m = 0 (`masked -`);
* `c only`  c alone (the classic method: oxidation state from the edge position);
* `wide`    the served input, 256 units per layer instead of 64 (is the net too small?).

It also prints, for the measured reference spectra of these elements, c as if their energy scales were calibrated
(the files carry no reference channel) beside the simulated c of their labelled state: a check of the edge model's
chemical shifts against experiment, not a score. Exploration: it changes no served model. Needs the elements' shards
(`python3 -m m3d generate`, or `generate.generate` for some elements) of the full data tag."""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import time

import numpy as np
import torch

from simulate.elements import absorber

from m3d import __main__ as M
from . import diagnose
from m3d import generate as G
from m3d import pipeline as P
from m3d import sampler
from m3d import train as T

LADDER = (0.0, 0.5)    # theory scales of the held-out re-simulations (1 and 2 are in the training data's blocks)
LADDER_VARIATIONS = 10
VARIANTS = ("shape", "shape+c", "masked", "c only", "wide")
OUT_DIR = os.path.join(T.WORK, "refshift")
_MAKE_NET = T.make_net


def ladder_tags(elements, log=P.log):
    """Re-simulate the held-out structures of `elements` at each LADDER scale (LADDER_VARIATIONS each; FEFF runs are
    cached, so path sums only); returns the tag of these blocks."""
    keep = held_out(elements)
    return "+".join(G.resimulate(elements, M.FULL["blocks"], LADDER_VARIATIONS, th, log=log, keep=keep) for th in LADDER)


def held_out(elements):
    """keep(el, structure_id) for generate.generate: the structure is held-out in the served split."""
    n_ids = G.id_offset(len(M.FULL["blocks"]) - 1) + max(ns for ns, _, _ in M.FULL["blocks"])
    roles = {el: T.structure_roles(sampler.ELEMENTS.index(el), n_ids) for el in elements}
    return lambda el, sid: roles[el][sid] == 2


def _with_c(d, el, stream):
    rng = T.reference_rng(el, stream)
    d["c"] = T.edge_position(d["e0"], d["offset"], el, rng)
    d["m"] = (rng.random(len(d["x"])) < 0.5).astype(np.float64)
    return d


def load(elements, ladder_tag=None):
    """The full data tag's shards of `elements`, with the split roles `train.assemble` gives them (global element
    index) and the reference-calibrated edge position c (eV); then the ladder's held-out copies, if any."""
    tag = M.data_tag(M.FULL)
    parts = []
    for el in elements:
        ei = sampler.ELEMENTS.index(el)
        d = _with_c(G.load(el, tag), el, T.REF_STREAM)
        d["x"] = d["x"][:, :G.window_width("xanes")]   # the served input of m3d <= 1.7.0 (shards hold the wide one)
        d["split"] = T.structure_roles(ei, int(d["structure"].max()) + 1)[d["structure"]]
        d["element"] = np.full(len(d["x"]), ei, np.int64)
        parts.append(d)
    for el in (elements if ladder_tag else ()):
        d = _with_c(G.load(el, ladder_tag), el, 32)
        d["x"] = d["x"][:, :G.window_width("xanes")]
        d["split"] = np.full(len(d["x"]), 2, np.int64)
        d["element"] = np.full(len(d["x"]), sampler.ELEMENTS.index(el), np.int64)
        parts.append(d)
    keys = ("x", "g2", "dist", "ox", "cn", "structure", "split", "element", "theory", "c", "m")
    return {k: np.concatenate([p[k] for p in parts]) for k in keys}


def features(d, variant, mask=None):
    """Raw input columns of a variant; `mask` overrides m (1: reference known, 0: not) for the masked variant."""
    x, c = d["x"].astype(np.float64), d["c"][:, None]
    if variant in ("shape", "wide"):
        return x
    if variant == "shape+c":
        return np.concatenate([x, c], 1)
    if variant == "c only":
        return c
    m = d["m"][:, None] if mask is None else np.full_like(c, float(mask))
    return np.concatenate([x, c * m, m], 1)


class Prepared(T.Prepared):
    """train.Prepared with a variant's columns as the input (standardised on the training spectra)."""

    def __init__(self, d, el_index, variant):
        dd = dict(d, x=features(d, variant))
        super().__init__(dd, "per", el_index, window=None)


def _job(args):
    path, el_index, variant = args
    torch.set_num_threads(1)
    z = np.load(path)
    d = {k: z[k] for k in z.files}
    # a pool worker runs several jobs: set the net factory for each one
    T.make_net = (lambda task, n_in, n: T.MLP(n_in, n, width=256)) if variant == "wide" else _MAKE_NET
    p = Prepared(d, el_index, variant)
    model, facts = T.train_member("ox", p, G.SEED, bootstrap=False)
    res = {"variant": variant, "element": sampler.ELEMENTS[el_index], "facts": facts}
    evals = [(1, "val", 1.0), (2, "test", 1.0), (2, "test2", 2.0)] + [(2, "test%g" % th, th) for th in LADDER]
    for mask in ((1, 0) if variant == "masked" else (None,)):
        xs = p.sx(features(d, variant, mask))
        for split, name, th in evals:
            i = p.idx[split]
            sel = d["theory"][i] == th   # test2: the held-out structures' theory-randomised training copies
            if not sel.any():
                continue
            x = torch.tensor(xs[i[sel]], dtype=torch.float32)
            y = np.array(T.class_index(p.classes["ox"], d["ox"][i[sel]]))
            with torch.no_grad():
                pred = model(x).argmax(1).numpy()
            key = name if mask is None else "%s_m%d" % (name, mask)
            res[key] = float(np.mean(pred == y))
            if name == "test" and mask is None:   # rows: true state, columns: predicted (classes of the element)
                k = len(p.classes["ox"])
                res["confusion"] = np.bincount(y * k + pred, minlength=k * k).reshape(k, k).tolist()
                res["classes"] = p.classes["ox"]
            res["n_" + name] = int(sel.sum())
    return res


def measured_rows(d, elements):
    rows = []
    for r, lab, o, m in diagnose.labelled_measured(d, elements):
        el, sim = r["element"], d["c"][m]
        rows.append({"file": r["file"], "element": el, "label": lab,
                     "c": float(o["normalization"]["e0"] - absorber(el).k_edge_ev),
                     "sim": [float(np.percentile(sim, q)) for q in (5, 50, 95)] if len(sim) else None})
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--elements", nargs="+", default=["V", "Mn", "Fe", "Ni", "Cu"])
    a = ap.parse_args(argv)
    t0 = time.time()
    d = load(a.elements, ladder_tags(a.elements))
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, "data_%s.npz" % "_".join(a.elements))
    np.savez(path, **d)
    jobs = [(path, sampler.ELEMENTS.index(el), v) for el in a.elements for v in VARIANTS]
    out = []
    with mp.get_context("spawn").Pool(2) as pool:
        for r in pool.imap_unordered(_job, jobs):
            out.append(r)
            P.log("%s %s: val %s test %s (%.0f s, best epoch %d)" % (
                r["element"], r["variant"], r.get("val", r.get("val_m1")), r.get("test", r.get("test_m1")),
                r["facts"]["seconds"], r["facts"]["best_epoch"]))
    meas = measured_rows(d, a.elements)
    with open(os.path.join(OUT_DIR, "results_%s.json" % "_".join(a.elements)), "w") as fh:
        json.dump({"members": out, "measured": meas, "ref_sd": T.REF_SD, "seconds": time.time() - t0}, fh, indent=1)
    cols = ["shape", "shape+c", "masked c", "masked -", "c only", "wide"]
    titles = {"val": "validation, nominal spectra", "test": "held-out, nominal spectra",
              "test2": "held-out, theory-side deviations doubled"}
    titles.update({"test%g" % th: "held-out structures re-simulated, theory-side deviations x %g" % th
                   for th in LADDER})
    for split in titles:
        print("\n%s, oxidation-state accuracy (one member each)" % titles[split])
        print("| element | n | " + " | ".join(cols) + " |")
        print("|---|---|" + "---|" * len(cols))
        for el in a.elements:
            by = {r["variant"]: r for r in out if r["element"] == el}
            v = [by["shape"][split], by["shape+c"][split], by["masked"][split + "_m1"], by["masked"][split + "_m0"],
                 by["c only"][split], by["wide"][split]]
            print("| %s | %d | " % (el, by["shape"]["n_" + split]) + " | ".join("%.1f %%" % (100 * x) for x in v)
                  + " |")
    print("\nheld-out confusion (nominal spectra; rows: true state, columns: predicted)")
    for el in a.elements:
        for r in out:
            if r["element"] == el and r["variant"] in ("shape", "shape+c"):
                print("%s %s, states %s: %s" % (el, r["variant"], r["classes"], r["confusion"]))
    print("\nmeasured spectra, c = E0 - tabulated K edge (eV) if the file's energies are calibrated, against the "
          "simulated c of the labelled state (5 / 50 / 95 %)")
    print("| file | label ox | c measured | simulated 5 / 50 / 95 % |")
    print("|---|---|---|---|")
    for r in meas:
        sim = "—" if r["sim"] is None else "%.1f / %.1f / %.1f" % tuple(r["sim"])
        print("| %s | %g | %.1f | %s |" % (r["file"], r["label"], r["c"], sim))
    P.log("refshift done in %.0f s" % (time.time() - t0))


if __name__ == "__main__":
    main()
