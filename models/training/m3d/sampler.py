"""Structure sampler for issue 5: per element, a seeded list of SiteModels (oxidation state x geometry x ligand x
outer shells x distortion), each run ONCE through FEFF; spectra variations come from the path sum (generate.py).

Choices (documented in the model card):
* oxidation states: the common ones with a bond-valence R0 and an edge-model entry; metal = 0.
  Ti 0/3/4 (Ti2+ has no R0 in the 1991 table and is rare), V 0/2/3/4/5, Cr 0/2/3/6, Mn 0/2/3/4/7, Fe 0/2/3,
  Co 0/2/3, Ni 0/2/3/4 (Ni4+ of charged cathodes), Cu 0/1/2, Zn 0/2.
* geometries per oxidation state from coordination chemistry (GEOMS below); Jahn-Teller ions (Cr2+, Mn3+, Ni3+
  low spin, Cu2+) get elongated octahedra / square pyramids; any site may get a small random split.
* ligands O (most), N, S, Cl, F, C with per-state weights (S/C for low states, F for high).
* outer shells: "solid" (a cation shell 2.8-3.6 A + an O shell 3.3-4.0 A), "molecular" (C at R1 + 1.0-1.4 A,
  optionally a second C/N shell), or none; metals: the element's own lattice (fcc/bcc/hcp) with a +-3 % lattice.
* CN label: the site's effective CN (ligands within 0.35 A of the shortest bond; metals 12 (fcc/hcp) or 8 (bcc)).
"""
from __future__ import annotations

import math

import numpy as np

from simulate import bondvalence
from simulate.structures import EFFECTIVE_CN_CUT, PHASES, METAL, SiteModel, Shell

ELEMENTS = ("Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn")

OX_STATES = {
    "Ti": (0, 3, 4), "V": (0, 2, 3, 4, 5), "Cr": (0, 2, 3, 6), "Mn": (0, 2, 3, 4, 7), "Fe": (0, 2, 3),
    "Co": (0, 2, 3), "Ni": (0, 2, 3, 4), "Cu": (0, 1, 2), "Zn": (0, 2),
}

OCT, TET, SQP, SPY, TBP, LIN, TRI, CUB = ("octahedral", "tetrahedral", "square_planar", "square_pyramidal",
                                          "trigonal_bipyramidal", "linear", "trigonal", "cubic")
# (element, ox) -> [(geometry, weight)]
GEOMS = {
    ("Ti", 3): [(OCT, 4), (SPY, 1)], ("Ti", 4): [(OCT, 4), (TET, 2), (SPY, 2), (TBP, 1)],
    ("V", 2): [(OCT, 4)], ("V", 3): [(OCT, 4), (TET, 1)], ("V", 4): [(OCT, 3), (SPY, 3), (TET, 1)],
    ("V", 5): [(TET, 4), (SPY, 2), (OCT, 2), (TBP, 1)],
    ("Cr", 2): [(OCT, 3), (SQP, 2), (SPY, 1)], ("Cr", 3): [(OCT, 5), (TET, 1)], ("Cr", 6): [(TET, 5)],
    ("Mn", 2): [(OCT, 4), (TET, 2), (TBP, 1), (SPY, 1), (CUB, 1)], ("Mn", 3): [(OCT, 4), (SPY, 2), (TBP, 1)],
    ("Mn", 4): [(OCT, 5), (TET, 1)], ("Mn", 7): [(TET, 5)],
    ("Fe", 2): [(OCT, 4), (TET, 2), (SQP, 1), (TBP, 1), (SPY, 1), (LIN, 1)],
    ("Fe", 3): [(OCT, 4), (TET, 2), (TBP, 1), (SPY, 1)],
    ("Co", 2): [(OCT, 4), (TET, 3), (TBP, 1), (SPY, 1), (SQP, 1), (LIN, 1)], ("Co", 3): [(OCT, 5), (SPY, 1)],
    ("Ni", 2): [(OCT, 4), (SQP, 3), (TET, 2), (SPY, 1), (TBP, 1)], ("Ni", 3): [(OCT, 4), (SPY, 1)],
    ("Ni", 4): [(OCT, 5)],
    ("Cu", 1): [(LIN, 3), (TRI, 2), (TET, 3)],
    ("Cu", 2): [(SQP, 3), (OCT, 3), (SPY, 2), (TBP, 1), (TET, 1)],
    ("Zn", 2): [(TET, 4), (OCT, 3), (TBP, 1), (SPY, 1), (LIN, 1), (TRI, 1)],
}
JAHN_TELLER = {("Cr", 2), ("Mn", 3), ("Cu", 2), ("Ni", 3)}

LIGANDS = ("O", "N", "S", "Cl", "F", "C")


def ligand_weights(el, ox):
    w = {"O": 6.0, "N": 2.0, "S": 0.0, "Cl": 1.0, "F": 0.0, "C": 0.0}
    if ox <= 2:
        w["S"] = 1.5
        w["C"] = 0.5
    if ox in (2, 3):
        w["F"] = 0.5
        w["Cl"] = 1.0
    if ox >= 3:
        w["F"] = 0.8
    if ox == 1:
        w.update({"S": 2.0, "Cl": 1.5, "C": 0.7, "N": 1.5})
    if ox >= 5:  # oxo-anions
        w = {"O": 8.0, "N": 0.0, "S": 0.0, "Cl": 0.0, "F": 1.0, "C": 0.0}
    if (el, ox) in (("Mn", 7), ("Cr", 6)):
        w = {"O": 1.0, "N": 0, "S": 0, "Cl": 0, "F": 0, "C": 0}
    if el == "Ti" and ox == 3:
        w["C"] = 0.0
    return w


CATIONS = ("Mg", "Al", "Si", "Ca", "Li", "Na", "K", "P")


def _pick(rng, items_w):
    items = [i for i, _ in items_w]
    w = np.array([x for _, x in items_w], float)
    return items[int(rng.choice(len(items), p=w / w.sum()))]


def metal_site(el, rng, i):
    base = PHASES[METAL[el]]
    scale = 1.0 + rng.uniform(-0.03, 0.03)
    return base.with_(name="%s metal #%d" % (el, i), lattice_a=base.lattice_a * scale,
                      debye_k=base.debye_k, static_sigma2=0.0, rmax=5.0)


def random_site(el, ox, rng, i):
    geom = _pick(rng, GEOMS[(el, ox)])
    lig = _pick(rng, list(ligand_weights(el, ox).items()))
    cn = {LIN: 2, TRI: 3, TET: 4, SQP: 4, SPY: 5, TBP: 5, OCT: 6, CUB: 8}[geom]
    split = None
    if (el, ox) in JAHN_TELLER and geom in (OCT, SPY):
        n_long = 2 if geom == OCT else 1
        split = (n_long, float(rng.uniform(0.15, 0.75)))
    elif geom in (OCT, SPY, TBP) and rng.random() < 0.35:
        n_long = {OCT: 2, SPY: 1, TBP: 2}[geom]
        split = (n_long, float(rng.uniform(0.03, 0.2)))
    site = SiteModel("%s%d+ %s %s #%d" % (el, ox, geom, lig, i), el, ox, geom, lig, split_long=split,
                     debye_k=float(rng.uniform(350, 650)), static_sigma2=0.0)
    r1 = site.mean_first_r()
    r1min = min(site.first_shell())
    kind = _pick(rng, [("solid", 5), ("molecular", 3), ("none", 1)])
    shells = []
    if kind == "solid":
        cat = el if rng.random() < 0.5 else str(rng.choice(CATIONS))
        rm = float(np.clip(2.0 * r1 * rng.uniform(0.72, 0.92), 2.7, 3.8))
        shells.append(Shell(cat, int(rng.integers(2, 13)), rm))
        if rng.random() < 0.7:
            shells.append(Shell("O", int(rng.integers(4, 13)), float(rng.uniform(max(rm + 0.2, 3.2), 4.2))))
        if rng.random() < 0.4:
            cat2 = el if rng.random() < 0.5 else str(rng.choice(CATIONS))
            shells.append(Shell(cat2, int(rng.integers(2, 9)), float(rng.uniform(rm + 0.3, 4.6))))
    elif kind == "molecular":
        second = "C" if lig in ("O", "N", "S") else None
        if second:
            shells.append(Shell("C", cn, float(r1 + rng.uniform(1.0, 1.4))))
            if rng.random() < 0.6:
                shells.append(Shell(str(rng.choice(["C", "N", "O"])), int(rng.integers(cn, 2 * cn + 1)),
                                    float(r1 + rng.uniform(1.9, 2.6))))
        else:
            cat = el if rng.random() < 0.3 else str(rng.choice(CATIONS))
            shells.append(Shell(cat, int(rng.integers(1, 5)), float(rng.uniform(3.2, 4.2))))
    # keep outer shells clear of the first shell
    shells = [s for s in shells if s.r > r1min + 0.9]
    return site.with_(shells=tuple(shells))


def sites_for(el, n_structures, seed):
    """Seeded list of (site, cluster_seed) for one element: metals ~8 %, the rest spread over oxidation states."""
    rng = np.random.default_rng([seed, ELEMENTS.index(el)])
    ox = [o for o in OX_STATES[el] if o > 0]
    n_metal = max(3, int(round(0.08 * n_structures)))
    out = [(metal_site(el, rng, i), i) for i in range(n_metal)]
    n_rest = n_structures - n_metal
    for i in range(n_rest):
        o = ox[i % len(ox)]
        out.append((random_site(el, o, rng, i), 1000 + i))
    return out


def effective_cn(site, cut=EFFECTIVE_CN_CUT):
    """The CN label: metals all their neighbours, other sites the ligands within `cut` of the shortest bond."""
    if site.is_metal:
        return site.coordination_number
    return site.cn_within(cut)
