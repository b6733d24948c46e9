"""`python3 -m fe_k_studies.heldoutci [--data DIR] [--reps 4000]`: how precisely the 250 held-out pairs measure each of issue
4's goals.

The committed graphs (numpy ONNX evaluator; fe-k-pdf's served answer, since 1.2.0 the blend of ensemble and nearest
training pair) and kNN (the k the `knn` stage chose on validation) on the held-out pairs; a bootstrap over the pairs,
the served models and kNN resampled together, so that the goals stated against kNN
(PDF (a) and distance MAE <= 0.7 x kNN's) move with their own baseline. Per goal: the value, its 95 % interval, and
whether the goal is met, missed or inside the interval. Exploration only: it trains and chooses nothing.
Result: work/fe_k/heldoutci.json."""

import numpy as np

from fe_k import data, ensemble as E, knn as KNN, metrics as M, pipeline as P
from fe_k_studies import cli

SEED = 20261206
LEVEL = 0.95
GOAL_RATIO = 0.7
COVERAGE = (0.90, 0.98)


def _pdf_ratio(o, idx):
    return np.median(o["a_net"][idx]) / np.median(o["a_knn"][idx])


def _dist_ratio(o, idx):
    return o["e_net"][idx].mean() / o["e_knn"][idx].mean()


# (name, statistic of the per-pair outcomes over resampled indices, goal: (low, high) with None = unbounded, how the
# value is printed: "ratio", "rate" (a share, in %) or "value")
GOALS = (
    ("PDF (a) median, served / kNN", _pdf_ratio, (None, GOAL_RATIO), "ratio"),
    ("distance MAE, served / kNN", _dist_ratio, (None, GOAL_RATIO), "ratio"),
    ("CN exact", lambda o, idx: o["cn_exact"][idx].mean(), (0.90, None), "rate"),
    ("CN within ±1", lambda o, idx: o["cn_within1"][idx].mean(), (0.98, None), "rate"),
    ("G2 inside ±2σ", lambda o, idx: o["g2_inside"][idx].mean(), COVERAGE, "rate"),
    ("distance inside ±2σ", lambda o, idx: o["dist_inside"][idx].mean(), COVERAGE, "rate"),
    ("CN expected calibration error", lambda o, idx: M.ece(o["prob"][idx], o["y_idx"][idx]), (None, 0.05), "value"),
)
FORMATS = {"ratio": lambda v: "%.2f" % v, "rate": lambda v: "%.1f %%" % (100 * v), "value": lambda v: "%.3f" % v}


def outcomes(ref, classes, net, kn):
    """Per held-out pair: PDF (a) and distance error of ensemble and kNN, CN right / within one, the share of its G2
    points and its distance inside mean ± 2σ, and the CN probabilities with the label's class index."""
    pred_cn = np.asarray(classes)[net["prob"].argmax(1)]
    return {"a_net": M.pdf_errors(ref["g2"], net["g2"])[0], "a_knn": M.pdf_errors(ref["g2"], kn["g2"])[0],
            "e_net": np.abs(net["dist"] - ref["dist"]), "e_knn": np.abs(kn["dist"] - ref["dist"]),
            "cn_exact": pred_cn == ref["cn"], "cn_within1": np.abs(pred_cn - ref["cn"]) <= 1,
            "g2_inside": (np.abs(ref["g2"] - net["g2"]) <= 2 * net["g2_std"]).mean(1),
            "dist_inside": np.abs(ref["dist"] - net["dist"]) <= 2 * net["dist_std"],
            "prob": net["prob"], "y_idx": data.class_indices(ref["cn"], classes)}


def interval(samples, level=LEVEL):
    """Percentile interval holding `level` of the bootstrap samples."""
    q = (1 - level) / 2
    return float(np.quantile(samples, q)), float(np.quantile(samples, 1 - q))


def verdict(lo, hi, goal):
    """'met' when the whole interval satisfies the goal (low, high), 'missed' when none of it does."""
    low, high = goal
    inside = lambda v: (low is None or v >= low) and (high is None or v <= high)  # noqa: E731
    if inside(lo) and inside(hi):
        return "met"
    if (high is not None and lo > high) or (low is not None and hi < low):
        return "missed"
    return "undecided"


def summarise(o, reps, seed=SEED, goals=GOALS):
    n = len(o["a_net"])
    draws = np.random.default_rng(seed).integers(0, n, size=(reps, n))
    rows = []
    for name, stat, goal, kind in goals:
        lo, hi = interval(np.array([stat(o, idx) for idx in draws]))
        rows.append({"goal": name, "value": float(stat(o, np.arange(n))), "interval": [lo, hi],
                     "target": list(goal), "kind": kind, "verdict": verdict(lo, hi, goal)})
    return rows


def _target(goal, kind):
    low, high = goal
    f = (lambda v: "%g %%" % round(100 * v, 1)) if kind == "rate" else (lambda v: "%g" % v)  # noqa: E731
    if low is not None and high is not None:
        return "%s – %s" % (f(low), f(high))
    return "≥ " + f(low) if low is not None else "≤ " + f(high)


def table(rows):
    out = ["| goal | held-out | 95 % interval (bootstrap over the pairs) | target | verdict |", "|---|---|---|---|---|"]
    for r in rows:
        fmt = FORMATS[r["kind"]]
        out.append("| %s | %s | %s – %s | %s | %s |" % (r["goal"], fmt(r["value"]), fmt(r["interval"][0]),
                                                      fmt(r["interval"][1]), _target(r["target"], r["kind"]),
                                                      r["verdict"]))
    return out


def served(x):
    """The committed graphs' outputs for inputs x."""
    o = P.committed_outputs(x)
    return {"g2": o["pdf_mean"].astype(np.float64), "g2_std": o["pdf_std"].astype(np.float64),
            "dist": o["distance_mean"][:, 0].astype(np.float64), "dist_std": o["distance_std"][:, 0].astype(np.float64),
            "prob": o["cn_probabilities"].astype(np.float64)}


def main(argv=None):
    ap = cli.parser("heldoutci", __doc__)
    ap.add_argument("--reps", type=int, default=4000, help="bootstrap resamples of the held-out pairs")
    a = ap.parse_args(argv)
    if a.reps < 100:
        ap.error("--reps: at least 100")
    tr, _, classes = E.splits(a.data)
    te = data.load(a.data, "test")
    kn = KNN.evaluate(tr, te, P.load_result("knn")["ks"], classes)[0]   # the `knn` stage must have run
    rows = summarise(outcomes(te, classes, served(te["x"]), kn), a.reps)
    P.save_json({"reps": a.reps, "level": LEVEL, "n": int(len(te["x"])), "rows": rows}, P.result_path("heldoutci"))
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
