"""The served ensembles in PyTorch, with the preprocessing of models/training/xasprep (the numpy twin of the Java
service's), routed per task as the service routes them.

Weights: the member weights behind the served graphs are not committed (models/training/work is git-ignored), so
each graph's committed ONNX initializers are loaded into the very torch modules the training pipeline fused and
exported (fe_k.fuse.FusedPDF / FusedClassifier, m3d.reference.FusedReferenceClassifier, members from fe_k.nets and
m3d.train). The initializer names are those modules' state_dict keys; test_peer checks every graph against the ONNX
graph itself."""
import json
import os
import re
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "models", "training"))

from fe_k import blend, fuse, nets  # noqa: E402  (the training pipeline's modules)
from m3d import reference, train as m3d_train  # noqa: E402
from xasprep import normalize as prep  # noqa: E402

PDF, CN, OX = "pdf", "coordination_number", "oxidation_state"
RESULT_FIELD = {CN: "coordinationNumber", OX: "oxidationState"}
LEADING_NUMBER = re.compile(r"^[+]?(-?\d+(?:\.\d+)?)")   # Java Estimates: "+2" -> 2


def _dummy_ood(weights, prefix):
    k, n = weights[prefix + "ood.p"].shape
    return np.zeros(n), np.ones((k, n)), np.ones(k), 1.0


def _linear_layers(weights, prefix):
    """Weight names of the Linear layers of one nn.Sequential, in order (prefix + "<index>.weight")."""
    found = [k for k in weights if k.startswith(prefix) and k.endswith(".weight") and k[len(prefix):-7].isdigit()]
    return sorted(found, key=lambda k: int(k[len(prefix):-7]))


def _members(weights, prefix, n_in):
    """Member modules by their state_dict names: fe_k nets (trunk/head), m3d MLP (body) or m3d PDFNet (mlp.body)."""
    out, i = [], 0
    while any(k.startswith("%smembers.%d." % (prefix, i)) for k in weights):
        p = "%smembers.%d." % (prefix, i)
        if p + "trunk.body.0.weight" in weights:
            layers = _linear_layers(weights, p + "trunk.body.")
            body = nets.MLPTrunk(n_in, weights[layers[0]].shape[0], len(layers))
            n_out = weights[p + "head.weight"].shape[0]
            if n_out == 2 * nets.N_G2 + 2:
                net = nets.PDFNet("mlp", n_in, body=body)
            else:
                net = nets.CNNet("mlp", n_in, n_out)
                net.trunk = body
        elif p + "mlp.body.0.weight" in weights:
            layers = _linear_layers(weights, p + "mlp.body.")
            net = m3d_train.PDFNet(n_in)
            net.mlp = m3d_train.MLP(n_in, 2 * m3d_train.N_G2 + 2, weights[layers[0]].shape[0], len(layers) - 1)
        else:
            layers = _linear_layers(weights, p + "body.")
            first = weights[layers[0]]
            net = m3d_train.MLP(first.shape[1], weights[layers[-1]].shape[0], first.shape[0], len(layers) - 1)
        out.append(net)
        i += 1
    return out


def _classifier(weights, prefix, n_in):
    return fuse.FusedClassifier(_members(weights, prefix, n_in), np.zeros(n_in), np.ones(n_in), 1.0,
                                _dummy_ood(weights, prefix))


def _blended(weights, entry):
    """fe-k-pdf since 1.2.0: the ensemble blended with the nearest training pair (fe_k.blend.BlendedPDF). The
    ensemble's weights carry the prefix "ensemble."; the index is in the graph (its inputs transposed, folded by the
    exporter into an unnamed MatMul initializer), the blend's weights and scales in the manifest's calibration."""
    inner = {k[len("ensemble."):]: v for k, v in weights.items() if k.startswith("ensemble.")}
    ensemble = _module(inner)
    n_in, n_index = inner["x_mean"].shape[0], weights["g2_index"].shape[0]
    x_t = [v for k, v in weights.items() if k.startswith("onnx::") and tuple(v.shape) == (n_in, n_index)]
    if len(x_t) != 1:
        raise ValueError("no single (%d, %d) index initializer in the blended graph" % (n_in, n_index))
    b = entry["calibration"]["blend"]
    choice = {"w_pdf": b["wPdf"], "w_distance": b["wDistance"], "pdf_std_scale": b["pdfStdScale"],
              "distance_std_scale": b["distanceStdScale"]}
    return blend.BlendedPDF(ensemble, x_t[0].numpy().T, weights["g2_index"].numpy(), weights["dist_index"].numpy(),
                            choice).eval()


def torch_module(path, entry=None):
    """The fused torch module of one committed graph, its weights read from the ONNX file (and, for a blended graph,
    the blend's parameters from its manifest entry)."""
    graph = onnx.load(path).graph
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
    if "g2_index" in weights:
        return _blended(weights, entry), [o.name for o in graph.output]
    return _module(weights), [o.name for o in graph.output]


def _module(weights):
    """The training pipeline's fused module for these ONNX weights (by their state_dict names), loaded."""
    n_in = weights["x_mean"].shape[0]
    if "shape.ood.p" in weights:
        module = reference.FusedReferenceClassifier(
            _classifier(weights, "shape.", n_in), _members(weights, "", n_in), np.zeros(n_in), np.ones(n_in),
            0.0, 1.0, 1.0)
        # the exporter stores a constant once: where the shape classifier's standardisation or temperature equals
        # the graph's own, only the latter is named
        for name in ("x_mean", "x_std", "inv_t"):
            weights.setdefault("shape." + name, weights[name])
    elif "g_mean" in weights:
        z = np.zeros(1)
        module = fuse.FusedPDF(_members(weights, "", n_in), np.zeros(n_in), np.ones(n_in), np.zeros(nets.N_G2),
                               np.ones(nets.N_G2), z, z + 1, 1.0, 1.0, _dummy_ood(weights, ""))
    else:
        module = _classifier(weights, "", n_in)
    state = module.state_dict()
    missing = sorted(set(state) - set(weights))
    if missing:
        raise ValueError("no weights for %s" % missing)
    module.load_state_dict({k: weights[k] for k in state})
    return module.eval()


def twin_spec(entry):
    """The manifest entry's input block as an xasprep spec (Java ManifestSpecs.spec, same grid arithmetic)."""
    p, g = entry["input"]["preprocessing"], entry["input"]["grid"]
    stop = g["startEv"] + g["stepEv"] * (g["count"] - 1)
    rule = p.get("outOfRange") or ("EDGE_VALUE" if g.get("padAllowed") else "REJECT")
    return {"min_points": p.get("minPoints", prep.DEFAULT_MIN_POINTS),
            "normalization": {"e0": p.get("e0"), "step": p.get("step"), "pre1": p.get("pre1"),
                              "pre2": p.get("pre2"), "norm1": p.get("norm1"), "norm2": p.get("norm2"),
                              "nnorm": p.get("nnorm"), "nvict": p.get("nvict", 0),
                              "make_flat": p.get("makeFlat", True)},
            "edge_window": p.get("edgeWindow") or prep.DEFAULT_EDGE_WINDOW,
            "signal": p.get("signal", p.get("quantity", "flat")),
            "grid": {"linspace": [g["startEv"], stop, g["count"]],
                     "reference": "relative_to_e0" if g["relativeToE0"] else "absolute",
                     "out_of_range": rule.lower(), "fill": 0.0}}


class Graph:
    def __init__(self, entry, models_dir):
        self.entry = entry
        self.id, self.task = entry["id"], entry["task"]
        self.module, self.graph_outputs = torch_module(os.path.join(models_dir, entry["file"]), entry)
        self.spec = twin_spec(entry)
        self.input_key = json.dumps(entry["input"], sort_keys=True)
        self.edge_shift = "edgeShift" in entry
        self.threshold = (entry.get("ood") or {}).get("threshold")

    def run(self, rows, shifts):
        x = torch.from_numpy(np.asarray(rows, dtype=np.float32))
        with torch.no_grad():
            out = self.module(x, torch.from_numpy(np.asarray(shifts, dtype=np.float32))) if self.edge_shift \
                else self.module(x)
        named = dict(zip(self.graph_outputs, (o.numpy() for o in out)))
        return {k: named[v] for k, v in self.entry["outputs"].items()}

    def ratio(self, score):
        if self.threshold is None or score is None or np.isnan(score) or not self.threshold > 0:
            return float("inf")
        return score / self.threshold


class Rejected(Exception):
    """A spectrum (or record, spectrum_id None) that gets no answer: the reason is the Java ReasonCode's name."""

    def __init__(self, reason, message, spectrum_id=None):
        super().__init__(message)
        self.reason = reason
        self.spectrum_id = spectrum_id


class Ensembles:
    """Every graph of the manifest, by element and edge."""

    def __init__(self, manifest):
        with open(manifest) as fh:
            entries = json.load(fh)["models"]
        base = os.path.dirname(os.path.abspath(manifest))
        self.graphs = {}
        for e in entries:
            self.graphs.setdefault((e["element"].upper(), e["edge"].upper()), []).append(Graph(e, base))

    def prepare(self, s):
        """{graph: (model input, edge-shift row, preprocessing)} for one spectrum, and the flags of missing tasks."""
        if prep.atomic_number(s["element"]) is None:
            raise Rejected("UNKNOWN_ELEMENT", "'%s' is not a chemical element" % s["element"])
        graphs = self.graphs.get((s["element"].strip().upper(), s["edge"].strip().upper()))
        if not graphs:
            raise Rejected("NO_MODEL", "no model serves %s %s" % (s["element"], s["edge"]))
        energy = s["energy"] + s["energy_shift"] if s.get("energy_shift") else s["energy"]
        done, taken, refused, first = {}, {}, {}, None
        for g in graphs:
            if g.input_key not in done:
                spec = g.spec
                if s.get("e0") is not None:
                    spec = dict(spec, normalization=dict(spec["normalization"], e0=s["e0"]))
                try:
                    done[g.input_key] = prep.preprocess(energy, s["mu"], s["element"], s["edge"], spec,
                                                        s.get("reference_mu"))
                except prep.SpectrumRejected as exc:
                    done[g.input_key] = exc
            p = done[g.input_key]
            if isinstance(p, prep.SpectrumRejected):
                first = first or p
                refused.setdefault(g.task, p)
            else:
                taken[g] = p
        if not taken:
            raise Rejected(first.reason, str(first))
        ids = {g.id for g in taken}
        taken = {g: p for g, p in taken.items() if g.entry.get("fallbackFor") not in ids}
        flags = ["SKIPPED_%s_%s" % (t.upper(), e.reason) for t, e in refused.items()
                 if not any(g.task == t for g in taken)]
        return {g: (p["model_input"], _edge_shift_row(s, p), p) for g, p in taken.items()}, flags

    def predict(self, spectra):
        """One result (dict, the InferenceResult field names) or {"spectrumId", "error"} per spectrum (or Rejected
        item: a record or row refused while decoding), in order."""
        prepared, rows = [], {}
        for i, s in enumerate(spectra):
            try:
                if isinstance(s, Rejected):
                    raise s
                prepared.append(self.prepare(s))
                for g in prepared[-1][0]:
                    rows.setdefault(g, []).append(i)
            except (Rejected, prep.SpectrumRejected) as exc:
                prepared.append(exc)
        outputs = {}
        for g, idx in rows.items():
            out = g.run([prepared[i][0][g][0] for i in idx], [prepared[i][0][g][1] for i in idx])
            outputs[g] = {i: {k: v[r] for k, v in out.items()} for r, i in enumerate(idx)}
        results = []
        for i, s in enumerate(spectra):
            p = prepared[i]
            if isinstance(p, Exception):
                sid = s.spectrum_id if isinstance(s, Rejected) else s["spectrumId"]
                results.append({"spectrumId": sid, "error": p.reason, "message": str(p)})
            else:
                results.append(assemble(s, p[0], p[1], {g: outputs[g][i] for g in p[0]}))
        return results


def _edge_shift_row(s, p):
    known = s.get("reference_mu") is not None and p["normalization"]["e0_source"] != "FIXED"
    return [p["normalization"]["e0"] - p["tabulated_edge"], 1.0] if known else [0.0, 0.0]


def classes(labels, prob, std):
    prob = prob.astype(np.float64)
    values = np.array([float(LEADING_NUMBER.match(label.strip()).group(1)) for label in labels])
    w = prob / prob.sum()
    mean = float((w * values).sum())
    return {"classes": labels, "probabilities": prob.tolist(), "probabilityStd": std.astype(np.float64).tolist(),
            "predicted": labels[int(np.argmax(prob))], "expectedValue": mean,
            "std": float(np.sqrt((w * (values - mean) ** 2).sum()))}


def assemble(s, taken, flags, out):
    """Java Predictor.assemble: per task the graph whose OOD score is the smallest fraction of its threshold."""
    best = {}
    for g in taken:
        score = out[g].get("ood_score")
        r = g.ratio(None if score is None else float(score[0]))
        if g.task not in best or r < best[g.task][1]:
            best[g.task] = (g, r)
    res = {"spectrumId": s["spectrumId"], "key": s["key"], "element": s["element"], "edge": s["edge"],
           "models": [], "oodByTask": {}, "qualityFlags": list(flags), "timings": {"acquiredAt": s["acquiredAt"]}}
    ood, provenance = None, None
    for g, _ in best.values():
        o, e = out[g], g.entry
        res["models"].append({"task": g.task, "id": g.id, "version": e["version"]})
        if provenance is None or g.task == PDF:
            provenance = taken[g][2]
        if g.task == PDF:
            res["pdf"] = {"r": e["curve"]["r"], "mean": o["pdf_mean"].tolist(), "std": o["pdf_std"].tolist()}
            if "distance_mean" in o:
                res["firstShellDistance"] = {"mean": float(o["distance_mean"][0]),
                                             "std": float(o["distance_std"][0]),
                                             "unit": (e.get("units") or {}).get("distance", "angstrom")}
        elif g.task in RESULT_FIELD:
            res[RESULT_FIELD[g.task]] = classes(e["classes"], o["probabilities"], o["probability_std"])
        if "ood_score" in o and g.threshold is not None:
            score = float(o["ood_score"][0])
            flagged = score > g.threshold
            res["oodByTask"][g.task] = {"score": score, "threshold": g.threshold, "flagged": flagged}
            if ood is None or flagged and not ood["flagged"] or score / g.threshold > ood["score"] / ood["threshold"]:
                ood = {"score": score, "threshold": g.threshold, "flagged": flagged or bool(ood and ood["flagged"])}
    if ood is None:
        res["qualityFlags"].append("NO_OOD_SCORE")
        ood = {"score": None, "threshold": None, "flagged": False}
    elif ood["flagged"]:
        res["qualityFlags"].append("OUT_OF_DISTRIBUTION")
    res["ood"] = ood
    if s.get("reference_mu") is not None:  # provenance.calibratedByReference(): a reference channel was used
        res["qualityFlags"].append("CALIBRATED_BY_REFERENCE")
        if any(g.edge_shift and taken[g][1][1] == 1.0 for g, _ in best.values()):
            res["qualityFlags"].append("EDGE_POSITION_USED")
    n = provenance["normalization"]
    res["preprocessing"] = {"e0Ev": n["e0"], "edgeStep": n["edge_step"],
                            "energyShiftEv": provenance["energy_shift"] + (s.get("energy_shift") or 0.0)}
    return res
