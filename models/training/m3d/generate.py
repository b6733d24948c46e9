"""Training-data generation for issue 5: FEFF runs (one per sampled structure, cached) -> path-sum variations ->
edge model with jittered parameters -> beamline realism (scan grid, resolution, calibration offset, counts) ->
model input through xasprep.normalize.preprocess (exactly the Java path). Sharded (one .npz per structure under
models/training/.cache/m3d/shards-wide/), resumable, two processes, reproducible from the seed."""
from __future__ import annotations

import math
import multiprocessing as mp
import os
import re
import subprocess
import time
from dataclasses import dataclass

import numpy as np

from simulate import beamline as B
from simulate import edge as edge_model
from simulate import feff, pathsum
from simulate import spectrum as S
from simulate.elements import absorber, atomic_number
from xasprep import normalize as N

from . import sampler
from . import settings as ST

HERE, TRAINING, REPO, CACHE, FEFF_CACHE, SEED = ST.HERE, ST.TRAINING, ST.REPO, ST.CACHE, ST.FEFF_CACHE, ST.SEED
ID_STRIDE = 1000   # structure ids per block (id_offset)

# ---- the model input: E0 from the derivative maximum (Larch rule), grid relative to E0, flattened mu.
# Two input windows, both 0.5 eV steps from E0 - 20 eV: "xanes" (to E0 + 70 eV) takes any spectrum that covers the
# edge, XFEL pulse trains and XANES-only scans included; "wide" (to E0 + 200 eV, k up to 7.2 1/A) adds the start of the
# EXAFS, where the first-shell amplitude and phase carry the coordination number and distance. The shards keep the
# wide input; the xanes input is its first GRID[2] values (the same normalisation, the same grid points).
# "exafs" (to E0 + 380 eV, k up to 10 1/A) is for exploration only (no served model reads it): whether a longer k range,
# which separates the first-shell amplitude (CN) from its damping (sigma2), lifts CN. Shards keep it only when
# M3D_SHARD_WINDOW=exafs, in their own folder (the FEFF runs are shared, so that costs only the path sums).
WINDOWS = {"xanes": (-20.0, 70.0, 181), "wide": (-20.0, 200.0, 441), "exafs": (-20.0, 380.0, 801)}
GRID = WINDOWS["xanes"]
SHARD_WINDOW = ST.SHARD_WINDOW
if SHARD_WINDOW not in ("wide", "exafs"):
    raise ValueError("M3D_SHARD_WINDOW must be wide or exafs, not %r" % SHARD_WINDOW)


def spec(window="xanes"):
    """The preprocessing contract of a model reading `window` (the manifest's, and the Java service's)."""
    return {"min_points": 20,
            "normalization": {"e0": None, "step": None, "pre1": -50.0, "pre2": -20.0, "norm1": 40.0, "norm2": 250.0,
                              "nnorm": 1, "nvict": 0, "make_flat": True},
            "edge_window": {"below": 50.0, "above": 50.0},
            "signal": "flat",
            "grid": {"linspace": list(WINDOWS[window]), "reference": "relative_to_e0", "out_of_range": "reject",
                     "fill": 0.0}}


def window_width(window):
    """Number of input values of `window`: a prefix of the shards' input (checked)."""
    s, e, n = WINDOWS[window]
    S_, E_, N_ = WINDOWS[SHARD_WINDOW]
    if s != S_ or (e - s) / (n - 1) != (E_ - S_) / (N_ - 1) or n > N_:
        raise ValueError("window %s is not a prefix of the %s window" % (window, SHARD_WINDOW))
    return n


SPEC = spec("xanes")
_SHARD_SPEC = spec(SHARD_WINDOW)
SHARDS = "shards-" + SHARD_WINDOW   # (the shards of m3d <= 1.7.0, xanes input only, were in "shards")

# ---- G2 pseudo-PDF (fe_k/labels.py definition, any absorber)
R_CUT = 6.0
MU = np.linspace(1.5, 5.5, 32)
ETA = 1.0 / (2.0 * float(MU[1] - MU[0]) ** 2)

HBAR2_2AMU_KB = 24.255  # hbar^2 / (2 amu k_B) in A^2 K (Einstein sigma2)


@dataclass(frozen=True)
class Jitter:
    """The nominal spread of one variation's path-sum and edge-model parameters (theory scale 1); the model card
    quotes these fields. Uniform ranges are (low, high); `*_sd` are normal standard deviations."""
    expansion_sd: float = 0.012              # isotropic expansion alpha: dR = alpha * R_eff
    first_shell_dr_sd: float = 0.03          # extra first-shell dR (A), clipped at +-first_shell_dr_clip
    first_shell_dr_clip: float = 0.08
    s02: tuple = (0.7, 1.0)
    de0_ev: float = 3.0                      # path-sum E0 shift, uniform +-de0_ev
    outer_amplitude: tuple = (0.75, 1.25)    # amplitude of the paths beyond the first shell
    metal_temperature_k: tuple = (10.0, 600.0)   # metals: Einstein sigma2 at this temperature
    sigma2_first: tuple = (0.002, 0.011)     # A^2, non-metals
    sigma2_outer: tuple = (0.004, 0.02)
    # the edge model's shifts are round literature values: continuum edge vs bound lines +-edge_sd_ev (1 sigma)
    edge_sd_ev: float = 2.0
    # feff8l's path-expansion onset is sharper than a measured rise into the white line: extra Gaussian broadening
    # of the continuum part, FWHM 0..onset_fwhm_max_ev (final-state / core-hole broadening uncertainty)
    onset_fwhm_max_ev: float = 3.0
    line_area: tuple = (0.6, 1.6)            # factor on each bound line's area
    line_position_sd_ev: float = 0.6
    line_width: tuple = (0.9, 1.5)           # factor on each bound line's width


JITTER = Jitter()


@dataclass(frozen=True)
class TheoryScale:
    """The factor on each part of the theory-side deviations of beam_spectrum: the path-sum E0 (`de0`), the continuum
    edge position against the bound lines (`edge`), the onset broadening (`onset`) and the bound lines' areas,
    positions and widths (`lines`). A number scales every part alike."""
    de0: float = 1.0
    edge: float = 1.0
    onset: float = 1.0
    lines: float = 1.0

    PARTS = ("de0", "edge", "onset", "lines")

    @classmethod
    def of(cls, theory):
        return theory if isinstance(theory, cls) else cls(*(float(theory),) * len(cls.PARTS))

    @classmethod
    def parse(cls, text):
        """A scale from name(): a number, or part factors such as "de0x1-edgex0-onsetx1-linesx1" ("edge=0" style
        overrides of the nominal 1 are read too, for command lines)."""
        if "x" not in text and "=" not in text:
            return float(text)
        kv = dict(item.replace("=", "x").split("x", 1) for item in re.split("[-,]", text) if item)
        unknown = set(kv) - set(cls.PARTS)
        if unknown:
            raise ValueError("theory scale parts are %s, not %s" % (", ".join(cls.PARTS), ", ".join(sorted(unknown))))
        s = cls(**{k: float(v) for k, v in kv.items()})
        c = s.common()
        return s if math.isnan(c) else c   # one factor everywhere: just the number

    def common(self):
        """The factor every part shares, NaN where they differ (a per-part scale is neither nominal nor a copy)."""
        v = {getattr(self, k) for k in self.PARTS}
        return v.pop() if len(v) == 1 else float("nan")

    def name(self):
        c = self.common()
        return "%g" % c if not math.isnan(c) else "-".join("%sx%g" % (k, getattr(self, k)) for k in self.PARTS)


def g2_curve(z, r):
    z, r = np.asarray(z, float), np.asarray(r, float)
    m = (r < R_CUT) & (r > 1e-6)
    fc = 0.5 * (np.cos(np.pi * r[m] / R_CUT) + 1.0)
    return (z[m, None] * fc[:, None] * np.exp(-ETA * (r[m, None] - MU[None, :]) ** 2)).sum(0)


def feff_text(site, cseed):
    """feff.inp without the DEBYE card and with SIG2 0: all sigma2 come from the path sum."""
    txt = feff.feff_input(site, 300.0, cseed)
    lines = [l for l in txt.splitlines() if not l.startswith("DEBYE")]
    lines = ["SIG2 0.00000" if l.startswith("SIG2") else l for l in lines]
    return "\n".join(lines) + "\n"


def _run_feff(job):
    txt = job
    t = time.time()
    try:
        res = feff.run_input(txt, FEFF_CACHE)
    except (RuntimeError, subprocess.TimeoutExpired):   # e.g. feff8l "INCREASE NOVP" on crowded clusters: skip
        return None, time.time() - t
    return str(res.directory), time.time() - t


def label_cluster(site, cseed):
    """(Z [n], r [n], first-shell mask [n]) of the cluster the labels are computed from (metals to 6 A)."""
    if site.is_metal:
        atoms = site.with_(rmax=6.2).cluster(cseed)
    else:
        atoms = site.cluster(cseed)
    z = np.array([atomic_number(s) for s, _ in atoms[1:]], float)
    r = np.array([float(np.linalg.norm(x)) for _, x in atoms[1:]])
    if site.is_metal:
        fs = r <= r.min() + 0.35
    else:
        fs = np.zeros(len(r), bool)
        fs[:site.coordination_number] = True
    return z, r, fs


def beam_spectrum(site, res, ps, rng, el, ab, gamma, align, theory=1.0):
    """One variation: path-sum parameters, edge-model jitter, beamline; returns (energy, mu, facts).

    `theory` (a number, or a TheoryScale per part) scales every deviation of the theory-side parameters from their
    nominal values (path-sum E0, the edge model's positions, areas, widths and onset broadening): 1 = nominal; the
    training data adds copies at 2 (__main__ theory_blocks) and the classifiers are calibrated at
    pipeline.THEORY_SHIFT. The random draws are the same for any scale, so a scaled copy is paired with its nominal
    spectrum."""
    j = JITTER
    th = TheoryScale.of(theory)
    metal = site.is_metal
    alpha = rng.normal(0, j.expansion_sd)
    d1 = 0.0 if metal else float(np.clip(rng.normal(0, j.first_shell_dr_sd), -j.first_shell_dr_clip,
                                         j.first_shell_dr_clip))
    s02 = rng.uniform(*j.s02)
    de0 = rng.uniform(-j.de0_ev, j.de0_ev) * th.de0
    n_out = 1.0 if metal else rng.uniform(*j.outer_amplitude)
    if metal:
        t = rng.uniform(*j.metal_temperature_k)
        theta = 0.8 * site.debye_k
        mass = {"Ti": 47.9, "V": 50.9, "Cr": 52.0, "Mn": 54.9, "Fe": 55.8, "Co": 58.9, "Ni": 58.7, "Cu": 63.5,
                "Zn": 65.4}[el] / 2.0
        s2e = HBAR2_2AMU_KB / (mass * theta) / math.tanh(theta / (2 * t))
        sig1 = s2e + rng.uniform(0, 0.001)
        sig2 = 1.3 * s2e + rng.uniform(0, 0.002)
    else:
        sig1 = rng.uniform(*j.sigma2_first)
        sig2 = rng.uniform(*j.sigma2_outer)
    dr = alpha * ps.reff + np.where(ps.first_shell, d1, 0.0)
    sig = np.where(ps.first_shell, sig1, sig2)
    nsc = np.where(ps.first_shell, 1.0, n_out)
    syn = pathsum.synthesize(res, ps, s02=s02, dr=dr, n_scale=nsc, sigma2=sig, de0=de0)
    # edge model with jittered parameters (Jitter says why each spread)
    e_c = (ab.k_edge_ev + edge_model.edge_shift(el, site.oxidation_state, site.ligand) + align
           + rng.normal(0, j.edge_sd_ev) * th.edge)
    rel, mu = S.continuum(syn.e_rel, syn.mu, syn.mu0, gamma)
    extra = rng.uniform(0.0, j.onset_fwhm_max_ev) * th.onset
    if extra > 0.2:
        mu = S.gaussian_broaden(rel, mu, extra)
    energy = rel + e_c
    lines = edge_model.bound_lines(el, site.oxidation_state, site.edge_geometry, site.ligand, gamma)
    for ln in lines:
        area = ln.area * max(0.05, 1.0 + (rng.uniform(*j.line_area) - 1.0) * th.lines)
        pos = ln.position + rng.normal(0, j.line_position_sd_ev) * th.lines
        width = max(0.5, 1.0 + (rng.uniform(*j.line_width) - 1.0) * th.lines)
        mu = mu + edge_model.lorentzian_area(energy, ab.k_edge_ev + pos, area, ln.fwhm * width)
    spec = S.Spectrum(energy, mu, el, site.oxidation_state, site, e_c, lines)
    # beamline
    beam = B.Beamline(flux=float(10 ** rng.uniform(4.7, 6.5)), readout_noise=float(rng.uniform(5, 40)))
    offset = rng.uniform(-10, 10)
    fwhm = beam.resolution(ab.k_edge_ev) * rng.uniform(0.6, 2.0)
    grid = B.scan_grid(e_c + offset, pre_start=rng.uniform(-200, -90), pre_step=rng.uniform(2, 10),
                       edge_start=rng.uniform(-35, -22), edge_end=rng.uniform(25, 45),
                       edge_step=rng.uniform(0.2, 0.9), kstep=rng.uniform(0.03, 0.07), emax=rng.uniform(400, 900))
    grid = grid[grid - offset - e_c < S.E_HI - 20]
    if rng.random() < 0.75:
        ch = B.transmission(grid, spec, rng, beam=beam, edge_jump=rng.uniform(0.3, 2.5),
                            background_mu=rng.uniform(0.2, 1.5), offset_ev=offset, sample_fwhm=fwhm)
        with np.errstate(all="ignore"):
            m = ch.mutrans()
    else:
        ch = B.fluorescence(grid, spec, rng, beam=beam, signal=rng.uniform(0.005, 0.05),
                            scatter=rng.uniform(0.001, 0.01), offset_ev=offset)
        m = ch.mufluor()
    facts = (alpha, d1, n_out, offset)
    return grid, m, facts


def structure_job(args):
    """All variations of one FEFF structure -> shard npz (skipped when it exists)."""
    el, idx, site, cseed, feff_dir, n_var, seed, out, sid, theory = args
    if os.path.exists(out):
        return out, 0, 0.0
    t0 = time.time()
    res = feff.read_xmu(feff_dir)
    ps = pathsum.PathSet.from_paths(res.paths(), res.k)
    ab = absorber(el)
    gamma = ab.core_width_ev
    align = S.align_offset(el)
    z, r, fs = label_cluster(site, cseed)
    r1 = float(r[fs].min())
    cn = sampler.effective_cn(site)
    rng = np.random.default_rng([seed, sampler.ELEMENTS.index(el), idx])
    xs, g2s, dists, e0s, offs, rej = [], [], [], [], [], 0
    for v in range(n_var):
        e, m, (alpha, d1, n_out, offset) = beam_spectrum(site, res, ps, rng, el, ab, gamma, align, theory)
        try:
            if not np.all(np.isfinite(m)):
                raise N.SpectrumRejected("NON_FINITE", "non-finite mu")
            o = N.preprocess(e, m, el, "K", _SHARD_SPEC)
        except N.SpectrumRejected:
            rej += 1
            continue
        rr = r * (1 + alpha) + np.where(fs, d1, 0.0)
        w = np.where(fs, 1.0, n_out)
        xs.append(o["model_input"].astype(np.float32))
        g2s.append(g2_curve(z * w, rr).astype(np.float32))
        dists.append(r1 * (1 + alpha) + d1)
        e0s.append(o["normalization"]["e0"])
        offs.append(offset)
    n = len(xs)
    np.savez_compressed(out + ".tmp.npz", x=np.array(xs, np.float32).reshape(n, WINDOWS[SHARD_WINDOW][2]),
                        g2=np.array(g2s, np.float32).reshape(n, 32), dist=np.array(dists, np.float32),
                        ox=np.full(n, site.oxidation_state, np.int64), cn=np.full(n, cn, np.int64),
                        structure=np.full(n, sid, np.int64), e0=np.array(e0s), offset=np.array(offs),
                        rejected=np.array(rej), geometry=np.array(site.geometry), ligand=np.array(site.ligand))
    os.replace(out + ".tmp.npz", out)
    return out, rej, time.time() - t0


def resimulate(elements, blocks, n_var, theory, log=print, keep=None):
    """Every block (n_structures, n_var, seed) of a data set again with `n_var` variations per FEFF run at one theory
    scale: the same structures, ids and random draws (FEFF runs cached, so path sums only); returns that data's tag."""
    tags = []
    for bi, (ns, _, seed) in enumerate(blocks):
        tags.append(block_tag(ns, n_var, seed, theory))
        generate(elements, ns, n_var, seed=seed, log=log, tag=tags[-1], id_offset=id_offset(bi), theory=theory,
                 keep=keep)
    return "+".join(tags)


def id_offset(block_index):
    """First structure id of a data set's block_index-th block: ids are ID_STRIDE apart per block, so every block's
    structures keep their ids (and split roles) whatever blocks follow."""
    return ID_STRIDE * block_index


def shard_path(el, idx, tag):
    return os.path.join(CACHE, SHARDS, tag, "%s_%04d.npz" % (el, idx))


def block_tag(n_structures, n_var, seed, theory=1.0):
    """Shard directory of a block; a theory-scaled re-simulation of a block's structures gets a suffix."""
    name = TheoryScale.of(theory).name()
    return "s%d_v%d_seed%d%s" % (n_structures, n_var, seed, "" if name == "1" else "_theory" + name)


def parse_block_tag(bt):
    """Inverse of block_tag: (n_structures, n_var, seed, theory), theory a number where every part has one scale."""
    parts = bt.split("_")
    theory = TheoryScale.parse(parts[3][len("theory"):]) if len(parts) > 3 else 1.0
    return int(parts[0][1:]), int(parts[1][1:]), int(parts[2][4:]), theory


def generate(elements, n_structures, n_var, seed=SEED, workers=2, log=print, tag=None, id_offset=0, theory=1.0,
             keep=None):
    """One block of structures (sampler.sites_for(el, n_structures, seed)); structure ids = id_offset + index.
    theory: see beam_spectrum; keep(el, structure_id) -> bool restricts the block to some structures."""
    tag = tag or block_tag(n_structures, n_var, seed)
    os.makedirs(os.path.join(CACHE, SHARDS, tag), exist_ok=True)
    t0 = time.time()
    plan = {el: sampler.sites_for(el, n_structures, seed) for el in elements}
    kept = {el: [keep is None or keep(el, id_offset + i) for i in range(len(plan[el]))] for el in elements}
    texts = [feff_text(site, cs) for el in elements for (site, cs), k in zip(plan[el], kept[el]) if k]
    ctx = mp.get_context("fork")
    # alignment constants (metal foil through the default FEFF cache) once in the parent
    for el in elements:
        S.align_offset(el)
    with ctx.Pool(workers) as pool:
        dirs = []
        for i, (d, dt) in enumerate(pool.imap(_run_feff, texts, chunksize=1)):
            dirs.append(d)
            if (i + 1) % 50 == 0:
                log("  FEFF %d/%d (%.0f s)" % (i + 1, len(texts), time.time() - t0))
    t_feff = time.time() - t0
    failed = sum(1 for x in dirs if x is None)
    log("FEFF: %d runs in %.0f s (%d failed and skipped)" % (len(texts), t_feff, failed))
    jobs, k = [], 0
    for el in elements:
        for idx, (site, cs) in enumerate(plan[el]):
            if not kept[el][idx]:
                continue
            if dirs[k] is not None:
                jobs.append((el, idx, site, cs, dirs[k], n_var, seed, shard_path(el, idx, tag), id_offset + idx,
                             theory))
            k += 1
    rej = 0
    with ctx.Pool(workers) as pool:
        for i, (out, r, dt) in enumerate(pool.imap_unordered(structure_job, jobs, chunksize=1)):
            rej += r
            if (i + 1) % 50 == 0:
                log("  spectra: %d/%d structures (%.0f s)" % (i + 1, len(jobs), time.time() - t0))
    log("generation done in %.0f s (FEFF %.0f s), %d variations rejected by preprocessing" % (
        time.time() - t0, t_feff, rej))
    return tag, {"feff_runs": len(texts), "feff_failed": failed, "seconds": time.time() - t0, "feff_seconds": t_feff, "rejected": rej}


def load(el, tag):
    """All shards of `el` in the blocks of `tag` ('+'-joined block tags)."""
    parts, theory = [], []
    for bt in tag.split("+"):
        d = os.path.join(CACHE, SHARDS, bt)
        files = sorted(f for f in os.listdir(d) if f.startswith(el + "_") and f.endswith(".npz") and "tmp" not in f)
        parts += [np.load(os.path.join(d, f)) for f in files]
        theory += [TheoryScale.of(parse_block_tag(bt)[3]).common()] * len(files)
    out = {}
    for k in ("x", "g2", "dist", "ox", "cn", "structure", "e0", "offset"):
        out[k] = np.concatenate([p[k] for p in parts])
    out["theory"] = np.concatenate([np.full(len(p["x"]), t) for p, t in zip(parts, theory)])  # per spectrum
    out["geometry"] = np.array([str(p["geometry"]) for p in parts])
    out["ligand"] = np.array([str(p["ligand"]) for p in parts])
    out["rejected"] = int(sum(int(p["rejected"]) for p in parts))
    return out
