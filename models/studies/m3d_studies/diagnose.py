"""`python3 -m m3d_studies.diagnose`: where the measured reference spectra sit in the simulated input distribution.

For one input feature - the normalised absorption `offset` eV below the derivative-maximum E0 (the edge foot),
default 5 eV - print each measured spectrum's value, the median and 95th percentile of the simulated nominal
spectra of its labelled oxidation state (all splits), and its percentile among them. A development diagnostic of
the theory-to-experiment gap (it reads `../shared/data/reference-spectra` and the assembled data of `m3d all`); it
trains and chooses nothing."""
from __future__ import annotations

import argparse
import csv
import os

import numpy as np

from xasprep import normalize as N
from xasprep import xdi

from m3d import __main__ as M
from m3d import generate as G
from m3d import pipeline as P
from m3d import train as T


def labelled_measured(d, elements=None):
    """Each measured reference spectrum (of `elements`, default all) with its labels.csv row, the label as a float, the
    preprocessing output (the models' SPEC) and the mask of the simulated nominal spectra of its labelled state."""
    with open(os.path.join(P.REF_DIR, "labels.csv")) as fh:
        labels = [r for r in csv.DictReader(fh) if elements is None or r["element"] in elements]
    nominal = P.is_nominal(d, np.arange(len(d["x"])))
    for r in labels:
        el, lab = r["element"], float(r["oxidation_state"])
        s = xdi.read_spectrum(os.path.join(P.REF_DIR, r["file"]))
        o = N.preprocess(s["energy"], s["mu"], el, "K", G.SPEC)
        yield r, lab, o, (d["element"] == P.ELEMENTS.index(el)) & nominal & (d["ox"] == round(lab))


def edge_foot_rows(d, offset_ev=5.0):
    grid = np.linspace(*G.GRID)
    i = int(np.argmin(np.abs(grid + offset_ev)))
    rows = []
    for r, lab, o, m in labelled_measured(d):
        el = r["element"]
        sim = d["x"][m][:, i]
        v = float(o["model_input"][i])
        rows.append({"file": r["file"], "element": el, "label": lab, "value": v,
                     "sim_median": float(np.median(sim)), "sim_p95": float(np.percentile(sim, 95)),
                     "percentile": float(100 * np.mean(sim < v))})
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--offset", type=float, default=5.0, help="eV below E0 (default 5)")
    a = ap.parse_args(argv)
    d = T.load_data(M.data_tag(M.FULL))
    rows = edge_foot_rows(d, a.offset)
    print("| file | element | label ox | x(E0 - %g eV) | simulated median | simulated p95 | percentile |" % a.offset)
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %s | %g | %.2f | %.2f | %.2f | %.0f |" % (r["file"], r["element"], r["label"], r["value"],
                                                             r["sim_median"], r["sim_p95"], r["percentile"]))
    print("above the simulated 95th percentile of the labelled state: %d of %d" % (
        sum(r["percentile"] > 95 for r in rows), len(rows)))


if __name__ == "__main__":
    main()
