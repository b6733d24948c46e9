"""Absolute-energy, normalised mu(E) of one site: FEFF + edge model, before any beamline effect.

Construction (energies relative to the continuum edge E_c = E_K(metal) + edge_shift(el, ox, ligand) + align):

1. E >= E_c: FEFF's mu(E) (xmu.dat, mu0 normalised to 1 at ~50 eV above the edge), with the unconverged
   path expansion clipped at threshold: mu >= 0.15 mu0.
2. E <  E_c: the occupied states do not absorb; only the lifetime (Lorentzian) tail of the edge remains:
   mu(E) = mu(E_c) * [1/2 + arctan(2 (E - E_c) / Gamma_K) / pi] / (1/2), continuous at E_c.
3. + bound-state lines from edge.py (1s->3d pre-edge, 1s->4p), Lorentzians of the K-level width.
4. Energy scale: `align` is chosen per element so that the simulated metal foil (the METAL phase,
   room temperature, nominal resolution) has its derivative maximum exactly at the tabulated K edge -
   the definition of the tabulated edge energy. This removes FEFF's absolute-energy error once per element.

Monochromator resolution, calibration offsets and counting noise belong to beamline.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import edge as edge_model
from . import feff
from .elements import absorber
from .structures import METAL, PHASES, SiteModel

FINE_STEP = 0.05   # eV
E_LO = -300.0      # eV below the continuum edge
E_HI = 960.0       # eV above (FEFF KMAX 16 -> 975 eV)


@dataclass
class Spectrum:
    energy: np.ndarray      # absolute eV, uniform FINE_STEP grid
    mu: np.ndarray          # normalised: 0 before the edge, ~1 at the step
    element: str
    oxidation_state: float
    site: SiteModel | None
    e_continuum: float      # where FEFF's Fermi level was placed
    lines: list = field(default_factory=list)

    def at(self, energies: np.ndarray) -> np.ndarray:
        return np.interp(energies, self.energy, self.mu)


def default_resolution(e_k: float) -> float:
    """Gaussian FWHM (eV) of a Si(111) double-crystal monochromator: dE/E ~ 1.4e-4 (Darwin width +
    divergence), e.g. 1.26 eV at the Cu K edge."""
    return 1.4e-4 * e_k


def gaussian_broaden(energy: np.ndarray, mu: np.ndarray, fwhm: float) -> np.ndarray:
    """Convolve a uniformly sampled spectrum with a normalised Gaussian (edges padded)."""
    if fwhm <= 0:
        return mu.copy()
    step = energy[1] - energy[0]
    sigma = fwhm / 2.3548 / step
    half = int(np.ceil(5 * sigma))
    x = np.arange(-half, half + 1)
    kern = np.exp(-0.5 * (x / sigma) ** 2)
    kern /= kern.sum()
    padded = np.concatenate([np.full(half, mu[0]), mu, np.full(half, mu[-1])])
    return np.convolve(padded, kern, mode="valid")


def derivative_max(energy: np.ndarray, mu: np.ndarray, lo: float, hi: float) -> float:
    m = (energy >= lo) & (energy <= hi)
    d = np.gradient(mu[m], energy[m])
    return float(energy[m][np.argmax(d)])


def continuum(e_rel: np.ndarray, mu: np.ndarray, mu0: np.ndarray, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """FEFF's mu(E) relative to the Fermi level on the fine grid: clipped at 0.15 mu0 at threshold (the path
    expansion is unconverged there) and, below it, only the lifetime (arctan) tail of width gamma. Returns
    (rel, mu)."""
    rel = np.arange(E_LO, E_HI, FINE_STEP)
    above = rel >= 0
    mu_f = np.interp(rel[above], e_rel, mu)
    mu0_f = np.interp(rel[above], e_rel, mu0)
    mu_f = np.maximum(mu_f, 0.15 * mu0_f)
    out = np.empty_like(rel)
    out[above] = mu_f
    step = 0.5 + np.arctan(2 * rel[~above] / gamma) / np.pi
    out[~above] = mu_f[0] * step / 0.5
    return rel, out


def _raw(site: SiteModel, result: feff.FeffResult, e_c: float) -> Spectrum:
    ab = absorber(site.absorber)
    gamma = ab.core_width_ev
    rel, mu = continuum(result.e_rel, result.mu, result.mu0, gamma)
    energy = rel + e_c
    lines = edge_model.bound_lines(site.absorber, site.oxidation_state, site.edge_geometry, site.ligand, gamma)
    for ln in lines:
        mu = mu + edge_model.lorentzian_area(energy, ab.k_edge_ev + ln.position, ln.area, ln.fwhm)
    return Spectrum(energy, mu, site.absorber, site.oxidation_state, site, e_c, lines)


@lru_cache(maxsize=None)
def align_offset(element: str) -> float:
    """eV added to every continuum edge of `element` (see module doc, step 4)."""
    metal = PHASES[METAL[element]]
    ab = absorber(element)
    res = feff.run(metal, 298.0)
    raw = _raw(metal, res, ab.k_edge_ev)
    broad = gaussian_broaden(raw.energy, raw.mu, default_resolution(ab.k_edge_ev))
    return ab.k_edge_ev - derivative_max(raw.energy, broad, ab.k_edge_ev - 5, ab.k_edge_ev + 25)


def site_spectrum(site: SiteModel, temperature_k: float = 298.0, seed: int = 0,
                  result: feff.FeffResult | None = None) -> Spectrum:
    """Normalised, unbroadened mu(E) of `site` at `temperature_k` (FEFF correlated-Debye sigma^2)."""
    ab = absorber(site.absorber)
    if result is None:
        result = feff.run(site, temperature_k, seed)
    e_c = ab.k_edge_ev + edge_model.edge_shift(site.absorber, site.oxidation_state, site.ligand) \
        + align_offset(site.absorber)
    return _raw(site, result, e_c)


def phase_spectrum(name: str, temperature_k: float = 298.0, seed: int = 0) -> Spectrum:
    return site_spectrum(PHASES[name], temperature_k, seed)


def mix(spectra: list[Spectrum], fractions) -> Spectrum:
    """Linear combination (same element, same grid assumed after interpolation to the first grid)."""
    base = spectra[0]
    mu = np.zeros_like(base.mu)
    ox = 0.0
    for s, f in zip(spectra, fractions):
        mu += f * np.interp(base.energy, s.energy, s.mu)
        ox += f * s.oxidation_state
    return Spectrum(base.energy, mu, base.element, ox, None, base.e_continuum, [])
