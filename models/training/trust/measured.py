"""The served answers on the measured development spectra (`../shared/data/reference-spectra`, labels.csv), as the
Java service gives them: every served model of the element whose input contract the spectrum meets, less the
fallbacks whose wider model took it (`Routing.withoutStandIns`), and per task the one whose OOD score is the smallest
fraction of its threshold (`Routing.answering`); each graph through the numpy ONNX evaluator, inputs through the
numpy twin of the Java preprocessing. Nothing here is trained or tuned: it reads the committed graphs."""
import csv
import os

import numpy as np

from fe_k import onnxcheck
from xasprep import normalize as N, xdi

from . import manifest as MF

REF_DIR = os.path.join(os.path.dirname(MF.REPO), "shared", "data", "reference-spectra")


def spec_of(entry):
    """The xasprep spec of a manifest entry's input block (the Java ManifestSpecs)."""
    p, g = entry["input"]["preprocessing"], entry["input"]["grid"]
    norm = {k: p.get(k) for k in ("step", "pre1", "pre2", "norm1", "norm2", "nnorm")}
    norm.update({"e0": p.get("e0") if p.get("e0Method", "derivative") == "fixed" else None,
                 "nvict": p.get("nvict", 0), "make_flat": p.get("makeFlat", True)})
    stop = g["startEv"] + g["stepEv"] * (g["count"] - 1)
    return {"min_points": p.get("minPoints", 20), "normalization": norm,
            "edge_window": p.get("edgeWindow") or {"below": 50.0, "above": 50.0},
            "signal": p.get("quantity", "flat"),
            "grid": {"linspace": [g["startEv"], stop, g["count"]],
                     "reference": "relative_to_e0" if g["relativeToE0"] else "absolute",
                     "out_of_range": p.get("outOfRange", "REJECT").lower(), "fill": 0.0}}


def labels(ref_dir=REF_DIR):
    with open(os.path.join(ref_dir, "labels.csv")) as fh:
        return list(csv.DictReader(fh))


def compound(row):
    """Leave-one-compound-out groups: one formula is one compound (the four Cu metals, the three Fe2O3, the MnO2 and
    MnCO3 samples, goethite with lepidocrocite), so no fold sees another sample of what it is tested on."""
    return row["element"] + ":" + row["formula"]


def ox_right(label, predicted):
    """Mn3O4 (2.67, mixed valence) is right when either of its states is named (as in the Java tests)."""
    lab = float(label)
    if lab != round(lab):
        return float(predicted) in (np.floor(lab), np.ceil(lab))
    return abs(float(predicted) - lab) < 1e-6


def run_graph(entry, x):
    feeds = {entry["input"]["name"]: np.asarray(x, np.float32)[None, :]}
    if entry.get("edgeShift"):
        # the development files carry no reference channel: (0, 0), the service's "position unknown"
        feeds[entry["edgeShift"]["name"]] = np.zeros((1, entry["edgeShift"]["width"]), np.float32)
    out = onnxcheck.run(os.path.join(MF.MODELS, entry["file"]), feeds)
    return {logical: out[graph][0] for logical, graph in entry["outputs"].items()}


def answers(manifest, row, ref_dir=REF_DIR):
    """Per task, the answering model's entry, outputs and the spectrum's edge position (E0 - tabulated edge, NaN for a
    fixed E0), as the service routes; {} when no model takes the spectrum."""
    el = row["element"]
    s = xdi.read_spectrum(os.path.join(ref_dir, row["file"]))
    entries = [e for e in manifest["models"] if e["element"] == el and e["edge"] == row["edge"]]
    took, pre = [], {}
    for e in entries:
        key = repr(spec_of(e))
        if key not in pre:
            try:
                pre[key] = N.preprocess(s["energy"], s["mu"], el, row["edge"], spec_of(e))
            except N.SpectrumRejected:
                pre[key] = None
        if pre[key] is not None:
            took.append((e, pre[key]))
    ids = {e["id"] for e, _ in took}
    took = [(e, p) for e, p in took if not (e.get("fallbackFor") and e["fallbackFor"] in ids)]
    best = {}
    for e, p in took:
        out = run_graph(e, p["model_input"])
        ratio = float(out["ood_score"][0]) / e["ood"]["threshold"] if "ood_score" in out and e.get("ood") else np.inf
        if e["task"] not in best or ratio < best[e["task"]]["ratio"]:
            fixed = e["input"]["preprocessing"].get("e0Method") == "fixed"
            best[e["task"]] = {"entry": e, "out": out, "ratio": ratio, "ood": bool(ratio > 1.0),
                               "edge": np.nan if fixed else p["normalization"]["e0"] - p["tabulated_edge"]}
    return best


def development_set(manifest, ref_dir=REF_DIR):
    """Every labelled development spectrum with its served answers per task."""
    rows = []
    for r in labels(ref_dir):
        rows.append({"file": r["file"], "element": r["element"], "compound": compound(r),
                     "ox": r["oxidation_state"], "cn": r["first_shell_cn"] or None, "answers": answers(manifest, r,
                                                                                                     ref_dir)})
    return rows
