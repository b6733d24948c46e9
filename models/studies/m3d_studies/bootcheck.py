"""`python3 -m m3d_studies.bootcheck [--task cn|ox|pdf] [--window wide|xanes] [--elements Co Ni ...] [--members 5]
[--more-blocks N]`: what training each ensemble member on a bootstrap resample costs the m3d nets.

fe-k's ensembles of members trained on the whole training part (seeds only) beat its bootstrap ensembles on every
validation metric (fe-k-pdf card, "What else was tried"): a bootstrap member sees ~63 % of the distinct training
spectra. Here every m3d structure has 20-60 spectra (variations), so a bootstrap resample still holds nearly every
structure; this measures whether the cost remains. For each element, N per-element members on bootstrap resamples (the
served seeds and set-up: the served members themselves) and N on the whole training part; each ensemble's mean
probability (T = 1 for both) on the nominal validation and held-out spectra, with the spectra gained and lost and an
exact McNemar p (classifiers), or the median PDF (a) and the first-shell distance MAE (pdf). With --more-blocks N the
same on the candidate data of `m3d generate --more-blocks N` (its own split): what ensembles of the served set-up
would reach on that much data. Trains, chooses and serves nothing. Result:
work/m3d/results/<data>/bootcheck_<task>_<window>.json and a printed table."""
from __future__ import annotations

import argparse
import json
import os

from scipy.stats import binomtest

from m3d import __main__ as M
from m3d import pipeline as P
from m3d import sampler
from m3d import train as T

KINDS = (("bootstrap", True), ("seed-only", False))


def mcnemar(a, b):
    """Spectra right with b but not a (gained), right with a but not b (lost), exact two-sided p."""
    gained, lost = int((~a & b).sum()), int((a & ~b).sum())
    return gained, lost, (binomtest(gained, gained + lost).pvalue if gained + lost else 1.0)


def element_scores(d, p, ei, task, nets):
    """{split: outcome} on the element's nominal validation (1) and held-out (2) spectra: a boolean array of right
    answers (classifiers) or the PDF metrics."""
    out = {}
    for split in (1, 2):
        rows, outs = P.element_outputs(d, ei, task, nets, p, split)
        out[split] = P.pdf_metrics(outs, p, rows) if task == "pdf" else P.element_correct(d, p, ei, task, outs, rows)
    return out


def row(el, task, s_boot, s_seed):
    r = {"element": el}
    for split, name in ((1, "validation"), (2, "heldout")):
        a, b = s_boot[split], s_seed[split]
        if task == "pdf":
            r[name] = {"bootstrap": a, "seed-only": b}
            continue
        g, l, pv = mcnemar(a, b)
        r[name] = {"bootstrap": float(a.mean()), "seed-only": float(b.mean()), "gained": g, "lost": l, "p": pv,
                   "n": int(len(a))}
    return r


def format_rows(rows, task):
    if task == "pdf":
        lines = ["| element | PDF (a) validation: bootstrap / seed-only | held-out | R MAE (Å) validation | held-out |",
                 "|---|---|---|---|---|"]
        for r in rows:
            v, h = r["validation"], r["heldout"]
            lines.append("| %s | %.1f / %.1f %% | %.1f / %.1f %% | %.4f / %.4f | %.4f / %.4f |" % (
                r["element"], v["bootstrap"]["pdf_err_median"], v["seed-only"]["pdf_err_median"],
                h["bootstrap"]["pdf_err_median"], h["seed-only"]["pdf_err_median"], v["bootstrap"]["dist_mae"],
                v["seed-only"]["dist_mae"], h["bootstrap"]["dist_mae"], h["seed-only"]["dist_mae"]))
        return "\n".join(lines)
    lines = ["| element | validation: bootstrap → seed-only (gained / lost, McNemar p) | held-out |", "|---|---|---|"]
    cell = lambda c: "%.1f → %.1f %% (%d / %d, p %.2g)" % (  # noqa: E731
        100 * c["bootstrap"], 100 * c["seed-only"], c["gained"], c["lost"], c["p"])
    for r in rows:
        lines.append("| %s | %s | %s |" % (r["element"], cell(r["validation"]), cell(r["heldout"])))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m m3d_studies.bootcheck", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=("cn", "ox", "pdf"), default="cn")
    ap.add_argument("--window", choices=("xanes", "wide"), default="wide")
    ap.add_argument("--elements", nargs="+", default=list(sampler.ELEMENTS), choices=sampler.ELEMENTS)
    ap.add_argument("--members", type=int, default=P.N_MEMBERS)
    ap.add_argument("--more-blocks", type=int, default=0,
                    help="on the candidate data of `m3d generate --more-blocks N` instead of the served data")
    a = ap.parse_args(argv)
    if a.members < 1:
        ap.error("--members must be at least 1")
    if a.more_blocks < 0:
        ap.error("--more-blocks: 0 or more")
    tag = M.data_tag(M.with_more_blocks(M.FULL, a.more_blocks))
    eis = [sampler.ELEMENTS.index(e) for e in a.elements]
    seeds = [P.SEED + 1 + k for k in range(a.members)]
    jobs = [(tag, "per", ei, a.task, s, bs, 1.0, a.window) for ei in eis for s in seeds for _, bs in KINDS]
    T.run_jobs(jobs, P.log)
    d = T.load_data(tag)
    rows = []
    for ei in eis:
        p = T.Prepared(d, "per", ei, window=a.window)
        sc = {k: element_scores(d, p, ei, a.task, [T.load_member(tag, "per", ei, a.task, s, bs, p) for s in seeds])
              for k, bs in KINDS}
        rows.append(row(sampler.ELEMENTS[ei], a.task, sc["bootstrap"], sc["seed-only"]))
        P.log("bootcheck %s %s %s: %s" % (a.task, a.window, sampler.ELEMENTS[ei], rows[-1]))
    path = P.result_path(tag, "bootcheck_%s_%s" % (a.task, a.window))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump({"members": a.members, "rows": rows}, fh, indent=1)
    P.log("bootcheck (%d members per ensemble, T = 1, nominal spectra):\n%s" % (a.members, format_rows(rows, a.task)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
