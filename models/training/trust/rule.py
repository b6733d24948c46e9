"""The verdict of one answer from its model's trust rule (the manifest entry's `trust` block): the numpy twin of the
Java `io.xasstream.inference.predict.Verdicts`, vectorised over spectra (test_rule.py holds both to the same cases).

classes:  OUT_OF_DISTRIBUTION when the OOD score exceeds the model's threshold; else UNCERTAIN when the top probability
          is under minProbability or the predicted class is contradicted (a measured spectrum answered it wrongly
          although the rest of the rule trusted it); else TRUSTED.
interval: OUT_OF_DISTRIBUTION as above; else UNCERTAIN when the interval is too wide (pseudo-PDF: summed std over
          summed |mean| above maxPdfRelativeStd; distance: std above maxDistanceStd); else TRUSTED."""
import numpy as np

TRUSTED, UNCERTAIN, OOD = "TRUSTED", "UNCERTAIN", "OUT_OF_DISTRIBUTION"


def class_rule(min_probability, contradicted=(), calibration=None):
    """A manifest `trust` block for a classifier."""
    rule = {"rule": "classes", "minProbability": float(min_probability),
            "contradicted": sorted(str(c) for c in contradicted)}
    if calibration:
        rule["calibration"] = calibration
    return rule


def interval_rule(max_pdf_relative_std=None, max_distance_std=None, calibration=None):
    """A manifest `trust` block for a regressor (a limit per regressed output)."""
    rule = {"rule": "interval"}
    if max_pdf_relative_std is not None:
        rule["maxPdfRelativeStd"] = float(max_pdf_relative_std)
    if max_distance_std is not None:
        rule["maxDistanceStd"] = float(max_distance_std)
    if calibration:
        rule["calibration"] = calibration
    return rule


def _f32(a):
    """float32 values as doubles: Java compares the graph's float outputs with the double limits."""
    return np.asarray(a, np.float32).astype(np.float64)


def classes_verdicts(rule, classes, prob, ood):
    """Verdicts of n classifier answers: prob (n, k) mean probabilities over `classes` (labels as strings), ood (n,)."""
    prob = np.atleast_2d(_f32(prob))
    n = len(prob)
    best = prob.argmax(1)
    pred = np.asarray([str(c) for c in classes])[best]
    ok = (prob[np.arange(n), best] >= rule["minProbability"]) & ~np.isin(pred, rule.get("contradicted", []))
    return np.where(np.broadcast_to(np.asarray(ood, bool), (n,)), OOD, np.where(ok, TRUSTED, UNCERTAIN))


def pdf_verdicts(rule, mean, std, ood):
    mean, std = np.atleast_2d(_f32(mean)), np.atleast_2d(_f32(std))
    m = np.abs(mean).sum(1)
    s = std.sum(1)
    ok = (m > 0) & (s > 0) & (s <= rule["maxPdfRelativeStd"] * m)   # a limit of 0: never TRUSTED
    return np.where(np.asarray(ood, bool), OOD, np.where(ok, TRUSTED, UNCERTAIN))


def distance_verdicts(rule, std, ood):
    std = _f32(std)
    ok = (std > 0) & (std <= rule["maxDistanceStd"])
    return np.where(np.asarray(ood, bool), OOD, np.where(ok, TRUSTED, UNCERTAIN))
