"""Smoke check of written spectra with Larch: mu derived as beamlines do, then larch.xafs.pre_edge.

Passes when E0 is within 25 eV of a tabulated K edge (the element's, if the header names it), the edge
step is positive and the normalised post-edge (E0+50 .. E0+250 eV) averages 1 +- 0.15.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .elements import ABSORBERS, absorber


def load_mu(path: Path):
    """(energy, mu, element or None, reference mu or None)."""
    text = Path(path).read_text().splitlines()
    if text and text[0].strip() == "FDMNES":
        d = np.loadtxt(path, skiprows=2)
        return d[:, 0], d[:, 1], None, None
    from larch.io import read_ascii  # read_xdi needs libxdifile, which Debian does not ship
    g = read_ascii(str(path))
    labels = [l.lower() for l in g.array_labels]
    col = {l: g.data[i] for i, l in enumerate(labels)}
    el = None
    for line in text:
        if line.lower().startswith("# element.symbol:"):
            el = line.split(":", 1)[1].strip()
    ref = None
    if "mutrans" in col:
        mu = col["mutrans"]
    elif "normtrans" in col:
        mu = col["normtrans"]
    elif "ifluor" in col:
        mu = col["ifluor"] / col["i0"]
    else:
        it = col.get("itrans", col.get("i1"))
        mu = np.log(col["i0"] / it)
    if "irefer" in col:
        it = col.get("itrans", col.get("i1"))
        ref = np.log(it / col["irefer"])
    return col["energy"], mu, el, ref


def analyse(energy, mu):
    from larch import Group
    from larch.xafs import pre_edge
    g = Group(energy=np.asarray(energy, float), mu=np.asarray(mu, float))
    pre_edge(g)
    m = (g.energy > g.e0 + 50) & (g.energy < g.e0 + 250)
    post = float(np.mean(g.norm[m])) if m.any() else float("nan")
    return float(g.e0), float(g.edge_step), post


def run(files) -> bool:
    ok_all = True
    for f in files:
        energy, mu, el, ref = load_mu(f)
        e0, step, post = analyse(energy, mu)
        if el is None:
            el = min(ABSORBERS, key=lambda s: abs(absorber(s).k_edge_ev - e0))
        ek = absorber(el).k_edge_ev
        ok = abs(e0 - ek) < 25 and step > 0 and abs(post - 1) < 0.15
        line = (f"{'OK  ' if ok else 'FAIL'} {Path(f).name:34s} {el:2s} E0={e0:8.2f} (tab {ek:.0f}, "
                f"{e0 - ek:+5.1f})  step={step:.4g}  post-edge={post:.3f}  points={len(energy)}")
        if ref is not None:
            r0, rstep, _ = analyse(energy, ref)
            line += f"  ref-foil E0={r0:.2f} ({r0 - ek:+.2f})"
        print(line)
        ok_all &= ok
    return ok_all
