"""Synthetic operando series for the demo and for change-point tests.

Each frame is a linear combination of phase spectra (phase fractions from a kinetic or electrochemical
model) at the frame's temperature, measured through `beamline.transmission` with a reference foil, counting
noise and a drifting energy calibration that the foil channel tracks. Ground truth goes to series.csv.

cu-reduction: temperature-programmed reduction (TPR) of a CuO catalyst in H2, 25 -> 400 C at a constant
  ramp, one quick-EXAFS spectrum every ~2 s. Sequential first-order kinetics CuO -> Cu2O -> Cu with
  Arrhenius rate constants, k_i = A_i exp(-Ea_i / R T); the pre-factors are set from the Kissinger relation
  (Ea beta / (R Tp^2) = A exp(-Ea / R Tp)) so the rate maxima fall at the chosen peak temperatures - the
  two-step Cu2+ -> Cu+ -> Cu0 path seen in operando XAS of H2-TPR of CuO at moderate H2 partial pressure
  (e.g. Kim, Rodriguez, Hanson et al., J. Am. Chem. Soc. 125, 10684 (2003)).
ni-cycling: a Ni-rich layered-oxide cathode cycled between 3.0 and 4.3 V; Ni2+ -> Ni3+ around 3.75 V and
  Ni3+ -> Ni4+ around 4.15 V (sigmoidal equilibrium occupation with a small charge/discharge hysteresis).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from . import beamline as bl
from . import xdi
from .elements import absorber
from .spectrum import Spectrum, phase_spectrum
from .structures import METAL, PHASES

REPO = Path(__file__).resolve().parents[3]
DEMO_DIR = REPO / "services/app/src/main/resources/demo"
R_GAS = 8.314462618


@dataclass
class Frame:
    time: datetime
    fractions: np.ndarray      # per phase, sums to 1
    temperature_c: float
    offset_ev: float
    conditions: dict           # extra XDI header fields (e.g. Sample.potential)


def _temperature_interpolated(phase: str, t_k: float, grid_k: list[float], cache: dict
                              ) -> tuple[np.ndarray, Spectrum]:
    """Phase spectrum at t_k, linear in T between FEFF runs on grid_k (correlated-Debye sigma^2)."""
    for t in grid_k:
        if (phase, t) not in cache:
            cache[(phase, t)] = phase_spectrum(phase, t)
    t_k = min(max(t_k, grid_k[0]), grid_k[-1])
    i = max(0, min(len(grid_k) - 2, int(np.searchsorted(grid_k, t_k)) - 1))
    t0, t1 = grid_k[i], grid_k[i + 1]
    w = (t_k - t0) / (t1 - t0)
    s0, s1 = cache[(phase, t0)], cache[(phase, t1)]
    return (1 - w) * s0.mu + w * np.interp(s0.energy, s1.energy, s1.mu), s0


def tpr_fractions(temps_k: np.ndarray, times_s: np.ndarray, tp1_k: float, tp2_k: float, ea1: float,
                  ea2: float, beta: float) -> np.ndarray:
    """Sequential first-order A -> B -> C under the given T(t); returns (n, 3) fractions [A, B, C]."""
    a1 = beta * ea1 / (R_GAS * tp1_k ** 2) * np.exp(ea1 / (R_GAS * tp1_k))
    a2 = beta * ea2 / (R_GAS * tp2_k ** 2) * np.exp(ea2 / (R_GAS * tp2_k))
    fine_t = np.linspace(times_s[0], times_s[-1], 20000)
    fine_T = np.interp(fine_t, times_s, temps_k)
    y = np.array([1.0, 0.0, 0.0])
    out = np.zeros((len(fine_t), 3))
    out[0] = y
    for n in range(1, len(fine_t)):
        dt = fine_t[n] - fine_t[n - 1]
        T = 0.5 * (fine_T[n] + fine_T[n - 1])
        k1, k2 = a1 * np.exp(-ea1 / (R_GAS * T)), a2 * np.exp(-ea2 / (R_GAS * T))
        a = y[0] * np.exp(-k1 * dt)
        conv1 = y[0] - a
        b_in = y[1] + conv1
        b = b_in * np.exp(-k2 * dt)
        y = np.array([a, b, y[2] + b_in - b])
        out[n] = y
    return np.stack([np.interp(times_s, fine_t, out[:, j]) for j in range(3)], 1)


def _calibration_drift(n: int, rng: np.random.Generator, start: float, walk: float, jitter: float) -> np.ndarray:
    """Monochromator calibration: a constant error + slow random walk (heat load) + per-scan jitter."""
    return start + np.cumsum(rng.normal(0, walk, n)) + rng.normal(0, jitter, n)


def write_series(name: str, out_dir: Path, phases: list[str], frames: list[Frame], rng: np.random.Generator,
                 beam: bl.Beamline, sample_name: str, extra_headers: dict, grid: dict, edge_jump: float,
                 extra_csv: dict) -> list[Path]:
    el = PHASES[phases[0]].absorber
    ek = absorber(el).k_edge_ev
    energy = bl.scan_grid(ek, **grid)
    foil = phase_spectrum(METAL[el], 298.15)  # the foil stays at room temperature
    grid_k = sorted({298.15} | {round(t, 0) for t in np.arange(373.15, 873.16, 100.0)})
    cache: dict = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{name}-*.xdi"):
        old.unlink()
    paths, rows = [], []
    for i, fr in enumerate(frames):
        t_k = fr.temperature_c + 273.15
        mu = None
        base: Spectrum | None = None
        for ph, f in zip(phases, fr.fractions):
            m, s0 = _temperature_interpolated(ph, t_k, grid_k, cache)
            if base is None:
                base, mu = s0, np.zeros_like(s0.mu)
            mu += f * np.interp(base.energy, s0.energy, m)
        ox = float(sum(f * PHASES[p].oxidation_state for p, f in zip(phases, fr.fractions)))
        spec = Spectrum(base.energy, mu, el, ox, None, base.e_continuum)
        jump = edge_jump * (1 + 0.01 * np.sin(i / 17.0))  # slow bed settling
        ch = bl.transmission(energy, spec, rng, beam=beam, edge_jump=jump, offset_ev=fr.offset_ev, reference=foil)
        dom = int(np.argmax(fr.fractions))
        site = PHASES[phases[dom]]
        headers = {
            "Element.symbol": el, "Element.edge": "K",
            "Mono.name": beam.mono, "Mono.d_spacing": f"{beam.d_spacing:.5f}",
            "Facility.name": beam.facility, "Beamline.name": beam.beamline,
            "Scan.start_time": fr.time.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4] + "Z",
            "Scan.edge_energy": f"{ek:.1f}",
            "Sample.name": sample_name,
            "Sample.temperature": f"{fr.temperature_c:.1f} C",
            **fr.conditions, **extra_headers,
            "Detector.I0": "15 cm N2", "Detector.I1": "30 cm N2/Ar", "Detector.IR": "30 cm N2/Ar",
            "Sample.reference": f"{el} foil",
        }
        fname = f"{name}-{i:03d}.xdi"
        xdi.write_xdi(out_dir / fname, [("energy", "eV", energy), ("i0", None, ch.i0),
                                        ("itrans", None, ch.itrans), ("irefer", None, ch.irefer)],
                      headers, comments=[f"synthetic operando series '{name}', frame {i} of {len(frames)}",
                                         "ground truth: series.csv (python3 -m simulate operando " + name + ")"])
        paths.append(out_dir / fname)
        row = {"index": i, "file": fname, "temperature_C": f"{fr.temperature_c:.1f}",
               "time": fr.time.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4] + "Z"}
        row.update({k: v[i] for k, v in extra_csv.items()})
        for p, f in zip(phases, fr.fractions):
            row[f"fraction_{_short(p)}"] = f"{f:.4f}"
        row.update({"mean_oxidation_state": f"{ox:.3f}", "dominant_phase": phases[dom],
                    "cn_dominant": site.effective_cn, "calibration_offset_eV": f"{fr.offset_ev:+.3f}"})
        rows.append(row)
    with open(out_dir / "series.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return paths


_SHORT = {"CuO": "cu2", "Cu2O": "cu1", "Cu": "cu0", "LayeredNi2": "ni2", "LiNiO2": "ni3", "NiO2": "ni4",
          "Fe2O3": "fe3", "FeO": "fe2", "Fe": "fe0"}


def _short(phase: str) -> str:
    return _SHORT.get(phase, phase.lower())


def _tpr_series(name: str, phases: list[str], out_dir: Path, seed: int, n: int, dt: float,
                t_start: float, t_end: float, peaks_c: tuple[float, float], ea: tuple[float, float],
                t0: datetime, gas: str, sample: str) -> list[Path]:
    """A temperature-programmed reduction A -> B -> C under a linear ramp: two first-order steps (tpr_fractions)
    with rate maxima at `peaks_c`, thermocouple read-back noise and a drifting energy calibration."""
    rng = np.random.default_rng(seed)
    times = np.arange(n) * dt + np.concatenate([[0.0], rng.normal(0, 0.03, n - 1)])
    beta = (t_end - t_start) / (times[-1] - times[0])               # K/s
    temps_c = t_start + beta * (times - times[0])
    fr = tpr_fractions(temps_c + 273.15, times, tp1_k=peaks_c[0] + 273.15, tp2_k=peaks_c[1] + 273.15,
                       ea1=ea[0], ea2=ea[1], beta=beta)
    fr = np.clip(fr, 0, 1)
    fr /= fr.sum(1, keepdims=True)
    readback = temps_c + rng.normal(0, 0.3, n)                      # thermocouple read-back noise
    offsets = _calibration_drift(n, rng, start=rng.uniform(-1.5, 1.5), walk=0.04, jitter=0.08)
    frames = [Frame(t0 + timedelta(seconds=float(times[i])), fr[i], float(readback[i]), float(offsets[i]),
                    {"Sample.gas": gas, "Sample.ramp": f"{beta * 60:.1f} C/min"})
              for i in range(n)]
    beam = bl.Beamline(facility="Synthetic Light Source", beamline="QEXAFS-1", flux=4.0e5, readout_noise=10.0)
    return write_series(name, out_dir, phases, frames, rng, beam, sample, {},
                        dict(pre_step=5.0, edge_step=0.4, emax=800.0), edge_jump=1.0, extra_csv={})


def cu_reduction(out_dir: Path, seed: int = 20261125, n: int = 120) -> list[Path]:
    """CuO/SiO2 reduced in H2: CuO -> Cu2O -> Cu as the temperature ramps 25 -> 400 C."""
    return _tpr_series("cu-reduction", ["CuO", "Cu2O", "Cu"], out_dir, seed, n, dt=2.0, t_start=25.0,
                       t_end=400.0, peaks_c=(185, 285), ea=(85e3, 105e3),
                       t0=datetime(2026, 5, 20, 14, 3, 11, tzinfo=timezone.utc), gas="5% H2 in He, 50 ml/min",
                       sample="CuO/SiO2 catalyst (synthetic), H2 temperature-programmed reduction")


def ni_cycling(out_dir: Path, seed: int = 20261126, n: int = 60) -> list[Path]:
    rng = np.random.default_rng(seed)
    # two cycles 3.0 -> 4.3 -> 3.0 V, constant current: potential is piecewise linear in time
    phase_t = np.linspace(0, 2, n, endpoint=False)                  # cycles
    x = phase_t % 1.0
    potential = np.where(x < 0.5, 3.0 + 2 * x * 1.3, 4.3 - 2 * (x - 0.5) * 1.3)
    charging = x < 0.5
    hyst = np.where(charging, 0.03, -0.03)
    w = 0.06
    x1 = 1 / (1 + np.exp(-(potential - (3.75 + hyst)) / w))
    x2 = 1 / (1 + np.exp(-(potential - (4.15 + hyst)) / w))
    fr = np.stack([1 - x1, x1 * (1 - x2), x1 * x2], 1)
    fr /= fr.sum(1, keepdims=True)
    times = np.arange(n) * 120.0 + rng.normal(0, 0.5, n)
    offsets = _calibration_drift(n, rng, start=rng.uniform(-1.0, 1.0), walk=0.03, jitter=0.06)
    t0 = datetime(2026, 6, 2, 8, 30, 0, tzinfo=timezone.utc)
    temps = 25.0 + rng.normal(0, 0.2, n)
    frames = [Frame(t0 + timedelta(seconds=float(times[i])), fr[i], float(temps[i]), float(offsets[i]),
                    {"Sample.potential": f"{potential[i]:.3f} V",
                     "Sample.current": f"{'+' if charging[i] else '-'}0.5 C-rate"})
              for i in range(n)]
    beam = bl.Beamline(facility="Synthetic Light Source", beamline="XAS-3", flux=8.0e5, readout_noise=10.0)
    return write_series("ni-cycling", out_dir, ["LayeredNi2", "LiNiO2", "NiO2"], frames, rng, beam,
                        "LiNiO2-type cathode in a coin cell (synthetic), galvanostatic cycling",
                        {"Sample.electrolyte": "1 M LiPF6 in EC/DMC"},
                        dict(pre_step=5.0, edge_step=0.4, emax=800.0), edge_jump=0.8,
                        extra_csv={"potential_V": [f"{v:.3f}" for v in potential],
                                   "charging": ["1" if c else "0" for c in charging]})


def fe_reduction(out_dir: Path, seed: int = 20261127, n: int = 90) -> list[Path]:
    """Hematite reduced in H2: Fe2O3 -> FeO (wuestite) -> Fe as the temperature ramps 200 -> 800 C."""
    return _tpr_series("fe-reduction", ["Fe2O3", "FeO", "Fe"], out_dir, seed, n, dt=3.0, t_start=200.0,
                       t_end=800.0, peaks_c=(420, 620), ea=(110e3, 140e3),
                       t0=datetime(2026, 7, 8, 9, 12, 40, tzinfo=timezone.utc), gas="10% H2 in He, 40 ml/min",
                       sample="Fe2O3 powder (synthetic), H2 temperature-programmed reduction")


def make(series: str, out_dir: Path | None = None, seed: int | None = None) -> list[Path]:
    out_dir = Path(out_dir) if out_dir else DEMO_DIR / series
    fn = {"cu-reduction": cu_reduction, "ni-cycling": ni_cycling, "fe-reduction": fe_reduction}[series]
    return fn(out_dir) if seed is None else fn(out_dir, seed)
