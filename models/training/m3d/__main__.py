"""python3 -m m3d all [--quick]      (run from models/training; /usr/bin/python3)

Stages: generate (FEFF runs + path-sum variations + beamline -> shards), check (path sum vs FEFF xmu.dat),
compare (per-element vs element-conditioned, one member each), curve (learning curve), train (ensembles),
export (calibrate, fuse, ONNX + numpy check, held-out, measured development check, card, manifest, parity and
held-out fixture). `all` runs them in order; every stage reuses cached shards / member files.
--quick: 24 structures x 20 variations per element, outputs under models/training/work/m3d/quick-out (the
committed artifacts and the manifest are left alone)."""
import argparse
import json
import os
import sys
import time

import numpy as np

from fe_k import report as FR

from . import generate as G
from . import pipeline as P
from . import report as RP
from . import sampler
from .settings import FULL, MORE_BLOCK, QUICK, with_more_blocks  # noqa: F401 (M.FULL for the studies)
from . import train as T

def data_tag(cfg):
    tags = [G.block_tag(*b) for b in cfg["blocks"]]
    tags += [G.block_tag(ns, nv, seed, th) for th, nv in cfg["theory_blocks"] for ns, _, seed in cfg["blocks"]]
    return "+".join(tags)

LIMITATIONS = [
    "Trained on simulations only. feff8l's path expansion near the edge, the one-Lorentzian pre-edge and the round "
    "edge-model numbers are approximations; theory-to-experiment transfer is judged only by the small measured "
    "development check above (5 elements, 42 spectra), not by a test set. Ti, Cr, Co, Zn have no measured check.",
    "Single-ligand first shells (no mixed O/N/S spheres), no mixtures of oxidation states in training (Mn3O4 is "
    "out of distribution by construction), no self-absorption, no multiplet pre-edges, no polarisation.",
    "Without a reference channel, oxidation states are read from the edge SHAPE relative to the derivative-maximum "
    "E0 (absolute position is not used because beamline calibrations disagree by up to ~10 eV), which limits "
    "neighbouring-state separation (e.g. Mn3+/Mn4+, Ni2+/Ni3+). With one, the edge position is read as well, but "
    "its value rests on the edge model's chemical shifts (round literature numbers) and on the foil's E0 being "
    "found as the Larch rule finds it; no measured spectrum with a reference channel was available to check it, "
    "and the edge position has no OOD check of its own (the OOD score is the spectrum's).",
    "CN labels are the effective first-shell CN of idealised sites; the measured labels (e.g. CuSO4 6, tenorite 4) "
    "follow crystallographic conventions that may differ for strongly distorted sites.",
    "OOD threshold = 99th percentile of simulated training scores: measured spectra that are far from every "
    "simulated one are flagged, but a measured spectrum can look simulation-like and still be wrong.",
]


def pathsum_check(tag, n=8):
    from simulate import feff, pathsum
    plan = []
    for el in sampler.ELEMENTS:
        sites = sampler.sites_for(el, int(tag.split("_")[0][1:]), G.SEED)
        plan += [sites[0], sites[len(sites) // 2]]
    rows = []
    for site, cs in plan[:2 * len(sampler.ELEMENTS)][::max(1, (2 * len(sampler.ELEMENTS)) // n)][:n]:
        try:
            res = feff.run_input(G.feff_text(site, cs), G.FEFF_CACHE)
        except RuntimeError:
            continue
        r = pathsum.validate(res, 0.9, 0.0)
        r["site"] = site.name
        rows.append(r)
    out = {"n": len(rows), "rows": rows,
           "max_abs_chi_diff": max(r["max_abs_chi_diff"] for r in rows),
           "rms_chi_diff": float(np.sqrt(np.mean([r["rms_chi_diff"] ** 2 for r in rows]))),
           "rms_chi_feff": float(np.sqrt(np.mean([r["rms_chi_feff"] ** 2 for r in rows]))),
           "max_abs_mu_diff": max(r["max_abs_mu_diff"] for r in rows)}
    P.save_json(out, P.result_path(tag, "pathsum_check"))
    P.log("path-sum check: max|dchi| %.4f rms %.5f (rms chi %.3f), max|dmu| %.4f over %d structures" % (
        out["max_abs_chi_diff"], out["rms_chi_diff"], out["rms_chi_feff"], out["max_abs_mu_diff"], out["n"]))
    return out


def record_block(bt, facts, cost_key, **labels):
    """Save a block's generation facts, keeping those of an earlier run that actually computed the block when this
    run found it cached (its `cost_key` is larger: FEFF seconds for a nominal block, path-sum seconds for a theory
    copy, whose FEFF runs are always cached)."""
    bpath = P.result_path(bt, "generation")
    if os.path.exists(bpath):
        with open(bpath) as fh:
            old = json.load(fh)
        if old.get(cost_key, 0) > facts[cost_key]:
            facts = dict(old, rerun_seconds=facts["seconds"])
    facts.update(labels)
    P.save_json(facts, bpath)
    return facts


def record_wall(tag, stage, seconds):
    """Save (for a later `card`) how long this exporting run took and, kept from the last `all` run when this one
    only exported, how long the run that trained the members took."""
    path = P.result_path(tag, "wall")
    old = {}
    if os.path.exists(path):
        with open(path) as fh:
            old = json.load(fh)
    wall = {"stage": stage, "seconds": seconds,
            "trainingRunSeconds": seconds if stage == "all" else old.get("trainingRunSeconds")}
    P.save_json(wall, path)
    return wall


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stage", choices=["all", "generate", "check", "compare", "curve", "train", "export", "card"])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--elements", nargs="+", choices=sampler.ELEMENTS, default=list(sampler.ELEMENTS),
                    help="generate only: these elements' shards, assembled on their own (for a diagnostic on part of "
                         "the data, e.g. m3d.cnerrors; the generation facts of the card are not rewritten)")
    ap.add_argument("--more-blocks", type=int, default=0,
                    help="generate only: FULL and this many more blocks (a candidate data set, assembled under its "
                         "own name; the card's generation facts are not rewritten)")
    a = ap.parse_args(argv)
    a.elements = [el for el in sampler.ELEMENTS if el in a.elements]   # the assembled data's order
    partial = a.elements != list(sampler.ELEMENTS) or a.more_blocks > 0
    if partial and (a.stage != "generate" or a.quick):
        ap.error("--elements and --more-blocks are for the generate stage of the full data; the other stages build "
                 "the served models from every element of FULL")
    t0 = time.time()
    cfg = QUICK if a.quick else with_more_blocks(FULL, a.more_blocks)
    tag = data_tag(cfg)
    if a.quick:
        P.OUT = os.path.join(T.WORK, "quick-out")
        RP.PLOTS = os.path.join(P.OUT, "plots")
        RP.CARD = os.path.join(P.OUT, "MODEL_CARD_m3d.md")
    gen_path = P.result_path(tag, "generation")
    if a.stage in ("all", "generate"):
        total = {"feff_runs": 0, "feff_failed": 0, "seconds": 0.0, "feff_seconds": 0.0, "rejected": 0, "blocks": []}
        for bi, (ns, nv, seed) in enumerate(cfg["blocks"]):
            bt = G.block_tag(ns, nv, seed)
            _, facts = G.generate(a.elements, ns, nv, seed=seed, log=P.log, tag=bt, id_offset=G.id_offset(bi))
            if partial:
                continue
            facts = record_block(bt, facts, "feff_seconds", n_structures=ns, n_var=nv, seed=seed)
            for k in ("feff_runs", "feff_failed", "seconds", "feff_seconds", "rejected"):
                total[k] += facts[k]
            total["blocks"].append(facts)
        for th, nv in cfg["theory_blocks"]:   # FEFF runs are cached by now: path sums only
            for bi, (ns, _, seed) in enumerate(cfg["blocks"]):
                bt = G.block_tag(ns, nv, seed, th)
                _, facts = G.generate(a.elements, ns, nv, seed=seed, log=P.log, tag=bt, id_offset=G.id_offset(bi),
                                      theory=th)
                if partial:
                    continue
                facts = record_block(bt, facts, "seconds", n_structures=ns, n_var=nv, seed=seed, theory=th)
                total["rejected"] += facts["rejected"]
                total.setdefault("theory_blocks", []).append(facts)
        total["n_structures"] = sum(b[0] for b in cfg["blocks"])
        total["n_var"] = "/".join(str(b[1]) for b in cfg["blocks"])
        if not partial:
            P.save_json(total, gen_path)
    if a.stage in ("all", "check"):
        pathsum_check(tag)
    T.assemble(tag, elements=a.elements)
    if partial:
        P.log("stage generate done for %s (%d blocks) in %.0f s" % (" ".join(a.elements), len(cfg["blocks"]),
                                                                     time.time() - t0))
        return
    d = T.load_data(tag)
    if a.stage in ("all", "compare"):
        P.compare(tag, d)
    if a.stage in ("all", "curve"):
        P.learning_curve(tag, d)
    with open(P.result_path(tag, "compare")) as fh:
        cmp_ = json.load(fh)
    if a.stage in ("all", "train"):
        P.train_ensembles(tag, cmp_["choice"])
    if a.stage in ("all", "export"):
        import torch
        torch.set_num_threads(2)
        with open(gen_path) as fh:
            gen = json.load(fh)
        gen["rejected"] = int(np.sum(d["rejected"]))
        R, files, full = P.export_all(tag, d, cmp_["choice"], gen, quick=a.quick)
        wall = record_wall(tag, a.stage, time.time() - t0)
        finish(tag, d, R, files, full, cmp_, wall, a.quick, plot_calibration=True)
    if a.stage == "card":   # card + manifest again from the saved export results (no retraining, no re-export)
        with open(P.result_path(tag, "export")) as fh:
            R = json.load(fh)
        full = {tuple(k.split("/")): v for k, v in R["metrics"].items()}
        files = {(el, t): P.graph_file(el, t)
                 for el in sampler.ELEMENTS for t in P.SERVED_KEYS}
        R["reference"] = [P.set_answers(r) if "byModel" in r else r for r in R["reference"]]
        wall = {}   # wall times of the runs that trained and exported these models, where recorded
        if os.path.exists(P.result_path(tag, "wall")):
            with open(P.result_path(tag, "wall")) as fh:
                wall = json.load(fh)
        finish(tag, d, R, files, full, cmp_, wall, a.quick, plot_calibration=False)
    P.log("stage %s done in %.0f s" % (a.stage, time.time() - t0))


def finish(tag, d, R, files, full, cmp_, wall, quick, plot_calibration=True):
    gen_path = P.result_path(tag, "generation")
    with open(gen_path) as fh:
        gen = json.load(fh)
    gen["rejected"] = int(np.sum(d["rejected"]))
    R["generation"] = gen
    R["counts"] = {el: [int(np.sum((d["element"] == ei) & (d["split"] == s))) for s in (0, 1, 2)]
                   for ei, el in enumerate(sampler.ELEMENTS)}
    with open(P.result_path(tag, "pathsum_check")) as fh:
        R["pathsum_check"] = json.load(fh)
    R["limitations"] = LIMITATIONS
    with open(P.result_path(tag, "learning_curve")) as fh:
        lc = json.load(fh)
    os.makedirs(RP.PLOTS, exist_ok=True)
    RP.plot_learning_curve(lc, os.path.join(RP.PLOTS, "learning_curve.png"))
    if plot_calibration:
        probs = [v["_prob"] for (el, task), v in full.items() if task == "ox"]
        ys = [v["_y"] for (el, task), v in full.items() if task == "ox"]
        RP.plot_calibration(probs, ys, os.path.join(RP.PLOTS, "calibration_ox.png"),
                            "oxidation state, simulated held-out, 9 elements")
    sizes = P.artifact_sizes(files)
    arch = [FR.study_section(name) for name in RP.STUDY_SECTIONS]   # the committed m3d.archcheck sections
    RP.write_card(R, files, full, cmp_, lc, wall, sizes, arch)
    entries = RP.manifest_entries(R, files, full)
    if not quick:
        RP.write_manifest(entries)
        # the m3d entries were just replaced, trust blocks and all: every served model's rule again (issue 33)
        from trust import __main__ as TRUST
        TRUST.run(log=P.log)
    else:
        P.save_json({"models": entries}, os.path.join(P.OUT, "manifest_entries.json"))
    ev = [r for r in R["reference"] if "ox_pred" in r]
    P.log("measured development check: %d/%d correct, %d confident unflagged wrong, %d flagged" % (
        sum(r["ox_correct"] for r in ev), len(ev), sum(r["confident_unflagged_wrong"] for r in ev),
        sum(r["ood_flagged"] for r in ev)))
    P.log("total ONNX bytes: %d" % sum(v for k, v in sizes.items() if k.endswith(".onnx")))


if __name__ == "__main__":
    sys.exit(main())
