#!/usr/bin/python3
"""Larch reference vectors: E0, edge step, norm and flat mu from Larch's pre_edge for every spectrum in a directory.

Run with Debian's python (`/usr/bin/python3`, which sees python3-xraylarch); the pyenv python3 has no Larch.

    /usr/bin/python3 models/training/xasprep/larch_reference.py --in DIR --out DIR [--compact]

For each XDI / whitespace-column file in --in (non-recursive; *.xdi, *.dat, *.txt) one JSON file NAME.json is
written to --out holding: the energy and mu exactly as given to Larch, how mu was derived, Larch's e0, edge_step,
norm, flat, and the pre_edge parameters Larch resolved (pre1, pre2, norm1, norm2, nnorm, nvict, pre-edge line and
post-edge coefficients). Larch is called with all defaults: pre_edge(energy, mu, group=g). --compact leaves out
flat (for the vectors committed under services/core/src/test/resources/larch/fixtures).

mu is derived as beamlines do (xdi.py): a column named mutrans, mu, normtrans, mufluor or xanes is used as is (first
found, in that order); else i0 with itrans (or i1) gives ln(i0/itrans); else i0 with ifluor gives ifluor/i0; else a
two-column file is energy, mu. Where a reference foil is recorded (irefer), Larch's find_e0 of ln(itrans/irefer) is
written as reference_e0 (null otherwise).
"""
import argparse
import json
import math
import os
import sys

import numpy as np

import larch
from larch import Group
from larch.xafs import find_e0, pre_edge

try:
    from . import xdi
except ImportError:  # run as a script
    import xdi

EXTENSIONS = (".xdi", ".dat", ".txt")


def fl(x):
    return [float(v) for v in x]


def reference(path, compact=False):
    spec = xdi.read_spectrum(path)
    energy, mu = spec["energy"], spec["mu"]
    g = Group()
    pre_edge(energy, mu, group=g)
    ref_e0 = None
    if spec["reference_mu"] is not None:
        # Larch's find_e0 on the foil channel: what EnergyCalibration.shiftFromReference must reproduce
        ref_e0 = float(find_e0(energy, spec["reference_mu"], group=Group()))
    d = g.pre_edge_details
    ncoef = 0
    while hasattr(d, "norm_c%d" % ncoef):
        ncoef += 1
    return {
        "file": os.path.basename(path),
        "element": spec["element"],
        "edge": spec["edge"],
        "mu_source": spec["mu_source"],
        "larch_version": larch.__version__,
        "energy": fl(energy),
        "mu": fl(mu),
        "e0": float(g.e0),
        "edge_step": float(g.edge_step),
        "norm": fl(g.norm),
        "flat": None if compact else fl(g.flat),
        "reference_mu": None if ref_e0 is None else fl(spec["reference_mu"]),
        "reference_e0": ref_e0,
        "pre_edge_details": {
            "pre1": float(d.pre1), "pre2": float(d.pre2),
            "norm1": float(d.norm1), "norm2": float(d.norm2),
            "nnorm": int(d.nnorm), "nvict": int(d.nvict),
            "pre_slope": float(d.pre_slope), "pre_offset": float(d.pre_offset),
            "norm_coefs": [float(getattr(d, "norm_c%d" % i)) for i in range(ncoef)],
        },
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description="Larch pre_edge reference vectors (JSON) for a directory of spectra")
    ap.add_argument("--in", dest="indir", required=True)
    ap.add_argument("--out", dest="outdir", required=True)
    ap.add_argument("--compact", action="store_true",
                    help="omit flat (not gated by the agreement test): for vectors committed to the repository")
    args = ap.parse_args(argv)
    os.makedirs(args.outdir, exist_ok=True)
    files = sorted(f for f in os.listdir(args.indir) if f.lower().endswith(EXTENSIONS))
    if not files:
        print("no spectra in %s" % args.indir, file=sys.stderr)
        return 1
    failed = 0
    for name in files:
        try:
            vec = reference(os.path.join(args.indir, name), args.compact)
        except Exception as exc:  # one bad file must not hide the others; the count makes the run fail
            failed += 1
            print("FAILED %s: %s" % (name, exc), file=sys.stderr)
            continue
        if not all(math.isfinite(v) for v in vec["norm"]):
            print("warning %s: non-finite norm values" % name, file=sys.stderr)
        out = os.path.join(args.outdir, os.path.splitext(name)[0] + ".json")
        with open(out, "w") as fh:
            json.dump(vec, fh, separators=(",", ":"))
        print("%-24s e0=%10.3f step=%.5g %s" % (name, vec["e0"], vec["edge_step"], vec["mu_source"]))
    print("%d vectors written to %s, %d failed" % (len(files) - failed, args.outdir, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
