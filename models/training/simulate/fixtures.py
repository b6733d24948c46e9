"""Single-spectrum reader fixtures (services/common/src/test/resources/fixtures/spectra/).

Each fixture exercises one file layout the readers must handle (issue 2) with a different element,
oxidation state, geometry, scan grid and calibration offset. Ground truth goes into `Simulation.*` XDI
header fields (an XDI extension namespace) and into the folder's README.md.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from . import beamline as bl
from . import xdi
from .elements import absorber
from .spectrum import gaussian_broaden, phase_spectrum
from .structures import METAL, PHASES

REPO = Path(__file__).resolve().parents[3]
DEFAULT_OUT = REPO / "services/common/src/test/resources/fixtures/spectra"


@dataclass(frozen=True)
class Fixture:
    file: str
    phase: str
    layout: str            # athena_mutrans | raw_irefer | raw_i1 | fluor | normtrans | raw_mutrans | fdmnes
    xdi_version: str = "1.0"
    grid: dict = field(default_factory=dict)
    offset_ev: float = 0.0
    temperature_c: float = 25.0
    flux: float = 1.0e6
    facility: str = "Synthetic Light Source"
    beamline: str = "XAS-1"
    note: str = ""


FIXTURES = [
    Fixture("cu2o_athena_mutrans.xdi", "Cu2O", "athena_mutrans",
            grid=dict(pre_step=5.0, edge_step=0.3, emax=700.0),
            note="Athena-style export: only energy + mutrans, minimal header"),
    Fixture("nio_i0_itrans_irefer.xdi", "NiO", "raw_irefer", offset_ev=1.6,
            grid=dict(pre_step=10.0, edge_step=0.35, emax=800.0), beamline="QEXAFS-2",
            note="raw ion-chamber counts with a Ni-foil reference channel; energy scale off by +1.6 eV"),
    Fixture("fe2o3_i0_i1.xdi", "Fe2O3", "raw_i1", offset_ev=-0.8,
            grid=dict(pre_step=5.0, edge_step=0.5, emax=650.0),
            note="transmission channel named i1 instead of itrans"),
    Fixture("coal2o4_fluor_xdi11.xdi", "CoAl2O4", "fluor", xdi_version="1.1",
            grid=dict(pre_step=5.0, edge_step=0.3, emax=600.0), flux=2.0e6,
            note="XDI 1.1 fluorescence (dilute tetrahedral Co2+), mu = ifluor/i0"),
    Fixture("vo4_normtrans.xdi", "VO4", "normtrans",
            grid=dict(pre_step=5.0, edge_step=0.3, emax=600.0),
            note="normalised transmission (normtrans) of tetrahedral V5+ with its strong pre-edge"),
    Fixture("cuo_i0_itrans_mutrans.xdi", "CuO", "raw_mutrans", temperature_c=150.0,
            grid=dict(pre_step=10.0, edge_step=0.4, emax=750.0), offset_ev=0.5,
            note="GSE-style: i0, itrans and the derived mutrans side by side; sample at 150 C"),
    Fixture("mno2_fdmnes.txt", "MnO2", "fdmnes", grid=dict(step=0.5, lo=-40.0, hi=150.0),
            note="FDMNES-style plain text: two header lines (FDMNES / energy <xanes>), no metadata, no noise"),
    Fixture("ni_foil_i0_itrans_irefer.xdi", "Ni", "raw_irefer", offset_ev=-2.3,
            grid=dict(pre_step=5.0, edge_step=0.4, emax=700.0),
            note="Ni metal with Ni-foil reference; energy scale off by -2.3 eV"),
]


def _seed(name: str) -> int:
    return zlib.crc32(name.encode())


def _truth_headers(fx: Fixture, e0_true: float) -> dict:
    site = PHASES[fx.phase]
    return {
        "Simulation.generator": "models/training/simulate (FEFF 8.5L + edge model)",
        "Simulation.phase": site.name,
        "Simulation.oxidation_state": str(site.oxidation_state),
        "Simulation.coordination_number": str(site.effective_cn),
        "Simulation.geometry": site.edge_geometry,
        "Simulation.ligand": site.ligand,
        "Simulation.first_shell_r": f"{min(site.first_shell()):.3f} A",
        "Simulation.calibration_offset": f"{fx.offset_ev:+.2f} eV",
        "Simulation.seed": str(_seed(fx.file)),
    }


def make(fx: Fixture, out_dir: Path) -> Path:
    site = PHASES[fx.phase]
    el = site.absorber
    ek = absorber(el).k_edge_ev
    rng = np.random.default_rng(_seed(fx.file))
    t_k = fx.temperature_c + 273.15
    spec = phase_spectrum(fx.phase, t_k)
    beam = bl.Beamline(facility=fx.facility, beamline=fx.beamline, flux=fx.flux)
    out = out_dir / fx.file
    if fx.layout == "fdmnes":
        g = fx.grid
        energy = np.arange(ek + g["lo"], ek + g["hi"] + 1e-9, g["step"])
        xanes = 0.0045 * spec.at(energy)  # FDMNES-like absolute scale (Mbarn-ish), theory: no noise
        xdi.write_fdmnes(out, energy, xanes)
        return out
    # scan grid around the nominal (tabulated) edge, as a beamline would set it
    energy = bl.scan_grid(ek, **fx.grid)
    start = datetime(2026, 3, 14, 9, 0, 0, tzinfo=timezone.utc) + timedelta(minutes=_seed(fx.file) % 600)
    headers = {
        "Element.symbol": el,
        "Element.edge": "K",
        "Mono.name": beam.mono,
        "Mono.d_spacing": f"{beam.d_spacing:.5f}",
        "Facility.name": beam.facility,
        "Beamline.name": beam.beamline,
        "Scan.start_time": start.strftime("%Y-%m-%dT%H:%M:%S"),
        "Scan.edge_energy": f"{ek:.1f}",
        "Sample.name": site.name,
        "Sample.temperature": f"{fx.temperature_c:g} C",
    }
    comments = [fx.note, f"synthetic spectrum: python3 -m simulate fixtures (seed {_seed(fx.file)})"]
    ref = phase_spectrum(METAL[el]) if fx.layout == "raw_irefer" else None
    if fx.layout == "fluor":
        ch = bl.fluorescence(energy, spec, rng, beam=beam, offset_ev=fx.offset_ev)
        columns = [("energy", "eV", energy), ("i0", None, ch.i0), ("ifluor", None, ch.ifluor)]
        headers["Detector.I0"] = "10 cm N2"
        headers["Detector.IF"] = "4-element silicon drift detector"
    else:
        jump = {"Cu": 1.1, "Ni": 0.9, "Fe": 1.3, "V": 0.8, "Co": 1.0, "Mn": 1.2}.get(el, 1.0)
        ch = bl.transmission(energy, spec, rng, beam=beam, edge_jump=jump, offset_ev=fx.offset_ev, reference=ref)
        headers["Detector.I0"] = "10 cm N2"
        headers["Detector.I1"] = "30 cm N2/Ar"
        if fx.layout == "athena_mutrans":
            columns = [("energy", "eV", energy), ("mutrans", None, ch.mutrans())]
            headers = {"Element.symbol": el, "Element.edge": "K", "Sample.name": site.name,
                       "Sample.formula": fx.phase}
            comments = [fx.note, "exported from an Athena project (simulated)"]
        elif fx.layout == "raw_irefer":
            columns = [("energy", "eV", energy), ("i0", None, ch.i0), ("itrans", None, ch.itrans),
                       ("irefer", None, ch.irefer)]
            headers["Detector.IR"] = "30 cm N2/Ar"
            headers["Sample.reference"] = f"{el} foil"
        elif fx.layout == "raw_i1":
            columns = [("energy", "eV", energy), ("i0", None, ch.i0), ("i1", None, ch.itrans)]
        elif fx.layout == "raw_mutrans":
            columns = [("energy", "eV", energy), ("i0", None, ch.i0), ("itrans", None, ch.itrans),
                       ("mutrans", None, ch.mutrans())]
        elif fx.layout == "normtrans":
            columns = [("energy", "eV", energy), ("normtrans", None, _normalise(energy, ch.mutrans()))]
        else:
            raise ValueError(fx.layout)
    headers.update(_truth_headers(fx, spec.e_continuum))
    xdi.write_xdi(out, columns, headers, version=fx.xdi_version, comments=comments)
    return out


def _normalise(energy: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Athena/Larch-style normalisation (pre-edge line and post-edge quadratic, edge step) via Larch."""
    from larch import Group
    from larch.xafs import pre_edge
    g = Group(energy=energy, mu=mu)
    pre_edge(g)
    return g.norm


def make_all(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [make(fx, out_dir) for fx in FIXTURES]
