"""Clusters around the absorbing atom: coordination geometries, ligands, bond-valence first shells,
outer shells, metals; and a catalogue of named phases used by the fixtures and demo series.

A :class:`SiteModel` is a small, hashable description (what issue 5 samples over); :meth:`SiteModel.cluster`
turns it into Cartesian coordinates for FEFF. All randomness (orientation of outer shells, distortions)
comes from an explicit seed so a cluster is reproducible.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import numpy as np

from . import bondvalence

# --- first-shell geometries -------------------------------------------------------------------------

_S3 = 1.0 / math.sqrt(3.0)


def _trigonal():
    return [(math.cos(a), math.sin(a), 0.0) for a in (0.0, 2 * math.pi / 3, 4 * math.pi / 3)]


GEOMETRIES = {
    "linear": [(0, 0, 1), (0, 0, -1)],
    "trigonal": _trigonal(),
    "tetrahedral": [(_S3, _S3, _S3), (-_S3, -_S3, _S3), (-_S3, _S3, -_S3), (_S3, -_S3, -_S3)],
    "square_planar": [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0)],
    "square_pyramidal": [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1)],
    "trigonal_bipyramidal": _trigonal() + [(0, 0, 1), (0, 0, -1)],
    "octahedral": [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)],
    "cubic": [(sx * _S3, sy * _S3, sz * _S3) for sx in (1, -1) for sy in (1, -1) for sz in (1, -1)],
}
# Ligands along these directions are the "axial" ones that split_long lengthens.
AXIAL = {
    "square_pyramidal": [4],
    "trigonal_bipyramidal": [3, 4],
    "octahedral": [4, 5],
}
CENTROSYMMETRIC = {"linear", "square_planar", "octahedral", "cubic", "fcc", "bcc", "hcp"}


# the effective CN counts first-shell ligands within this distance (A) of the shortest bond
EFFECTIVE_CN_CUT = 0.35

@dataclass(frozen=True)
class Shell:
    """An outer shell: n atoms of `symbol` at distance r (A), placed away from the first-shell ligands."""
    symbol: str
    n: int
    r: float


@dataclass(frozen=True)
class SiteModel:
    """Local structure of one absorber site.

    geometry: a key of GEOMETRIES, or "fcc"/"bcc"/"hcp" for a metal (then `lattice_a` is required and the
    ligand is the absorber itself). first_r: first-shell distance; None = bond-valence value for the
    oxidation state. split_long: (number of axial ligands, extra length A) for Jahn-Teller / apical
    elongation; the valence sum is kept (bond_lengths_for_split). debye_k: correlated-Debye temperature
    for FEFF's thermal sigma^2; static_sigma2: extra static disorder (A^2) for all paths (FEFF SIG2).
    """
    name: str
    absorber: str
    oxidation_state: int
    geometry: str
    ligand: str
    first_r: float | None = None
    split_long: tuple[int, float] | None = None
    shells: tuple[Shell, ...] = ()
    lattice_a: float | None = None
    debye_k: float = 500.0
    static_sigma2: float = 0.0
    rmax: float = 5.0

    # --- derived -----------------------------------------------------------------------------------
    @property
    def is_metal(self) -> bool:
        return self.geometry in ("fcc", "bcc", "hcp")

    @property
    def coordination_number(self) -> int:
        return {"fcc": 12, "hcp": 12, "bcc": 8}.get(self.geometry) or len(GEOMETRIES[self.geometry])

    @property
    def centrosymmetric(self) -> bool:
        return self.geometry in CENTROSYMMETRIC and not (self.split_long and self.geometry == "linear")

    @property
    def effective_cn(self) -> int:
        """Ligands within EFFECTIVE_CN_CUT (0.35 A) of the shortest bond (CuO: 4, not 4+2)."""
        return self.cn_within(EFFECTIVE_CN_CUT)

    def cn_within(self, cut: float) -> int:
        """Ligands within `cut` A of the shortest bond."""
        r = self.first_shell()
        return int(sum(1 for x in r if x <= min(r) + cut))

    @property
    def edge_geometry(self) -> str:
        """Geometry seen by the edge model: strongly elongated axial bonds are dropped
        (octahedral 4+2 with +0.8 A -> square_planar)."""
        if self.split_long and self.split_long[1] > 0.5:
            if self.geometry in ("octahedral", "square_pyramidal"):
                return "square_planar"
        return self.geometry

    def first_shell(self) -> list[float]:
        """Distances of the first-shell ligands in GEOMETRIES order."""
        if self.is_metal:
            d = {"fcc": self.lattice_a / math.sqrt(2), "bcc": self.lattice_a * math.sqrt(3) / 2,
                 "hcp": self.lattice_a}[self.geometry]
            return [d] * self.coordination_number
        cn = self.coordination_number
        if self.split_long:
            n_long, dl = self.split_long
            axial = AXIAL.get(self.geometry, [])[:n_long]
            if self.first_r is not None:
                rs, rl = self.first_r, self.first_r + dl
            else:
                rs, rl = bondvalence.bond_lengths_for_split(self.absorber, self.oxidation_state, self.ligand,
                                                            cn - len(axial), len(axial), dl)
            return [rl if i in axial else rs for i in range(cn)]
        r = self.first_r if self.first_r is not None else bondvalence.bond_length(
            self.absorber, self.oxidation_state, self.ligand, cn)
        return [r] * cn

    def mean_first_r(self) -> float:
        return float(np.mean(self.first_shell()))

    def cluster(self, seed: int = 0) -> list[tuple[str, np.ndarray]]:
        """[(symbol, xyz)] with the absorber first at the origin."""
        atoms: list[tuple[str, np.ndarray]] = [(self.absorber, np.zeros(3))]
        if self.is_metal:
            atoms += _metal_lattice(self.absorber, self.geometry, self.lattice_a, self.rmax)
            return atoms
        dirs = [np.asarray(d, float) / np.linalg.norm(d) for d in GEOMETRIES[self.geometry]]
        for d, r in zip(dirs, self.first_shell()):
            atoms.append((self.ligand, d * r))
        taken = list(dirs)
        rng = np.random.default_rng(seed)
        for shell in self.shells:
            for d in _spread_directions(shell.n, taken, rng):
                atoms.append((shell.symbol, d * shell.r))
                taken.append(d)
        return atoms

    def with_(self, **kw) -> "SiteModel":
        return replace(self, **kw)


def _spread_directions(n: int, taken: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """n unit vectors spread over the sphere, away from already-used directions (greedy max-min angle
    over a randomly rotated Fibonacci lattice - deterministic for a given rng state)."""
    m = 400
    i = np.arange(m) + 0.5
    phi = np.arccos(1 - 2 * i / m)
    theta = math.pi * (1 + 5 ** 0.5) * i
    pts = np.stack([np.cos(theta) * np.sin(phi), np.sin(theta) * np.sin(phi), np.cos(phi)], 1)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    pts = pts @ q.T
    chosen: list[np.ndarray] = []
    for _ in range(n):
        ref = np.array(taken + chosen) if (taken or chosen) else np.zeros((0, 3))
        if len(ref):
            score = (pts @ ref.T).max(axis=1)  # cos of the smallest angle to a used direction
            k = int(np.argmin(score))
        else:
            k = 0
        chosen.append(pts[k])
    return chosen


def _metal_lattice(symbol: str, kind: str, a: float, rmax: float) -> list[tuple[str, np.ndarray]]:
    if kind == "fcc":
        basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]
        cell = np.eye(3) * a
    elif kind == "bcc":
        basis = [(0, 0, 0), (0.5, 0.5, 0.5)]
        cell = np.eye(3) * a
    else:  # ideal hcp, c/a = sqrt(8/3)
        c = a * math.sqrt(8 / 3)
        cell = np.array([[a, 0, 0], [-a / 2, a * math.sqrt(3) / 2, 0], [0, 0, c]])
        basis = [(0, 0, 0), (1 / 3, 2 / 3, 0.5)]
    n = int(math.ceil(rmax / min(np.linalg.norm(cell, axis=1)))) + 1
    out = []
    for i, j, k in itertools.product(range(-n, n + 1), repeat=3):
        for b in basis:
            xyz = (np.array([i, j, k]) + np.array(b)) @ cell
            r = np.linalg.norm(xyz)
            if 1e-6 < r <= rmax + 1e-6:
                out.append((symbol, xyz))
    out.sort(key=lambda t: float(np.linalg.norm(t[1])))
    return out


# --- named phases ------------------------------------------------------------------------------------
# Idealised local structures of the compounds the fixtures and demo series imitate. First shells come
# from bond valence (checked against the crystal structures quoted); outer shells are the main
# metal-metal / metal-oxygen distances of the crystal, placed on a spread of directions.

PHASES: dict[str, SiteModel] = {
    # tenorite CuO: square-planar CuO4 1.95 A + 2 axial O ~2.78 A; Cu-Cu 2.90, 3.08, 3.17 A
    "CuO": SiteModel("CuO (tenorite-like)", "Cu", 2, "octahedral", "O", split_long=(2, 0.82),
                     shells=(Shell("Cu", 4, 2.90), Shell("Cu", 4, 3.08), Shell("O", 4, 3.40)),
                     debye_k=520.0, static_sigma2=0.002),
    # cuprite Cu2O: linear O-Cu-O 1.85 A; 12 Cu at 3.02 A; 6 O at 3.54 A
    "Cu2O": SiteModel("Cu2O (cuprite-like)", "Cu", 1, "linear", "O",
                      shells=(Shell("Cu", 12, 3.02), Shell("O", 6, 3.54)), debye_k=450.0, static_sigma2=0.001),
    "Cu": SiteModel("Cu metal (fcc)", "Cu", 0, "fcc", "Cu", lattice_a=3.615, debye_k=315.0, rmax=5.2),
    # bunsenite NiO (rock salt): 6 O 2.09 A, 12 Ni 2.95 A, 8 O 3.61 A
    "NiO": SiteModel("NiO (rock-salt)", "Ni", 2, "octahedral", "O", first_r=2.085,
                     shells=(Shell("Ni", 12, 2.95), Shell("O", 8, 3.61)), debye_k=550.0),
    # LiNiO2 / NMC-type layered Ni3+: Jahn-Teller 4 x 1.92 + 2 x 2.07 A; 6 Ni at 2.88 A
    "LiNiO2": SiteModel("LiNiO2-like Ni3+", "Ni", 3, "octahedral", "O", split_long=(2, 0.15),
                        shells=(Shell("Ni", 6, 2.88), Shell("O", 6, 3.45)), debye_k=550.0, static_sigma2=0.002),
    # charged NiO2-like Ni4+: 6 O at 1.88 A, 6 Ni at 2.82 A
    "NiO2": SiteModel("NiO2-like Ni4+", "Ni", 4, "octahedral", "O", first_r=1.88,
                      shells=(Shell("Ni", 6, 2.82), Shell("O", 6, 3.35)), debye_k=580.0, static_sigma2=0.001),
    # Ni2+ in a discharged layered oxide (LiNi0.5Mn0.5O2-like): NiO6 2.06 A (bond valence), 6 TM at 2.89 A
    "LayeredNi2": SiteModel("layered-oxide Ni2+", "Ni", 2, "octahedral", "O",
                            shells=(Shell("Ni", 6, 2.89), Shell("O", 6, 3.50)), debye_k=540.0, static_sigma2=0.002),
    "Ni": SiteModel("Ni metal (fcc)", "Ni", 0, "fcc", "Ni", lattice_a=3.524, debye_k=375.0, rmax=5.2),
    # hematite alpha-Fe2O3: 3 O 1.95 + 3 O 2.12 A; Fe at 2.90, 2.97, 3.36, 3.71 A
    "Fe2O3": SiteModel("Fe2O3 (hematite-like)", "Fe", 3, "octahedral", "O", first_r=1.96, split_long=(2, 0.16),
                       shells=(Shell("Fe", 4, 2.95), Shell("Fe", 3, 3.36), Shell("O", 6, 3.45)),
                       debye_k=550.0, static_sigma2=0.003),
    # wuestite FeO (rock salt): 6 O 2.16 A (bond valence), 12 Fe 3.04 A, 8 O 3.72 A
    "FeO": SiteModel("FeO (wuestite, rock-salt)", "Fe", 2, "octahedral", "O",
                     shells=(Shell("Fe", 12, 3.04), Shell("O", 8, 3.72)), debye_k=500.0, static_sigma2=0.003),
    "Fe": SiteModel("Fe metal (bcc)", "Fe", 0, "bcc", "Fe", lattice_a=2.8665, debye_k=420.0, rmax=5.0),
    # CoAl2O4 spinel: tetrahedral Co2+ 4 O 1.95 A; 12 Al at 3.35 A, 4 Co at 3.50 A
    "CoAl2O4": SiteModel("CoAl2O4 (spinel, tetrahedral Co2+)", "Co", 2, "tetrahedral", "O",
                         shells=(Shell("Al", 12, 3.35), Shell("Co", 4, 3.50)), debye_k=520.0, static_sigma2=0.001),
    "Co": SiteModel("Co metal (hcp)", "Co", 0, "hcp", "Co", lattice_a=2.507, debye_k=385.0, rmax=5.0),
    # orthovanadate (e.g. Na3VO4 / Mg3(VO4)2): isolated VO4 tetrahedra 1.72 A; cations at ~3.3-3.5 A
    "VO4": SiteModel("orthovanadate VO4 (tetrahedral V5+)", "V", 5, "tetrahedral", "O",
                     shells=(Shell("Mg", 6, 3.35), Shell("O", 8, 3.55)), debye_k=600.0, static_sigma2=0.002),
    "V": SiteModel("V metal (bcc)", "V", 0, "bcc", "V", lattice_a=3.024, debye_k=380.0, rmax=5.0),
    # pyrolusite beta-MnO2: 6 O 1.88 A; 2 Mn at 2.87 A, 8 Mn at 3.44 A
    "MnO2": SiteModel("MnO2 (pyrolusite-like)", "Mn", 4, "octahedral", "O",
                      shells=(Shell("Mn", 2, 2.87), Shell("Mn", 8, 3.44)), debye_k=580.0, static_sigma2=0.001),
    # manganosite MnO: 6 O 2.22 A; 12 Mn 3.14 A
    "MnO": SiteModel("MnO (rock-salt)", "Mn", 2, "octahedral", "O", first_r=2.22,
                     shells=(Shell("Mn", 12, 3.14), Shell("O", 8, 3.85)), debye_k=500.0),
    "Mn": SiteModel("Mn metal (approximated as fcc gamma-Mn)", "Mn", 0, "fcc", "Mn", lattice_a=3.62,
                    debye_k=410.0, rmax=5.0),
    "Ti": SiteModel("Ti metal (hcp)", "Ti", 0, "hcp", "Ti", lattice_a=2.951, debye_k=420.0, rmax=5.0),
    "Cr": SiteModel("Cr metal (bcc)", "Cr", 0, "bcc", "Cr", lattice_a=2.885, debye_k=630.0, rmax=5.0),
    "Zn": SiteModel("Zn metal (ideal hcp approximation)", "Zn", 0, "hcp", "Zn", lattice_a=2.665, debye_k=327.0,
                    rmax=5.0),
}

# the foil in the reference channel (and the metal that calibrates the model's energy scale)
METAL = {el: el for el in ("Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn")}

REFERENCE_FOIL = METAL
