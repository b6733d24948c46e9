"""numpy twin of the Java preprocessing (io.xasstream.core.preprocess): Larch 0.9.58 pre_edge normalisation and
resampling onto a model grid, with the same parameters, rules, reason codes and arithmetic.

The training pipeline builds model inputs with `preprocess()`; the streaming service builds them with
`Preprocessor.preprocess` in Java; both must give the same vector (within 1e-5). Each function names its Java
counterpart. Where the order of floating-point operations matters it is kept identical to the Java code:

* dmu/dE (E0 search): (mu[i+1]-mu[i-1]) / (e[i+1]-e[i-1]) per point -- numpy.gradient's halving is exact, so this is
  bit-identical to Larch and Java; E0 is an argmax, so this is what keeps E0 the same data point everywhere.
* ties: index_nearest takes the first index (numpy argmin); E0 the first maximum (Java keeps a strictly larger one).
* rounding of the automatic ranges: Python round() and Java Math.rint both round half to even.
* fits (_polyfit, Java PolyFitter): t = (x - center) * (1.0 / scale) with center = 0.5 * (first + last) and
  scale = 0.5 * (last - first) of the fitted x (a multiply by the reciprocal, not a divide, in both languages); power sums accumulated left to right (np.cumsum is a sequential sum,
  unlike np.sum's pairwise one) with t^k built by repeated multiplication; the same Gaussian elimination with
  partial pivoting in plain Python floats. Polynomials are evaluated by Horner in t: v = v*t + c.
* norm = (mu - pre_edge) * (1.0 / step) (reciprocal again; Larch divides -- a difference of at most 1 ulp).
* pre-edge curve with nvict != 0 uses e**(-nvict) (numpy power vs Java Math.pow may differ by 1 ulp).
* interpolation: j = last index with energy[j] <= x, capped at n-2; y[j] + (y[j+1]-y[j]) * ((x-e[j]) / (e[j+1]-e[j])).
* relative grid: absolute energy = e0 + point (one addition); linspace: start + i*step, step = (stop-start)/(n-1).

Spec (the model manifest's preprocessing block) as a dict; every key optional, defaults as shown:
    {"min_points": 20,
     "normalization": {"e0": None, "step": None, "pre1": None, "pre2": None, "norm1": None, "norm2": None,
                       "nnorm": None, "nvict": 0, "make_flat": True},      # None = Larch's automatic rule
     "edge_window": {"below": 50.0, "above": 50.0},
     "signal": "flat",                                                     # or "norm"
     "grid": {"points": [...] | "linspace": [start, stop, n],
              "reference": "relative_to_e0",                               # or "absolute"
              "out_of_range": "reject",                                    # or "edge_value", "constant"
              "fill": 0.0}}                                                 # grid may be None

CLI (prints JSON):  python3 normalize.py FILE... [--spec spec.json] [--element Fe --edge K]
"""
import argparse
import json
import math
import sys

import numpy as np

try:
    from . import edge_table, xdi
except ImportError:  # run as a script
    import edge_table
    import xdi

LARCH_VERSION = "0.9.58"
MAX_NNORM = 5
E0_MIN_POINTS = 7
DEFAULT_MIN_POINTS = 20
DUPS_TINY, DUPS_FRAC = 1.e-7, 1.e-6

LARCH_DEFAULTS = {"e0": None, "step": None, "pre1": None, "pre2": None, "norm1": None, "norm2": None,
                  "nnorm": None, "nvict": 0, "make_flat": True}
DEFAULT_EDGE_WINDOW = {"below": 50.0, "above": 50.0}


class SpectrumRejected(Exception):
    """A refused spectrum; `reason` is the Java ReasonCode name (e.g. 'GRID_NOT_COVERED')."""

    def __init__(self, reason, message):
        super().__init__("%s: %s" % (reason, message))
        self.reason = reason


# ---------------------------------------------------------------- validation (SpectrumValidator, MuFromChannels)

def validate(energy, mu, min_points=DEFAULT_MIN_POINTS):
    """Java SpectrumValidator.validate: same checks, same order, same reason codes."""
    if energy is None or len(energy) == 0:
        raise SpectrumRejected("MISSING_FIELD", "no energy values")
    if mu is None or len(mu) == 0:
        raise SpectrumRejected("MISSING_FIELD", "no mu values")
    if len(energy) != len(mu):
        raise SpectrumRejected("LENGTH_MISMATCH", "%d energies but %d mu values" % (len(energy), len(mu)))
    need = max(min_points, E0_MIN_POINTS)
    if len(energy) < need:
        raise SpectrumRejected("TOO_FEW_POINTS", "%d points, at least %d needed" % (len(energy), need))
    energy, mu = np.asarray(energy, float), np.asarray(mu, float)
    for name, a in (("energy", energy), ("mu", mu)):
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise SpectrumRejected("NON_FINITE_VALUE", "%s[%d] is %s" % (name, bad[0], a[bad[0]]))
    d = np.diff(energy)
    bad = np.flatnonzero(d <= 0)
    if bad.size:
        i = bad[0] + 1
        if d[bad[0]] == 0:
            raise SpectrumRejected("DUPLICATE_ENERGY", "energy[%d] = energy[%d] = %s eV" % (i - 1, i, energy[i]))
        raise SpectrumRejected("NON_MONOTONIC_ENERGY", "energy decreases at index %d" % i)


def _check_i0(i0):
    if i0 is None or len(i0) == 0:
        raise SpectrumRejected("MISSING_FIELD", "no i0 values")
    i0 = np.asarray(i0, float)
    bad = np.flatnonzero(~np.isfinite(i0))
    if bad.size:
        raise SpectrumRejected("NON_FINITE_VALUE", "i0[%d] is %s" % (bad[0], i0[bad[0]]))
    bad = np.flatnonzero(~(i0 > 0))
    if bad.size:
        raise SpectrumRejected("NON_POSITIVE_I0", "i0[%d] = %s" % (bad[0], i0[bad[0]]))
    return i0


def _check_signal(i0, sig, name):
    if sig is None or len(sig) == 0:
        raise SpectrumRejected("MISSING_FIELD", "no %s values" % name)
    if len(sig) != len(i0):
        raise SpectrumRejected("LENGTH_MISMATCH", "%d i0 values but %d %s values" % (len(i0), len(sig), name))
    sig = np.asarray(sig, float)
    bad = np.flatnonzero(~np.isfinite(sig))
    if bad.size:
        raise SpectrumRejected("NON_FINITE_VALUE", "%s[%d] is %s" % (name, bad[0], sig[bad[0]]))
    return sig


def mu_transmission(i0, itrans):
    """Java MuFromChannels.transmission: ln(i0/itrans)."""
    i0 = _check_i0(i0)
    it = _check_signal(i0, itrans, "itrans")
    bad = np.flatnonzero(~(it > 0))
    if bad.size:
        raise SpectrumRejected("NON_FINITE_VALUE", "itrans[%d] = %s: ln(i0/itrans) is not finite" % (bad[0], it[bad[0]]))
    return np.log(i0 / it)


def mu_fluorescence(i0, ifluor):
    """Java MuFromChannels.fluorescence: ifluor/i0."""
    i0 = _check_i0(i0)
    return _check_signal(i0, ifluor, "ifluor") / i0


# ---------------------------------------------------------------- Larch helpers (LarchIndex)

def index_of(a, value):
    """Larch index_of: last index with a[i] <= value, 0 if value < a[0]."""
    if value < a[0]:
        return 0
    return int(np.searchsorted(a, value, side="right")) - 1


def index_nearest(a, value):
    """Larch index_nearest: argmin |a - value|, first on ties."""
    return int(np.abs(a - value).argmin())


def remove_dups(a):
    """Larch remove_dups(arr, tiny=1e-7, frac=1e-6); returns `a` itself if nothing changes (as Java)."""
    if not np.any(np.diff(a) < DUPS_TINY):
        return a
    r = [float(x) for x in a]
    for i in range(1, len(r)):
        t = max(DUPS_TINY, DUPS_FRAC * abs(r[i] - r[i - 1]))
        if r[i] - r[i - 1] < DUPS_TINY:
            r[i] = r[i - 1] + t
    if abs(r[-1] - r[-2]) < DUPS_TINY:
        r[-1] = r[-2] + DUPS_TINY
    return np.array(r)


# ---------------------------------------------------------------- E0 (E0Finder)

def _dmu(e, mu):
    n = len(e)
    d = np.empty(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        d[1:-1] = (mu[2:] - mu[:-2]) / (e[2:] - e[:-2])
        d[0] = (mu[1] - mu[0]) / (e[1] - e[0])
        d[-1] = (mu[-1] - mu[-2]) / (e[-1] - e[-2])
    d[~np.isfinite(d)] = -1.0
    return d


def find_e0_index(energy, mu):
    """Java E0Finder.findIndex (Larch 0.9.58 _finde0); -1 where no rising edge qualifies."""
    n = len(energy)
    nmin = max(3, int(n * 0.05))
    if n <= 2 * nmin:
        return -1
    d = _dmu(energy, mu)
    threshold = d[nmin:n - nmin].max() * 0.1
    i = np.arange(nmin, n - nmin + 1)
    ok = (d[i] > 0.0) & (d[i] > threshold) & (d[i - 1] > threshold) & (d[i + 1] > threshold)
    if not ok.any():
        return -1
    cand = i[ok]
    return int(cand[np.argmax(d[cand])])  # first maximum


def find_e0(energy, mu):
    """Java E0Finder.find: E0 (eV) or SpectrumRejected (TOO_FEW_POINTS, EDGE_NOT_FOUND)."""
    energy = np.asarray(energy, float)
    if len(energy) < E0_MIN_POINTS or len(mu) != len(energy):
        raise SpectrumRejected("TOO_FEW_POINTS", "E0 search needs at least %d points, got %d"
                               % (E0_MIN_POINTS, len(energy)))
    i = find_e0_index(energy, np.asarray(mu, float))
    if i < 0:
        raise SpectrumRejected("EDGE_NOT_FOUND", "no rising edge in mu(E)")
    return float(energy[i])


def calibration_shift(energy, reference_mu, tabulated):
    """Java EnergyCalibration.shiftFromReference: tabulated - find_e0(energy, reference_mu) (no de-duplication,
    as Larch's find_e0)."""
    return tabulated - find_e0(energy, reference_mu)


# ---------------------------------------------------------------- fits (PolyFitter, Polynomial)

def _seqsum(a):
    # left-to-right sum, as the Java loop (np.sum is pairwise)
    return float(np.cumsum(a)[-1])


def _polyfit(x, y, degree):
    """Least squares in t = (x-center)/scale by normal equations; returns (center, scale, coefs) or None."""
    nc = degree + 1
    if len(x) < nc:
        return None
    center = 0.5 * (x[0] + x[-1])
    s = 0.5 * (x[-1] - x[0])
    scale = s if s > 0 else 1.0
    t = (x - center) * (1.0 / scale)
    moments, rhs = [], []
    p = np.ones_like(t)
    for k in range(2 * degree + 1):
        moments.append(_seqsum(p))
        if k < nc:
            rhs.append(_seqsum(y * p))
        p = p * t
    a = [[moments[i + j] for j in range(nc)] + [rhs[i]] for i in range(nc)]
    for col in range(nc):
        piv = col
        for r in range(col + 1, nc):
            if abs(a[r][col]) > abs(a[piv][col]):
                piv = r
        if a[piv][col] == 0.0:
            return None
        a[piv], a[col] = a[col], a[piv]
        for r in range(col + 1, nc):
            f = a[r][col] / a[col][col]
            for c in range(col, nc + 1):
                a[r][c] -= f * a[col][c]
    coefs = [0.0] * nc
    for i in range(nc - 1, -1, -1):
        acc = a[i][nc]
        for j in range(i + 1, nc):
            acc -= a[i][j] * coefs[j]
        coefs[i] = acc / a[i][i]
    if not all(math.isfinite(c) for c in coefs):
        return None
    return float(center), float(scale), coefs


def poly_value(poly, e):
    """Java Polynomial.value (Horner in t); e scalar or array."""
    center, scale, coefs = poly
    t = (np.asarray(e, float) - center) * (1.0 / scale)
    v = np.zeros_like(t)
    for c in reversed(coefs):
        v = v * t + c
    return v if v.ndim else float(v)


def _pre_curve(pre, nvict, e):
    v = poly_value(pre, e)
    return v if nvict == 0 else v * np.power(e, -nvict)


def _require_fit(fit, what, a, b, ncoef):
    if fit is None:
        raise SpectrumRejected("TOO_FEW_POINTS", "%s fit over points %d..%d: %d points cannot determine %d "
                                                 "coefficients" % (what, a, b - 1, max(0, b - a), ncoef))
    return fit


def _rint(x):
    return float(round(x))  # half to even, as Java Math.rint


# ---------------------------------------------------------------- normalisation (Normalizer)

def normalize(energy, mu, params=None):
    """Java Normalizer.normalize: Larch 0.9.58 pre_edge. Returns a dict (e0, e0_index, e0_source, edge_step,
    resolved params, pre_edge/post_edge/flat_curve polynomials, norm, flat)."""
    p = dict(LARCH_DEFAULTS)
    p.update(params or {})
    energy = np.asarray(energy, float)
    mu = np.asarray(mu, float)
    n = len(energy)
    if n < E0_MIN_POINTS or len(mu) != n:
        raise SpectrumRejected("TOO_FEW_POINTS", "normalisation needs at least %d points, got %d" % (E0_MIN_POINTS, n))
    if p["step"] is not None and not (p["step"] > 0 and math.isfinite(p["step"])):
        raise ValueError("step must be finite and > 0")
    en = remove_dups(energy)

    source = "FIXED"
    if p["e0"] is None or p["e0"] < en[1] or p["e0"] > en[n - 2]:
        i = find_e0_index(en, mu)
        if i < 0:
            raise SpectrumRejected("EDGE_NOT_FOUND", "no rising edge in mu(E)")
        e0 = float(en[i])
        source = "DERIVATIVE_MAX"
    else:
        e0 = float(p["e0"])
    ie0 = index_nearest(en, e0)
    e0 = float(en[ie0])
    emin, emax = float(en[0]), float(en[n - 1])

    if p["pre1"] is None:
        pre1 = 5.0 * _rint((en[1] - e0) / 5.0) if ie0 > 20 else 2.0 * _rint((en[1] - e0) / 2.0)
    else:
        pre1 = float(p["pre1"])
    pre1 = max(pre1, emin - e0)
    pre2 = 5.0 * _rint(pre1 / 15.0) if p["pre2"] is None else float(p["pre2"])
    if pre1 > pre2:
        pre1, pre2 = pre2, pre1
    norm2 = 5.0 * _rint((emax - e0) / 5.0) if p["norm2"] is None else float(p["norm2"])
    if norm2 < 0:
        norm2 = emax - e0 - norm2  # sic, Larch 0.9.58
    norm2 = min(norm2, emax - e0)
    norm1 = min(150.0, 5.0 * _rint(norm2 / 15.0)) if p["norm1"] is None else float(p["norm1"])
    if norm1 > norm2:
        norm1, norm2 = norm2, norm1
    if p["nnorm"] is None:
        nnorm = 2
        if norm2 - norm1 < 350:
            nnorm = 1
        if norm2 - norm1 < 50:
            nnorm = 0
    else:
        nnorm = int(p["nnorm"])
    nnorm = max(min(nnorm, MAX_NNORM), 0)
    nvict = int(p["nvict"])

    p1 = index_of(en, pre1 + e0)
    p2 = index_nearest(en, pre2 + e0)
    if p2 - p1 < 2:
        p2 = min(n, p1 + 2)
    omu = mu[p1:p2] if nvict == 0 else mu[p1:p2] * np.power(en[p1:p2], nvict)
    pre = _require_fit(_polyfit(en[p1:p2], omu, 1), "pre-edge", p1, p2, 2)

    q1 = index_of(en, norm1 + e0)
    q2 = index_nearest(en, norm2 + e0)
    if q2 - q1 < 2:
        q2 = min(n, q1 + 2)
    post = _require_fit(_polyfit(en[q1:q2], mu[q1:q2] - _pre_curve(pre, nvict, en[q1:q2]), nnorm),
                        "post-edge", q1, q2, nnorm + 1)

    if p["step"] is not None:
        step = float(p["step"])
    else:
        step = poly_value(post, e0)
        if not step > 0:
            raise SpectrumRejected("NON_POSITIVE_EDGE_STEP", "edge step %.6g at E0 %.2f eV is not positive" % (step, e0))

    norm = (mu - _pre_curve(pre, nvict, en)) * (1.0 / step)

    fe0 = index_nearest(energy, e0)
    f1 = index_of(energy, norm1 + e0)
    f2 = index_nearest(energy, norm2 + e0)
    if f2 - f1 < 2:
        f2 = min(n, f1 + 2)
    flat_curve = None
    if p["make_flat"] and f2 - f1 > 4:
        deg = min(nnorm, 2)
        flat_curve = _require_fit(_polyfit(energy[f1:f2], norm[f1:f2], deg), "flattening", f1, f2, deg + 1)
        at_e0 = poly_value(flat_curve, energy[fe0])
        flat = norm.copy()
        flat[fe0:] = norm[fe0:] - (poly_value(flat_curve, energy[fe0:]) - at_e0)
    else:
        flat = norm.copy()

    resolved = {"e0": e0, "step": step, "pre1": pre1, "pre2": pre2, "norm1": norm1, "norm2": norm2,
                "nnorm": nnorm, "nvict": nvict, "make_flat": bool(p["make_flat"])}
    return {"e0": e0, "e0_index": ie0, "e0_source": source, "edge_step": step, "resolved": resolved,
            "pre_edge": pre, "post_edge": post, "flat_curve": flat_curve, "norm": norm, "flat": flat}


# ---------------------------------------------------------------- grid and resampling (EnergyGrid, Resampler)

def linspace(start, stop, n):
    """Java EnergyGrid.linspace: start + i*step."""
    if n < 2:
        raise ValueError("linspace needs n >= 2")
    step = (stop - start) / (n - 1)
    return start + np.arange(n, dtype=float) * step


def grid_points(grid):
    if "points" in grid:
        pts = np.asarray(grid["points"], float)
    else:
        start, stop, n = grid["linspace"]
        pts = linspace(float(start), float(stop), int(n))
    if len(pts) == 0 or not np.all(np.isfinite(pts)) or np.any(np.diff(pts) <= 0):
        raise ValueError("grid points must be finite and strictly increasing")
    return pts


def resample(energy, y, e0, grid):
    """Java Resampler.resample: linear interpolation onto the grid with its out-of-range rule."""
    energy = np.asarray(energy, float)
    y = np.asarray(y, float)
    n = len(energy)
    pts = grid_points(grid)
    x = e0 + pts if grid.get("reference", "relative_to_e0").lower() == "relative_to_e0" else pts
    rule = grid.get("out_of_range", "reject").lower()
    lo, hi = energy[0], energy[n - 1]
    if rule == "reject" and (x[0] < lo or x[-1] > hi):
        raise SpectrumRejected("GRID_NOT_COVERED", "data %.2f..%.2f eV do not cover the grid %.2f..%.2f eV"
                               % (lo, hi, x[0], x[-1]))
    j = np.clip(np.searchsorted(energy, x, side="right") - 1, 0, n - 2)
    x0 = energy[j]
    out = y[j] + (y[j + 1] - y[j]) * ((x - x0) / (energy[j + 1] - x0))
    below, above = x < lo, x > hi
    if rule == "edge_value":
        out[below], out[above] = y[0], y[n - 1]
    elif rule == "constant":
        out[below | above] = float(grid.get("fill", 0.0))
    return out


# ---------------------------------------------------------------- edges (AbsorptionEdges)

def atomic_number(symbol):
    s = (symbol or "").strip().upper()
    for z, sym in enumerate(edge_table.SYMBOLS, start=1):
        if sym.upper() == s:
            return z
    return None


def tabulated_edge(element, edge):
    z = atomic_number(element)
    if z is None:
        raise SpectrumRejected("UNKNOWN_ELEMENT", "not a chemical element: %r" % element)
    if not edge_table.Z_MIN <= z <= edge_table.Z_MAX:
        raise SpectrumRejected("UNKNOWN_ELEMENT", "%s (Z=%d) is outside the tabulated range" % (element, z))
    e = (edge or "").strip().upper()
    if e not in edge_table.EDGES:
        raise ValueError("not a tabulated edge (K, L1, L2, L3): %r" % edge)
    return z, edge_table.ENERGIES[z][edge_table.EDGES.index(e)]


# ---------------------------------------------------------------- the stage (Preprocessor)

def preprocess(energy, mu, element, edge, spec=None, reference_mu=None):
    """Java Preprocessor.preprocess: validate, (calibrate with a reference foil), normalise, check the edge
    window, resample. Returns a dict with the normalisation, energy_shift and model_input (None without a grid)."""
    spec = spec or {}
    min_points = int(spec.get("min_points", DEFAULT_MIN_POINTS))
    z, tab = tabulated_edge(element, edge)
    validate(energy, mu, min_points)
    energy = np.asarray(energy, float)
    mu = np.asarray(mu, float)
    shift, en = 0.0, energy
    if reference_mu is not None:
        validate(energy, reference_mu, min_points)
        shift = calibration_shift(energy, reference_mu, tab)
        en = energy + shift
    r = normalize(en, mu, spec.get("normalization"))
    win = dict(DEFAULT_EDGE_WINDOW)
    win.update(spec.get("edge_window") or {})
    if not (tab - win["below"] <= r["e0"] <= tab + win["above"]):
        raise SpectrumRejected("EDGE_NOT_FOUND", "E0 %.2f eV is not within %s %s edge %.1f eV (-%.1f/+%.1f eV)"
                               % (r["e0"], element, edge, tab, win["below"], win["above"]))
    model_input = None
    if spec.get("grid") is not None:
        signal = r["flat"] if spec.get("signal", "flat").lower() == "flat" else r["norm"]
        model_input = resample(en, signal, r["e0"], spec["grid"])
    return {"z": z, "edge": edge.strip().upper(), "tabulated_edge": tab, "energy_shift": shift,
            "normalization": r, "model_input": model_input}


def _main(argv=None):
    ap = argparse.ArgumentParser(description="Normalise spectra as the Java service does; prints JSON")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--spec", help="JSON file with the preprocessing spec (module docstring)")
    ap.add_argument("--element", help="override the XDI Element.symbol")
    ap.add_argument("--edge", help="override the XDI Element.edge")
    args = ap.parse_args(argv)
    spec = json.load(open(args.spec)) if args.spec else {}
    rc = 0
    for f in args.files:
        s = xdi.read_spectrum(f)
        try:
            out = preprocess(s["energy"], s["mu"], args.element or s["element"], args.edge or s["edge"] or "K", spec)
        except SpectrumRejected as exc:
            print(json.dumps({"file": f, "rejected": exc.reason, "message": str(exc)}))
            rc = 1
            continue
        r = out["normalization"]
        print(json.dumps({"file": f, "e0": r["e0"], "edgeStep": r["edge_step"], "params": r["resolved"],
                          "energy": [float(v) for v in s["energy"] + out["energy_shift"]],
                          "norm": [float(v) for v in r["norm"]],
                          "modelInput": None if out["model_input"] is None else [float(v) for v in out["model_input"]]}))
    return rc


if __name__ == "__main__":
    sys.exit(_main())
