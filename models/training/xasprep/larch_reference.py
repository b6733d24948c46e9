#!/usr/bin/python3
"""Larch reference vectors: E0, edge step, norm and flat mu from Larch's pre_edge for every spectrum in a directory.

Run with Debian's python (`/usr/bin/python3`, which sees python3-xraylarch); the pyenv python3 has no Larch.

    /usr/bin/python3 models/training/xasprep/larch_reference.py --in DIR --out DIR

For each XDI / whitespace-column file in --in (non-recursive; *.xdi, *.dat, *.txt) one JSON file NAME.json is
written to --out holding: the energy and mu exactly as given to Larch, how mu was derived, Larch's e0, edge_step,
norm, flat, and the pre_edge parameters Larch resolved (pre1, pre2, norm1, norm2, nnorm, nvict, pre-edge line and
post-edge coefficients). Larch is called with all defaults: pre_edge(energy, mu, group=g).

mu is derived as beamlines do: a column named mutrans, mu, normtrans or mufluor is used as is (first found, in that
order); else i0 with itrans (or i1) gives ln(i0/itrans); else i0 with ifluor gives ifluor/i0.
"""
import argparse
import json
import math
import os
import sys

import numpy as np

import larch
from larch import Group
from larch.xafs import pre_edge

DIRECT_MU = ("mutrans", "mu", "normtrans", "mufluor")
EXTENSIONS = (".xdi", ".dat", ".txt")


def read_columns(path):
    """Return (column names, 2-D array rows x cols, header dict) of an XDI or plain column file."""
    names, header, rows, last_comment = {}, {}, [], None
    with open(path) as fh:
        for line in fh:
            s = line.strip()
            if not s:
                continue
            if s.startswith("#"):
                body = s.lstrip("#").strip()
                last_comment = body
                if ":" in body:
                    key, _, val = body.partition(":")
                    key, val = key.strip(), val.strip()
                    header[key.lower()] = val
                    if key.lower().startswith("column."):
                        idx = int(key.split(".")[1]) - 1
                        names[idx] = val.split()[0].lower() if val else "col%d" % (idx + 1)
                continue
            rows.append([float(x) for x in s.split()])
    if not rows:
        raise ValueError("no data rows")
    ncol = len(rows[0])
    if not names and last_comment:
        # plain column file: the last comment line before the data names the columns
        toks = last_comment.split()
        if len(toks) == ncol:
            names = {i: t.lower() for i, t in enumerate(toks)}
    cols = [names.get(i, "col%d" % (i + 1)) for i in range(ncol)]
    return cols, np.array(rows, dtype=float), header


def derive_mu(cols, data):
    """(energy, mu, source) following the beamline rules in the module docstring."""
    idx = {c: i for i, c in enumerate(cols)}
    energy = data[:, idx["energy"] if "energy" in idx else 0]
    for name in DIRECT_MU:
        if name in idx:
            return energy, data[:, idx[name]], name
    if "i0" in idx:
        i0 = data[:, idx["i0"]]
        for name in ("itrans", "i1"):
            if name in idx:
                return energy, np.log(i0 / data[:, idx[name]]), "ln(i0/%s)" % name
        if "ifluor" in idx:
            return energy, data[:, idx["ifluor"]] / i0, "ifluor/i0"
    raise ValueError("cannot derive mu from columns %s" % cols)


def fl(x):
    return [float(v) for v in x]


def reference(path):
    cols, data, header = read_columns(path)
    energy, mu, source = derive_mu(cols, data)
    g = Group()
    pre_edge(energy, mu, group=g)
    d = g.pre_edge_details
    ncoef = 0
    while hasattr(d, "norm_c%d" % ncoef):
        ncoef += 1
    return {
        "file": os.path.basename(path),
        "element": header.get("element.symbol"),
        "edge": header.get("element.edge"),
        "mu_source": source,
        "larch_version": larch.__version__,
        "energy": fl(energy),
        "mu": fl(mu),
        "e0": float(g.e0),
        "edge_step": float(g.edge_step),
        "norm": fl(g.norm),
        "flat": fl(g.flat),
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
    args = ap.parse_args(argv)
    os.makedirs(args.outdir, exist_ok=True)
    files = sorted(f for f in os.listdir(args.indir) if f.lower().endswith(EXTENSIONS))
    if not files:
        print("no spectra in %s" % args.indir, file=sys.stderr)
        return 1
    failed = 0
    for name in files:
        try:
            vec = reference(os.path.join(args.indir, name))
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
