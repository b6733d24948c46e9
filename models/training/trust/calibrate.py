"""Fitting the trust rules, and measuring them: the parameters and the risk-coverage tables of `python3 -m trust`.

Classifiers (oxidation state, CN):
- minProbability: on the simulated VALIDATION structures re-simulated with the theory-side deviations tripled (the
  stand-in for theory meeting experiment; `simdata`), the smallest threshold on a 0.01 grid from 0.5 at which the
  answers it keeps are right at least TARGET of the time, one threshold per task and input window pooled over the
  nine elements (per element, the thresholds of validation and held-out structures differ by up to 0.2; pooled, they
  agree within a few hundredths). Never fitted on measured spectra.
- contradicted: the classes that a measured development spectrum answered wrongly although the rest of the rule
  would have trusted it (the systematic failures of the simulations: sulfates, Cu(II) minerals...). This is the only
  parameter fitted on measured spectra, so every number reported on them is leave-one-compound-out: each compound's
  verdicts come from the contradictions of the other compounds (`loco`).
Regressors (pseudo-PDF, distance): an answer is TRUSTED when its interval is narrow enough to act on; the limits are
chosen on validation so that TRUSTED answers lie within the task's tolerance at least TARGET of the time."""
import numpy as np

from . import rule as R

TARGET = 0.95
TAU_GRID = np.round(np.arange(0.50, 1.0001, 0.01), 2)
MIN_KEPT = 30          # a threshold is not chosen on fewer answers than this
DISTANCE_TOLERANCE = 0.05   # Å: a TRUSTED first-shell distance is within this of the truth
PDF_TOLERANCE = 30.0        # %: a TRUSTED pseudo-PDF has PDF error (a) at most this


def min_probability(top, right, ood, target=TARGET, grid=TAU_GRID, min_kept=MIN_KEPT):
    """Smallest grid threshold whose kept answers (top >= t, not OOD; at least min_kept) are right >= target; 1.0
    when none is (then only answers of probability 1 are trusted)."""
    top, right, ood = np.asarray(top, float), np.asarray(right, bool), np.asarray(ood, bool)
    top32 = top.astype(np.float32).astype(float)
    for t in grid:
        kept = (top32 >= t) & ~ood
        if kept.sum() >= min_kept and right[kept].mean() >= target:
            return float(t)
    return 1.0


def contradicted(rows, rules, task, right_fn):
    """{model id: classes} that some row answered wrongly while its rule (without contradictions) trusted it."""
    out = {}
    for r in rows:
        a = r["answers"].get(task)
        label = r.get(LABEL[task])
        if a is None or label is None or a["entry"]["id"] not in rules:
            continue
        rule = dict(rules[a["entry"]["id"]], contradicted=[])
        v, pred = verdict(rule, a)
        if v == R.TRUSTED and not right_fn(label, pred):
            out.setdefault(a["entry"]["id"], set()).add(pred)
    return out


LABEL = {"oxidation_state": "ox", "coordination_number": "cn"}


def verdict(rule, a):
    """(verdict, predicted class) of one measured answer under a class rule."""
    e, p = a["entry"], a["out"]["probabilities"]
    pred = e["classes"][int(np.argmax(p))]
    v = R.classes_verdicts(rule, e["classes"], p[None, :], a["ood"])[0]
    return str(v), pred


def loco(rows, rules, task, right_fn):
    """Leave-one-compound-out verdicts: each compound's answers judged with the contradictions found on the other
    compounds. Returns [(row, verdict, predicted, right)] for the rows with a label and an answer of the task."""
    out = []
    for g in sorted({r["compound"] for r in rows}):
        train = [r for r in rows if r["compound"] != g]
        bad = contradicted(train, rules, task, right_fn)
        for r in rows:
            a = r["answers"].get(task)
            if r["compound"] != g or a is None or r.get(LABEL[task]) is None or a["entry"]["id"] not in rules:
                continue
            rule = dict(rules[a["entry"]["id"]], contradicted=sorted(bad.get(a["entry"]["id"], ())))
            v, pred = verdict(rule, a)
            out.append((r, v, pred, bool(right_fn(r[LABEL[task]], pred))))
    return out


def table(verdicts, key):
    """Per group (key(row)) and 'all': n, right (top-1), trusted, trusted right, uncertain, OOD, and the wrong answers
    that were trusted."""
    groups = {}
    for row, v, pred, right in verdicts:
        for g in (key(row), "all"):
            t = groups.setdefault(g, {"n": 0, "right": 0, "trusted": 0, "trustedRight": 0, "uncertain": 0,
                                      "ood": 0, "trustedWrong": []})
            t["n"] += 1
            t["right"] += int(right)
            t["trusted"] += int(v == R.TRUSTED)
            t["trustedRight"] += int(v == R.TRUSTED and right)
            t["uncertain"] += int(v == R.UNCERTAIN)
            t["ood"] += int(v == R.OOD)
            if v == R.TRUSTED and not right:
                t["trustedWrong"].append(row["file"])
    return groups


def class_risk_coverage(rule, classes, prob, truth, ood):
    """On simulated spectra: share TRUSTED, accuracy of the TRUSTED answers, top-1 accuracy of all, n."""
    prob = np.asarray(prob, float)
    pred = np.asarray([float(c) for c in classes])[prob.argmax(1)]
    right = pred == np.asarray(truth, float)
    v = R.classes_verdicts(rule, classes, prob, ood)
    t = v == R.TRUSTED
    return {"n": int(len(prob)), "top1": float(right.mean()), "coverage": float(t.mean()),
            "trustedAccuracy": float(right[t].mean()) if t.any() else None, "ood": float((v == R.OOD).mean())}


def curve(prob, truth, classes, ood, grid=(0.5, 0.6, 0.7, 0.8, 0.9)):
    """The risk-coverage curve of the top probability alone: (threshold, coverage, accuracy of the kept)."""
    prob = np.asarray(prob, float)
    pred = np.asarray([float(c) for c in classes])[prob.argmax(1)]
    right = pred == np.asarray(truth, float)
    out = []
    for t in grid:
        k = (prob.max(1) >= t) & ~np.asarray(ood, bool)
        out.append((t, float(k.mean()), float(right[k].mean()) if k.any() else None))
    return out


def interval_limit(width, ok, target=TARGET, min_kept=MIN_KEPT):
    """Largest limit on a width (std, or relative std) such that the answers at or under it are `ok` at least
    target of the time (at least min_kept of them); 0 (never TRUSTED) when no limit is."""
    width, ok = np.asarray(width, float), np.asarray(ok, bool)
    order = np.argsort(width)
    w, o = width[order], ok[order]
    acc = np.cumsum(o) / np.arange(1, len(o) + 1)
    good = np.flatnonzero((acc >= target) & (np.arange(1, len(o) + 1) >= min_kept))
    return float(w[good[-1]]) if len(good) else 0.0
