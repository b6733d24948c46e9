"""Per-element K-edge model: what FEFF 8.5L's path expansion does not give.

FEFF's path expansion (feff8l, no full multiple scattering, non-self-consistent potentials) gives the
EXAFS and a rough near-edge shape, but (i) its absolute edge energy is off by several eV and does not follow
the oxidation state, (ii) it has no bound-state transitions below the continuum: the 1s->3d pre-edge (dipole
allowed through 3d-4p mixing in non-centrosymmetric sites, quadrupole otherwise) and the 1s->4p features of
Cu(I)/Cu(II) and square-planar Ni(II). This module supplies both, with parameters per element:

* Continuum edge position ``edge_position(el, ox, ligand)`` = tabulated metal K edge + chemical shift(ox)
  + ligand term. The FEFF Fermi level is placed there (spectrum.py). Shifts (eV, oxides, relative to the metal
  foil) are round numbers from the literature below; they increase by ~1.5-4 eV per unit of oxidation state,
  the metal -> first cation step being larger. Ligand term: more covalent ligands (S, Cl, C) lower the edge,
  F raises it (direction as in Kau et al. 1987 for Cu and Westre et al. 1997 for Fe; magnitude approximate).
* 1s->3d pre-edge: a Lorentzian of the K-level width at position(el, ox) with area
  area_oct(el, ox) x GEOMETRY_FACTOR[geometry]; tetrahedral d0 ions (Ti4+, V5+, Cr6+, Mn7+) use their own
  much larger area (Wong et al. 1984; Farges 2005). No pre-edge for d10 (Cu+, Zn2+) or metals.
* 1s->4p bound-state features (Kau et al. 1987; Ni: Colpas et al. 1991): Lorentzians on the rising edge.

Areas are in units of (normalised mu) x eV, i.e. an area 0.1 with a 2 eV wide line gives a peak of ~0.03
of the edge step. All positions are relative to the metal K edge of `elements.absorber(el).k_edge_ev`.

References
- Wong, Lytle, Messmer, Maylotte, Phys. Rev. B 30, 5596 (1984): V K edges; pre-edge intensity and edge
  position rise with valence, pre-edge strongest for tetrahedral V5+.
- Kau, Spira-Solomon, Penner-Hahn, Hodgson, Solomon, J. Am. Chem. Soc. 109, 6433 (1987): Cu(I) 1s->4p at
  8983-8984 eV, intensity linear > trigonal > tetrahedral; Cu(II) weak 1s->3d ~8979 eV and 1s->4p+shakedown
  ~8986-8988 eV.
- Westre, Kennepohl, DeWitt, Hedman, Hodgson, Solomon, J. Am. Chem. Soc. 119, 6297 (1997): Fe pre-edge
  centroids ~7111.5 (Fe2+) and ~7113 eV (Fe3+); tetrahedral areas ~3-4x octahedral.
- Wilke, Farges, Petit, Brown, Martin, Am. Mineral. 86, 714 (2001): Fe pre-edge centroid/intensity vs
  valence and coordination (4 > 5 > 6-fold).
- Farges, Phys. Rev. B 71, 155109 (2005): Mn K pre-edges in oxides, centroid shift with valence,
  KMnO4 (tetrahedral Mn7+) very intense.
- Farges, Brown, Rehr, Phys. Rev. B 56, 1809 (1997): Ti pre-edge vs coordination (4-fold strongest).
- Colpas, Maroney, Bagyinka, Kumar, Willis, Suib, Baidya, Mascharak, Inorg. Chem. 30, 920 (1991):
  Ni 1s->3d/1s->4pz vs geometry (square-planar Ni(II) 1s->4pz shoulder ~8336-8338 eV).
- Bearden & Burr, Rev. Mod. Phys. 39, 125 (1967): K-edge energies (via xraydb).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# area multipliers relative to an octahedral site (Westre 1997: Td ~3-4x Oh; Wilke 2001 / Farges 1997:
# 4-fold > 5-fold > 6-fold). Centrosymmetric sites keep only the weak quadrupole intensity.
GEOMETRY_FACTOR = {
    "octahedral": 1.0, "square_planar": 1.0, "linear": 1.0, "cubic": 1.0,
    "square_pyramidal": 2.0, "trigonal_bipyramidal": 2.5, "trigonal": 2.5, "tetrahedral": 3.5,
    "fcc": 0.0, "bcc": 0.0, "hcp": 0.0,
}

# Ligand term (eV) added to the oxide shift for cations.
LIGAND_SHIFT = {"O": 0.0, "F": 1.0, "N": -0.5, "Cl": -1.5, "S": -2.5, "C": -2.0}


@dataclass(frozen=True)
class EdgeParams:
    shift: dict            # ox -> continuum edge position vs metal K edge (eV), oxide ligands
    pre_edge: dict         # ox -> (position vs metal K edge eV, area for an octahedral site)
    td_d0_area: float | None = None
    bound: dict = field(default_factory=dict)  # (ox, geometry) -> (position eV, area, fwhm eV)


EDGE_PARAMS: dict[str, EdgeParams] = {
    "Ti": EdgeParams({0: 0.0, 2: 6.0, 3: 8.5, 4: 11.0},
                     {2: (2.0, 0.06), 3: (2.8, 0.10), 4: (4.8, 0.20)}, td_d0_area=1.3),
    "V": EdgeParams({0: 0.0, 2: 7.0, 3: 9.0, 4: 11.0, 5: 13.0},
                    {2: (2.0, 0.08), 3: (2.7, 0.12), 4: (4.0, 0.30), 5: (5.0, 0.45)}, td_d0_area=1.4),
    "Cr": EdgeParams({0: 0.0, 2: 5.5, 3: 9.0, 6: 17.0},
                     {2: (1.0, 0.06), 3: (1.5, 0.08), 6: (4.0, 0.60)}, td_d0_area=2.4),
    "Mn": EdgeParams({0: 0.0, 2: 5.5, 3: 9.0, 4: 12.5, 7: 19.0},
                     {2: (1.5, 0.06), 3: (2.0, 0.08), 4: (2.7, 0.12), 7: (4.5, 0.60)}, td_d0_area=2.5),
    "Fe": EdgeParams({0: 0.0, 2: 6.5, 3: 10.0},
                     {2: (-0.5, 0.05), 3: (1.3, 0.10)}),
    "Co": EdgeParams({0: 0.0, 2: 7.0, 3: 10.5, 4: 12.5},
                     {2: (0.2, 0.05), 3: (0.8, 0.08), 4: (1.5, 0.10)}),
    "Ni": EdgeParams({0: 0.0, 2: 8.5, 3: 10.3, 4: 11.8},
                     {2: (0.3, 0.04), 3: (0.9, 0.06), 4: (1.4, 0.08)},
                     bound={(2, "square_planar"): (5.0, 0.8, 2.5)}),
    "Cu": EdgeParams({0: 0.0, 1: 8.0, 2: 9.5},
                     {2: (-0.2, 0.04)},
                     bound={(1, "linear"): (4.6, 2.6, 2.2), (1, "trigonal"): (5.0, 1.0, 2.5),
                            (1, "tetrahedral"): (5.4, 0.6, 2.8),
                            (2, "square_planar"): (7.5, 0.6, 3.0), (2, "square_pyramidal"): (7.5, 0.5, 3.0),
                            (2, "octahedral"): (7.5, 0.4, 3.0)}),
    "Zn": EdgeParams({0: 0.0, 2: 3.0}, {}),
}

D0_IONS = {("Ti", 4), ("V", 5), ("Cr", 6), ("Mn", 7)}
D10_IONS = {("Cu", 1), ("Zn", 2)}


def _interp(table: dict, ox: float) -> float:
    keys = sorted(table)
    return float(np.interp(ox, keys, [table[k] for k in keys]))


def edge_shift(element: str, oxidation_state: float, ligand: str = "O") -> float:
    """Continuum edge position relative to the metal K edge (eV). Linear between tabulated states."""
    p = EDGE_PARAMS[element]
    s = _interp(p.shift, oxidation_state)
    if oxidation_state > 0:
        s += LIGAND_SHIFT.get(ligand, 0.0)
    return s


@dataclass(frozen=True)
class Line:
    """A bound-state transition: Lorentzian at `position` (eV rel. metal K edge), `area`, `fwhm`."""
    kind: str
    position: float
    area: float
    fwhm: float


def bound_lines(element: str, oxidation_state: int, geometry: str, ligand: str, core_width: float) -> list[Line]:
    if oxidation_state <= 0 or geometry in ("fcc", "bcc", "hcp"):
        return []
    p = EDGE_PARAMS[element]
    out: list[Line] = []
    if (element, oxidation_state) not in D10_IONS and p.pre_edge:
        keys = sorted(p.pre_edge)
        pos = _interp({k: p.pre_edge[k][0] for k in keys}, oxidation_state)
        area = _interp({k: p.pre_edge[k][1] for k in keys}, oxidation_state)
        if (element, oxidation_state) in D0_IONS and geometry == "tetrahedral" and p.td_d0_area:
            area = p.td_d0_area
        else:
            area *= GEOMETRY_FACTOR.get(geometry, 1.0)
        # covalent ligands pull the 3d manifold down with the edge (half the edge term)
        pos += 0.5 * LIGAND_SHIFT.get(ligand, 0.0)
        if area > 0:
            out.append(Line("1s->3d", pos, area, core_width))
    b = p.bound.get((oxidation_state, geometry))
    if b:
        pos, area, fwhm = b
        out.append(Line("1s->4p", pos + LIGAND_SHIFT.get(ligand, 0.0), area, max(fwhm, core_width)))
    return out


def lorentzian_area(e: np.ndarray, center: float, area: float, fwhm: float) -> np.ndarray:
    g = fwhm / 2.0
    return area * g / np.pi / ((e - center) ** 2 + g * g)
