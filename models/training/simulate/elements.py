"""Tabulated atomic data for the absorbers (3d metals) and their ligands.

K-edge energies and K-level widths come from xraydb (Debian ``python3-xraylarch`` dependency):
edge energies are the tabulated values of Bearden & Burr (1967) / Deslattes et al. (2003) as used by
Athena/Larch (Cu 8979, Ni 8333, Fe 7112, Mn 6539, V 5465, Co 7709 eV); core-hole widths are
Keski-Rahkonen & Krause (1974). A static fallback keeps the module importable without xraydb.
"""

from __future__ import annotations

from dataclasses import dataclass

# symbol: (Z, K-edge eV, K-level width eV, d electrons of the neutral atom's 3d^n 4s^2 config)
_FALLBACK = {
    "Ti": (22, 4966.0, 0.94), "V": (23, 5465.0, 1.01), "Cr": (24, 5989.0, 1.08),
    "Mn": (25, 6539.0, 1.16), "Fe": (26, 7112.0, 1.25), "Co": (27, 7709.0, 1.33),
    "Ni": (28, 8333.0, 1.44), "Cu": (29, 8979.0, 1.55), "Zn": (30, 9659.0, 1.67),
}

LIGAND_Z = {"H": 1, "Li": 3, "C": 6, "N": 7, "O": 8, "F": 9, "Na": 11, "Mg": 12, "Al": 13, "Si": 14,
            "P": 15, "S": 16, "Cl": 17, "K": 19, "Ca": 20}

ABSORBERS = tuple(_FALLBACK)


@dataclass(frozen=True)
class Absorber:
    symbol: str
    z: int
    k_edge_ev: float      # tabulated K-edge of the metal (first inflection of the foil)
    core_width_ev: float  # K-level natural width (FWHM of the Lorentzian lifetime broadening)

    def d_electrons(self, oxidation_state: int) -> int:
        """3d count of the ion M^n+ (Ti: 4 valence electrons -> Ti4+ is d0, Cu2+ is d9)."""
        valence = self.z - 18  # electrons beyond [Ar]
        return max(0, min(10, valence - oxidation_state)) if oxidation_state > 0 else min(10, valence - 2)


def absorber(symbol: str) -> Absorber:
    if symbol not in _FALLBACK:
        raise ValueError(f"unsupported absorber {symbol!r}; supported: {', '.join(ABSORBERS)}")
    z, e, w = _FALLBACK[symbol]
    try:
        import xraydb
        e = float(xraydb.xray_edge(symbol, "K").energy)
        w = float(xraydb.core_width(symbol, "K"))
    except Exception:  # pragma: no cover - xraydb is a Debian dependency of python3-xraylarch
        pass
    return Absorber(symbol, z, e, w)


def atomic_number(symbol: str) -> int:
    if symbol in _FALLBACK:
        return _FALLBACK[symbol][0]
    if symbol in LIGAND_Z:
        return LIGAND_Z[symbol]
    import xraydb
    return int(xraydb.atomic_number(symbol))
