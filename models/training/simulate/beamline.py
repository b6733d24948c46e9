"""Beamline realism: scan grids, monochromator resolution, energy-calibration offset, ion-chamber /
fluorescence counts with counting noise, and the reference-foil channel.

Geometry of a transmission experiment (what the channels mean):

    source -> [I0 chamber] -> sample -> [It chamber] -> reference foil -> [Iref chamber]

    i0     ~ Poisson(N0 f(E))                                      (f: smooth flux curve of the undulator/mono)
    itrans ~ Poisson(N0 f(E) t exp(-mu_s(E)))                     mu_s = jump * mu_norm + background
    irefer ~ Poisson(itrans_expected * t' exp(-mu_ref(E)))        mu_ref = metal foil of the same element

so ln(i0/itrans) is the sample's mu (+ a constant) and ln(itrans/irefer) the foil's. A calibration offset
`offset_ev` > 0 means the monochromator reads `offset_ev` too high: every feature, sample and foil alike,
appears at E_true + offset in the file (this is what the reference channel lets one correct).
Gaussian read-out noise (amplifier/V2F) is added on top of the Poisson counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .elements import absorber
from .spectrum import Spectrum, gaussian_broaden

ETOK = 0.2624682843  # 2 m_e / hbar^2 in eV^-1 A^-2:  k^2 = ETOK (E - E0)
SI111_D = 3.13551    # Si(111) d spacing, A
SI311_D = 1.63747


def scan_grid(e0: float, pre_start: float = -150.0, pre_step: float = 5.0, edge_start: float = -20.0,
              edge_end: float = 30.0, edge_step: float = 0.4, kstep: float = 0.05, emax: float = 700.0) -> np.ndarray:
    """Step-scan grid as beamline software builds it: coarse pre-edge, fine XANES, constant k-steps."""
    pre = np.arange(pre_start, edge_start, pre_step)
    xanes = np.arange(edge_start, edge_end, edge_step)
    k0 = np.sqrt(ETOK * edge_end)
    kmax = np.sqrt(ETOK * emax)
    k = np.arange(k0, kmax + 1e-9, kstep)
    exafs = k * k / ETOK
    return e0 + np.concatenate([pre, xanes, exafs])


@dataclass
class Beamline:
    facility: str = "Synthetic Light Source"
    beamline: str = "XAS-1"
    mono: str = "Si(111)"
    d_spacing: float = SI111_D
    resolution_rel: float = 1.4e-4  # Gaussian FWHM / E
    flux: float = 1.0e6             # photons per point into I0 (sets counting statistics)
    readout_noise: float = 20.0     # Gaussian counts

    def resolution(self, e: float) -> float:
        return self.resolution_rel * e


def flux_curve(energy: np.ndarray, e_ref: float, rng: np.random.Generator) -> np.ndarray:
    """Smooth relative flux: slow decline plus a weak undulator-harmonic-like ripple, random phase."""
    x = (energy - e_ref) / 1000.0
    ph = rng.uniform(0, 2 * np.pi)
    return (1.0 - 0.15 * x) * (1.0 + 0.04 * np.sin(2 * np.pi * x / 0.7 + ph))


def background(energy: np.ndarray, e_ref: float, amplitude: float) -> np.ndarray:
    """Absorption of everything else in the beam (matrix, windows, lower edges): Victoreen-like E^-3."""
    return amplitude * (energy / e_ref) ** -3


def broadened_on(spec: Spectrum, e_true: np.ndarray, fwhm: float) -> np.ndarray:
    return np.interp(e_true, spec.energy, gaussian_broaden(spec.energy, spec.mu, fwhm))


@dataclass
class Channels:
    energy: np.ndarray
    i0: np.ndarray
    itrans: np.ndarray | None = None
    irefer: np.ndarray | None = None
    ifluor: np.ndarray | None = None

    def mutrans(self) -> np.ndarray:
        return np.log(self.i0 / self.itrans)

    def murefer(self) -> np.ndarray:
        return np.log(self.itrans / self.irefer)

    def mufluor(self) -> np.ndarray:
        return self.ifluor / self.i0


def _counts(expected: np.ndarray, rng: np.random.Generator, readout: float) -> np.ndarray:
    return rng.poisson(np.maximum(expected, 0)).astype(float) + rng.normal(0, readout, expected.shape)


def transmission(energy: np.ndarray, sample: Spectrum, rng: np.random.Generator, *, beam: Beamline,
                 edge_jump: float = 1.0, background_mu: float = 0.6, offset_ev: float = 0.0,
                 reference: Spectrum | None = None, ref_jump: float = 1.8, sample_fwhm: float | None = None
                 ) -> Channels:
    """Counts in I0/It(/Iref) for a transmission scan at nominal `energy`."""
    e_k = absorber(sample.element).k_edge_ev
    fwhm = beam.resolution(e_k) if sample_fwhm is None else sample_fwhm
    e_true = energy - offset_ev
    mu_s = edge_jump * broadened_on(sample, e_true, fwhm) + background(e_true, e_k, background_mu)
    f = beam.flux * flux_curve(e_true, e_k, rng)
    i0 = _counts(0.12 * f, rng, beam.readout_noise)             # I0 chamber absorbs ~12 %
    it_exp = 0.88 * f * np.exp(-mu_s) * 0.5                      # It chamber absorbs ~50 %
    itrans = _counts(it_exp, rng, beam.readout_noise)
    irefer = None
    if reference is not None:
        mu_r = ref_jump * broadened_on(reference, e_true, beam.resolution(e_k)) + background(e_true, e_k, 0.3)
        irefer = _counts(it_exp * np.exp(-mu_r) * 0.7, rng, beam.readout_noise)
    return Channels(energy, i0, itrans, irefer)


def fluorescence(energy: np.ndarray, sample: Spectrum, rng: np.random.Generator, *, beam: Beamline,
                 signal: float = 0.02, scatter: float = 0.004, offset_ev: float = 0.0) -> Channels:
    """Dilute-sample fluorescence (no self-absorption): ifluor ~ Poisson(I0 (signal mu_norm + scatter))."""
    e_k = absorber(sample.element).k_edge_ev
    e_true = energy - offset_ev
    mu_n = broadened_on(sample, e_true, beam.resolution(e_k))
    f = beam.flux * flux_curve(e_true, e_k, rng)
    i0 = _counts(0.12 * f, rng, beam.readout_noise)
    scat = scatter * (1 + 0.2 * (e_true - e_k) / 1000.0)
    ifl = _counts(f * (signal * mu_n + scat), rng, beam.readout_noise / 4)
    return Channels(energy, i0, ifluor=ifl)
