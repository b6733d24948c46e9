"""`python3 -m m3d_studies.heldoutci [--reps 4000] [--more-blocks N]`: how precisely the simulated held-out set measures each
of issue 5's per-element goals.

An element's held-out set is ~170 FEFF structures, each with 20-60 variations (beamline noise, calibration, edge-model
jitter) of one site, answered alike far more often than independent spectra would be, so the accuracy is an average
over structures rather than over ~5000 independent nominal spectra. For the committed graphs (models/m3d, numpy ONNX
evaluator) on the nominal held-out spectra of the assembled data, per element: the oxidation-state graph without and
with the reference channel and the wide CN graph; the accuracy, the number of structures, a 95 % interval from a
bootstrap over structures (resampling whole structures with all their spectra), the same interval if the spectra were
independent (what a per-spectrum binomial would claim), and whether the goal lies below, inside or above the interval.
With --more-blocks N it reads the candidate data of `m3d generate --more-blocks N` instead and adds, to the served
held-out structures, every structure of the N blocks beyond the served ones: drawn by the same generator from later
seeds, none of them was seen by the served members, so they are held-out structures too, N x 300 per element.
A diagnostic: it trains and chooses nothing. Result: work/m3d/results/<data>/heldoutci.json."""
from __future__ import annotations

import argparse
import statistics

import numpy as np

from fe_k_studies import heldoutci as FH

from m3d import __main__ as M
from . import cnerrors as CE
from . import edgebound
from m3d import generate as G
from . import oxerrors as OE
from m3d import pipeline as P
from m3d import sampler

SEED, LEVEL = FH.SEED, FH.LEVEL   # the same resampling seed and interval level as issue 4's
# (task, which served answer): the answers the per-element goals are judged on
CHECKS = (("ox", "without reference"), ("oxr", "with reference"), ("cn", "wide"))


def structure_counts(structures, correct):
    """(spectra per structure, right answers per structure), structures in sorted order."""
    structures, correct = np.asarray(structures), np.asarray(correct, bool)
    _, inverse = np.unique(structures, return_inverse=True)
    return np.bincount(inverse).astype(float), np.bincount(inverse, weights=correct).astype(float)


def cluster_bootstrap(structures, correct, reps, seed=SEED):
    """Accuracies of `reps` resamples of whole structures (with replacement; each keeps all its spectra)."""
    n, k = structure_counts(structures, correct)
    w = np.random.default_rng(seed).multinomial(len(n), np.full(len(n), 1.0 / len(n)), size=reps)
    return (w @ k) / (w @ n)


def spectrum_interval(correct, level=LEVEL):
    """Normal-approximation interval of a binomial over spectra, as if every spectrum were independent."""
    correct = np.asarray(correct, bool)
    acc = float(np.mean(correct))
    half = statistics.NormalDist().inv_cdf(0.5 + level / 2) * np.sqrt(acc * (1 - acc) / len(correct))
    return acc - half, acc + half


def summary(structures, correct, goal, reps, seed=SEED):
    lo, hi = FH.interval(cluster_bootstrap(structures, correct, reps, seed), LEVEL)
    slo, shi = spectrum_interval(correct)
    return {"accuracy": float(np.mean(correct)), "spectra": int(len(correct)),
            "structures": int(len(np.unique(structures))), "interval": [lo, hi], "spectrumInterval": [slo, shi],
            "goal": goal, "verdict": FH.verdict(lo, hi, (goal, None))}


def heldout_rows(d, el, served_blocks):
    """Nominal rows of an element's held-out structures: the served blocks' held-out split, and every structure of the
    blocks after the first `served_blocks` (none when the data holds only those)."""
    fresh = d["structure"] >= G.id_offset(served_blocks)
    keep = (d["element"] == sampler.ELEMENTS.index(el)) & (((d["split"] == 2) & ~fresh) | fresh)
    return P.nominal(d, np.flatnonzero(keep))


def element_rows(d, el, reps, served_blocks):
    idx = heldout_rows(d, el, served_blocks)
    x, structures = d["x"][idx], d["structure"][idx]
    row = {"element": el, "freshStructures": int(len(np.unique(structures[structures >= G.id_offset(served_blocks)])))}
    for name, _ in CHECKS:
        if name == "cn":
            pred, y = CE.class_probabilities(el, P.answering_key("cn", P.WIDE), x).argmax(1), d["cn"][idx]
        else:
            pred, y = OE.predicted_states(d, idx, el, reference=name == "oxr"), d["ox"][idx]
        row[name] = summary(structures, pred == y, edgebound.GOAL[name], reps)
    row["accuracy"] = row["ox"]["accuracy"]
    return row


def table(rows):
    heads = " | ".join("%s (%s): accuracy [95 %% over structures] [as if spectra independent], goal" % (
        "oxidation state" if t != "cn" else "CN", how) for t, how in CHECKS)
    out = ["| element | held-out structures | " + heads + " |", "|---|---|" + "---|" * len(CHECKS)]
    for r in rows:
        cells = []
        for name, _ in CHECKS:
            s = r[name]
            cells.append("%.1f %% [%.1f, %.1f] [%.1f, %.1f], %d %%: %s" % (
                100 * s["accuracy"], 100 * s["interval"][0], 100 * s["interval"][1], 100 * s["spectrumInterval"][0],
                100 * s["spectrumInterval"][1], round(100 * s["goal"]), s["verdict"]))
        out.append("| %s | %d | %s |" % (r["element"], r["ox"]["structures"], " | ".join(cells)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=4000, help="bootstrap resamples of the held-out structures")
    ap.add_argument("--more-blocks", type=int, default=0,
                    help="on the candidate data of `m3d generate --more-blocks N`, its N later blocks' structures "
                         "added to the held-out ones")
    a = ap.parse_args(argv)
    if a.reps < 100:
        ap.error("--reps: at least 100")
    if a.more_blocks < 0:
        ap.error("--more-blocks: 0 or more")
    served = len(M.FULL["blocks"])
    tag, rows = CE.served_data_rows(lambda d, el, _sites: element_rows(d, el, a.reps, served),
                                    "held-out oxidation-state", more_blocks=a.more_blocks)
    P.save_json({"reps": a.reps, "level": LEVEL, "moreBlocks": a.more_blocks, "rows": rows},
                P.result_path(tag, "heldoutci"))
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
