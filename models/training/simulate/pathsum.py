"""EXAFS path sum: many chi(k) / mu(E) from ONE FEFF run (issue 5).

FEFF writes, per scattering path j, the effective amplitude and phase (feffNNNN.dat: |F_eff|, phase, 2 phc,
reduction factor, mean free path lambda, complex momentum p). The standard EXAFS equation (as in FEFF's ff2chi
and Larch's feffpath) rebuilds chi from them:

    chi_j(k) = Im[ S0^2 N_j |F_j| red_j / (k (R_j + dR_j)^2)
                  exp(i (2 k R_j + phi_j + 2 phc_j)) exp(2 i p dR_j) exp(-2 R_j / lambda_j) exp(-2 p^2 sigma2_j) ]

with k' = sqrt(k^2 - ETOK dE0) for an E0 shift. Varying dR_j (per shell or an isotropic expansion), N_j (amplitude
factor), sigma2_j, dE0 and S0^2 is what EXAFS fitting does; here it turns one FEFF run into many spectra:
mu(E) = mu0(E) (1 + sum_j chi_j) on FEFF's own energy grid (mu0 = FEFF's embedded-atom background).

`validate()` compares the unperturbed path sum with FEFF's own xmu.dat (runs without a DEBYE card, so FEFF applies
sigma2 = SIG2 to every path, which the path sum reproduces).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .feff import FeffPath, FeffResult

ETOK = 0.2624682843


@dataclass
class PathSet:
    """FEFF paths interpolated onto the k grid of xmu.dat (arrays [n_paths, n_k])."""
    k: np.ndarray
    deg: np.ndarray
    reff: np.ndarray
    nleg: np.ndarray
    amp: np.ndarray       # |F_eff| * reduction factor
    pha: np.ndarray       # phase_feff + 2 phc
    lam: np.ndarray
    rep: np.ndarray
    first_shell: np.ndarray   # bool: single scattering off a first-shell atom
    shell_atoms: list          # per path: tuple of scatterer symbols

    @classmethod
    def from_paths(cls, paths: list[FeffPath], k: np.ndarray, first_shell_rmax: float | None = None) -> "PathSet":
        k = np.asarray(k, float)
        n = len(paths)
        amp = np.zeros((n, len(k)))
        pha = np.zeros_like(amp)
        lam = np.ones_like(amp)
        rep = np.zeros_like(amp)
        for i, p in enumerate(paths):
            amp[i] = np.interp(k, p.k, p.mag_feff * p.red_factor)
            pha[i] = np.interp(k, p.k, _unwrap(p.phase_feff) + p.real_2phc)
            lam[i] = np.interp(k, p.k, p.lam)
            rep[i] = np.interp(k, p.k, p.real_p)
        reff = np.array([p.reff for p in paths])
        nleg = np.array([p.nleg for p in paths])
        if first_shell_rmax is None:
            first_shell_rmax = (reff.min() + 0.35) if n else 0.0
        fs = (nleg == 2) & (reff <= first_shell_rmax)
        return cls(k, np.array([p.degeneracy for p in paths]), reff, nleg, amp, pha, lam, rep, fs,
                   [tuple(a[0] for a in p.atoms[1:]) if p.atoms else () for p in paths])

    def chi(self, s02: float = 0.9, dr=0.0, n_scale=1.0, sigma2=0.0, de0: float = 0.0) -> np.ndarray:
        """Path sum on self.k. dr, n_scale, sigma2: scalars or arrays [n_paths]."""
        k = self.k
        dr = np.broadcast_to(np.asarray(dr, float), self.reff.shape)[:, None]
        ns = np.broadcast_to(np.asarray(n_scale, float), self.reff.shape)[:, None]
        s2 = np.broadcast_to(np.asarray(sigma2, float), self.reff.shape)[:, None]
        if de0:
            q2 = k * k - ETOK * de0
            q = np.sign(q2) * np.sqrt(np.abs(q2))
            amp = np.array([np.interp(q, k, a) for a in self.amp])
            pha = np.array([np.interp(q, k, a) for a in self.pha])
            lam = np.array([np.interp(q, k, a) for a in self.lam])
            rep = np.array([np.interp(q, k, a) for a in self.rep])
        else:
            q, amp, pha, lam, rep = k, self.amp, self.pha, self.lam, self.rep
        qq = np.where(np.abs(q) < 1e-3, 1e-3, q)[None, :]
        p = rep + 1j / lam
        reff = self.reff[:, None]
        cchi = np.exp(-2.0 * reff / lam - 2.0 * p * p * s2 + 1j * (2.0 * qq * reff + pha) + 2j * p * dr)
        cchi = (s02 * self.deg[:, None] * ns) * amp * cchi / (qq * (reff + dr) ** 2)
        out = cchi.imag.sum(0)
        out[np.abs(q) < 1e-3] = 0.0
        return out


def _unwrap(ph):
    return np.unwrap(np.asarray(ph, float))


def synthesize(result: FeffResult, pathset: PathSet, **kw) -> FeffResult:
    """A FeffResult whose mu is mu0 (1 + path-sum chi) (kw: see PathSet.chi)."""
    chi = pathset.chi(**kw)
    return replace(result, mu=result.mu0 * (1.0 + chi), chi=chi)


def validate(result: FeffResult, s02: float, sigma2: float, kmin: float = 2.0) -> dict:
    """Unperturbed path sum vs FEFF's xmu.dat (chi and mu) for k >= kmin (A^-1)."""
    ps = PathSet.from_paths(result.paths(), result.k)
    chi = ps.chi(s02=s02, sigma2=sigma2)
    m = result.k >= kmin
    d_chi = chi[m] - result.chi[m]
    mu = result.mu0 * (1 + chi)
    d_mu = mu[m] - result.mu[m]
    return {"n_paths": int(len(ps.reff)), "max_abs_chi_diff": float(np.max(np.abs(d_chi))),
            "rms_chi_diff": float(np.sqrt(np.mean(d_chi ** 2))),
            "rms_chi_feff": float(np.sqrt(np.mean(result.chi[m] ** 2))),
            "max_abs_mu_diff": float(np.max(np.abs(d_mu))), "rms_mu_diff": float(np.sqrt(np.mean(d_mu ** 2)))}
