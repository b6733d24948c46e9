"""FEFF 8.5L (Debian ``feff85exafs``: ``feff8l``) runs with a content-addressed cache.

One run = one cluster at one temperature. The input text is hashed (sha256 of feff.inp + a cache
format tag) and the outputs we use (xmu.dat, feffNNNN.dat, files.dat, paths.dat, feff.inp) are kept under
``models/training/.cache/feff/<hash[:2]>/<hash>/``: reruns cost nothing, and a crashed batch resumes.

feff8l computes mu(E) = mu0(E)(1 + chi(E)) by path expansion (no full multiple scattering, no XANES card):
xmu.dat starts at the Fermi level (k = 0). Thermal disorder is FEFF's correlated-Debye model (DEBYE card);
static disorder is added to every path with SIG2. See spectrum.py for what is done with the result.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .elements import atomic_number
from .structures import SiteModel

CACHE_TAG = "feff8l-v1"
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "feff"
KMAX = 16.0  # A^-1 -> E0 + 975 eV


def feff_input(site: SiteModel, temperature_k: float = 300.0, seed: int = 0, s02: float = 0.9,
               nleg: int | None = None) -> str:
    atoms = site.cluster(seed)
    symbols = [site.absorber] + sorted({s for s, _ in atoms[1:]}, key=lambda s: (atomic_number(s), s))
    ipot = {s: i for i, s in enumerate(symbols) if i > 0}
    if nleg is None:
        nleg = 4 if site.is_metal else 3
    lines = [
        f"TITLE {site.name} | {site.absorber}{site.oxidation_state}+ {site.geometry} {site.ligand} "
        f"T={temperature_k:.1f}K seed={seed}",
        "EDGE K",
        f"S02 {s02:.3f}",
        "CONTROL 1 1 1 1 1 1",
        "PRINT 0 0 0 0 0 3",
        f"EXAFS {KMAX:.1f}",
        f"RPATH {site.rmax:.3f}",
        f"NLEG {nleg}",
        f"DEBYE {temperature_k:.2f} {site.debye_k:.1f}",
        f"SIG2 {site.static_sigma2:.5f}",
        "POTENTIALS",
        f"   0 {atomic_number(site.absorber)} {site.absorber}",
    ]
    for s in symbols[1:]:
        lines.append(f"   {ipot[s]} {atomic_number(s)} {s}")
    lines.append("ATOMS")
    lines.append(f"   0.00000   0.00000   0.00000 0 {site.absorber}")
    for s, xyz in atoms[1:]:
        if np.linalg.norm(xyz) <= site.rmax + 0.5:
            lines.append(f"  {xyz[0]:9.5f} {xyz[1]:9.5f} {xyz[2]:9.5f} {ipot[s]} {s}")
    lines.append("END")
    return "\n".join(lines) + "\n"


@dataclass
class FeffPath:
    index: int
    degeneracy: float
    reff: float
    nleg: int
    k: np.ndarray
    real_2phc: np.ndarray
    mag_feff: np.ndarray
    phase_feff: np.ndarray
    red_factor: np.ndarray
    lam: np.ndarray
    real_p: np.ndarray
    atoms: list  # [(symbol, ipot, xyz)] of the scattering legs


@dataclass
class FeffResult:
    directory: Path
    e_rel: np.ndarray   # E - E_Fermi (eV), FEFF grid (k = 0 ... KMAX)
    k: np.ndarray
    mu: np.ndarray      # normalised so that mu0(edge + 50 eV) ~ 1
    mu0: np.ndarray
    chi: np.ndarray
    gamma_ch: float     # core-hole width FEFF used (eV)
    e_fermi: float      # FEFF's Fermi level (eV, relative to its own zero)

    def paths(self) -> list[FeffPath]:
        return read_paths(self.directory)


def cache_key(text: str) -> str:
    return hashlib.sha256((CACHE_TAG + "\n" + text).encode()).hexdigest()


def run_input(text: str, cache_dir: Path = DEFAULT_CACHE, exe: str = "feff8l") -> FeffResult:
    key = cache_key(text)
    out = Path(cache_dir) / key[:2] / key
    if not (out / "xmu.dat").exists():
        with tempfile.TemporaryDirectory(prefix="feff-") as tmp:
            (Path(tmp) / "feff.inp").write_text(text)
            proc = subprocess.run([exe], cwd=tmp, capture_output=True, text=True, timeout=600)
            if not (Path(tmp) / "xmu.dat").exists():
                raise RuntimeError(f"{exe} failed (rc={proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
            staging = out.parent / (key + ".tmp")
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            for f in os.listdir(tmp):
                if f in ("xmu.dat", "files.dat", "paths.dat", "feff.inp", "chi.dat", "list.dat") or (
                        f.startswith("feff") and f.endswith(".dat")):
                    shutil.copy(Path(tmp) / f, staging / f)
            shutil.rmtree(out, ignore_errors=True)
            os.replace(staging, out)  # atomic: a half-written run is never seen as cached
    return read_xmu(out)


def run(site: SiteModel, temperature_k: float = 300.0, seed: int = 0, cache_dir: Path = DEFAULT_CACHE,
        **kw) -> FeffResult:
    return run_input(feff_input(site, temperature_k, seed, **kw), cache_dir)


def _run_job(job):
    site, t, seed, cache_dir = job
    return run(site, t, seed, cache_dir)


def run_many(jobs: list[tuple[SiteModel, float, int]], processes: int = 2,
             cache_dir: Path = DEFAULT_CACHE) -> list[FeffResult]:
    """Run (site, temperature_k, seed) jobs, `processes` at a time (cached ones return at once)."""
    full = [(s, t, seed, cache_dir) for s, t, seed in jobs]
    if processes <= 1 or len(full) <= 1:
        return [_run_job(j) for j in full]
    with ProcessPoolExecutor(processes) as pool:
        return list(pool.map(_run_job, full))


def read_xmu(directory: Path) -> FeffResult:
    directory = Path(directory)
    gamma, mu_f = 1.0, 0.0
    with open(directory / "xmu.dat") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            if "Gam_ch=" in line:
                gamma = float(line.split("Gam_ch=")[1].split()[0])
            if line.startswith("# Mu="):
                mu_f = float(line.split("Mu=")[1].split()[0])
    data = np.loadtxt(directory / "xmu.dat", comments="#")
    e = data[:, 1]
    return FeffResult(directory, e - e[0], data[:, 2], data[:, 3], data[:, 4], data[:, 5], gamma, mu_f)


def read_paths(directory: Path) -> list[FeffPath]:
    directory = Path(directory)
    paths = []
    for f in sorted(directory.glob("feff[0-9][0-9][0-9][0-9].dat")):
        with open(f) as fh:
            lines = fh.read().splitlines()
        i = next(n for n, l in enumerate(lines) if "nleg, deg, reff" in l)
        parts = lines[i].split()
        nleg, deg, reff = int(parts[0]), float(parts[1]), float(parts[2])
        atoms = []
        for l in lines[i + 2:i + 2 + nleg]:
            p = l.split()
            atoms.append((p[5], int(p[3]), np.array([float(x) for x in p[:3]])))
        j = next(n for n, l in enumerate(lines) if l.strip().startswith("k   real[2*phc]"))
        arr = np.array([[float(x) for x in l.split()] for l in lines[j + 1:] if l.strip()])
        paths.append(FeffPath(int(f.stem[4:]), deg, reff, nleg, *arr.T[:7], atoms))
    return paths
