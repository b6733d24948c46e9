"""`python3 -m fe_k_studies.curve`: learning curves of the network and of kNN on growing parts of the training split, to see
whether more complexes of the same kind would bring the network to the issue's goals (PDF (a) and distance MAE
<= 0.7 x kNN, CN exact >= 90 %).

Each fraction is a nested subset of the training part (the first n of one seeded permutation). At each fraction:
single members of the kept architecture (no bootstrap, the served schedule and early stopping on the validation
split, several seeds) and kNN with k chosen on validation, both on that subset only; validation and held-out scores.
The trend per doubling of the data is fitted on log2(n) over the fractions. Exploration only: nothing here feeds the
served models. Results: work/fe_k/curve.json and a printed table; each member's scores are cached (resumable)."""
import json
import multiprocessing as mp
import os

import numpy as np

FRACTIONS = (0.0625, 0.125, 0.25, 0.5, 1.0)
N_SEEDS = 3
SUBSET_SEED = 7
GOAL_RATIO = 0.7     # the goal: the network's PDF (a) and distance MAE at most 0.7 x kNN's
GOAL_CN = 0.90


def subset(n, frac, seed=SUBSET_SEED):
    """Indices of the first round(frac * n) entries of one seeded permutation: nested across fractions."""
    perm = np.random.default_rng(seed).permutation(n)
    return np.sort(perm[:max(1, int(round(frac * n)))])


def _take(d, idx):
    return {k: v[idx] for k, v in d.items()}


def _job(args):
    from fe_k import data, ensemble as E, metrics as M, train
    task, arch, frac, seed, data_dir, out_path = args
    train.setup(1)
    tr, va, classes = E.splits(data_dir)
    tr = _take(tr, subset(len(tr["x"]), frac))
    te = data.load(data_dir, "test")
    te = {k: te[k] for k in ("x", "g2", "dist", "cn")}
    p = E.Prepared(tr, va, classes)
    model, facts = train.train_member(task, arch, p.xs, p.ys[task], p.xv, p.yv[task], seed,
                                      n_classes=len(classes), bootstrap=False, noise_scale=p.noise)
    out = {"task": task, "arch": arch, "fraction": frac, "seed": seed, "n_train": len(tr["x"]),
           "best_epoch": facts["best_epoch"], "seconds": facts["seconds"]}
    for part, s in (("validation", va), ("heldout", te)):
        if task == "pdf":
            pr = E.pdf_ensemble([model], p, s["x"])
            out[part] = {"pdf_a": float(np.median(M.pdf_errors(s["g2"], pr["g2"])[0])),
                         "dist_mae": float(np.mean(np.abs(pr["dist"] - s["dist"])))}
        else:
            prob, _ = E.cn_probs(E.cn_logits([model], p, s["x"]))
            out[part] = {"cn_exact": M.cn_scores(np.asarray(classes)[prob.argmax(1)], s["cn"])["exact"]}
    with open(out_path, "w") as fh:
        json.dump(out, fh)
    return out


def knn_rows(tr, va, te, classes, fractions=FRACTIONS):
    """kNN at each fraction (k chosen on validation with that subset): {fraction: {part: scores}}."""
    from fe_k import knn
    rows = {}
    for f in fractions:
        sub = _take(tr, subset(len(tr["x"]), f))
        ks, _ = knn.select(sub, va, classes)
        rows[f] = {"n_train": len(sub["x"]), "ks": ks}
        for part, s in (("validation", va), ("heldout", te)):
            _, sc = knn.evaluate(sub, s, ks, classes)
            rows[f][part] = {"pdf_a": sc["pdf_a"]["median"], "dist_mae": sc["dist_mae"], "cn_exact": sc["cn"]["exact"]}
    return rows


def per_doubling(ns, values):
    """Least-squares slope of values against log2(n): the change per doubling of the training data."""
    return float(np.polyfit(np.log2(np.asarray(ns, float)), np.asarray(values, float), 1)[0])


def doublings_to_goal(ns, net, ref, goal_ratio=GOAL_RATIO):
    """Doublings of the largest n after which the fitted trends give net <= goal_ratio * ref (net and ref: errors,
    both fitted linear in log2 n); None when the fitted gap does not close (it stays or widens)."""
    x = np.log2(np.asarray(ns, float))
    gap = np.asarray(net, float) - goal_ratio * np.asarray(ref, float)
    slope, icept = np.polyfit(x, gap, 1)
    now = slope * x[-1] + icept
    if now <= 0:
        return 0.0
    if slope >= 0:
        return None
    return float(-now / slope)


def aggregate(members, knn, fractions=FRACTIONS):
    """Mean and spread over seeds of the members' scores per fraction, beside kNN; the trends per doubling."""
    table = []
    for f in fractions:
        row = {"fraction": f, "n_train": knn[f]["n_train"], "knn": knn[f]}
        for part in ("validation", "heldout"):
            for key, task in (("pdf_a", "pdf"), ("dist_mae", "pdf"), ("cn_exact", "cn")):
                v = [m[part][key] for m in members if m["fraction"] == f and m["task"] == task]
                row.setdefault(part, {})[key] = {"mean": float(np.mean(v)), "sd": float(np.std(v)), "n": len(v)}
        table.append(row)
    ns = [r["n_train"] for r in table]
    trends = {}
    for part in ("validation", "heldout"):
        t = {}
        for key in ("pdf_a", "dist_mae", "cn_exact"):
            net = [r[part][key]["mean"] for r in table]
            ref = [r["knn"][part][key] for r in table]
            t[key] = {"net_per_doubling": per_doubling(ns, net), "knn_per_doubling": per_doubling(ns, ref)}
            if key == "cn_exact":  # a goal on the network alone, an accuracy: the gap is GOAL - net
                t[key]["doublings_to_goal"] = doublings_to_goal(ns, [-a for a in net], [-GOAL_CN] * len(net), 1.0)
            else:
                t[key]["doublings_to_goal"] = doublings_to_goal(ns, net, ref)
        trends[part] = t
    return {"fractions": list(fractions), "table": table, "trends": trends}


def reach(doublings, span):
    """Words for doublings_to_goal: a number only inside the span of doublings the trend was fitted on."""
    if doublings is None:
        return "never on the fitted trend (the gap does not close)"
    if doublings == 0:
        return "met"
    if doublings > span:
        return "%.1f more doublings, beyond the %.0f the trend was fitted on" % (doublings, span)
    return "%.1f more doublings (x%.1f the complexes)" % (doublings, 2 ** doublings)


def trend_sentence(res, part):
    t = res["trends"][part]
    ns = [r["n_train"] for r in res["table"]]
    span = float(np.log2(ns[-1] / ns[0]))
    return ("%s, per doubling of the training complexes (least squares in log2 n): PDF (a) network %+.1f, kNN %+.1f "
            "points, goal 0.7 × kNN: %s; distance MAE network %+.4f, kNN %+.4f Å, goal 0.7 × kNN: %s; CN exact "
            "network %+.1f, kNN %+.1f points, goal 90 %%: %s." % (
                "Validation" if part == "validation" else "Held-out",
                t["pdf_a"]["net_per_doubling"], t["pdf_a"]["knn_per_doubling"],
                reach(t["pdf_a"]["doublings_to_goal"], span),
                t["dist_mae"]["net_per_doubling"], t["dist_mae"]["knn_per_doubling"],
                reach(t["dist_mae"]["doublings_to_goal"], span), 100 * t["cn_exact"]["net_per_doubling"],
                100 * t["cn_exact"]["knn_per_doubling"], reach(t["cn_exact"]["doublings_to_goal"], span)))


def format_table(res):
    lines = ["| training complexes | net PDF (a) | kNN PDF (a) | net distance MAE (Å) | kNN distance MAE (Å) | "
             "net CN exact | kNN CN exact |", "|---|---|---|---|---|---|---|"]
    out = []
    for part, title in (("validation", "validation"), ("heldout", "held-out")):
        out.append("%s (network: mean ± sd over %d seeds, single members, no bootstrap)" % (
            title, res["table"][0][part]["pdf_a"]["n"]))
        out.extend(lines)
        for r in res["table"]:
            n, k = r[part], r["knn"][part]
            out.append("| %d | %.1f ± %.1f %% | %.1f %% | %.4f ± %.4f | %.4f | %.1f ± %.1f %% | %.1f %% |" % (
                r["n_train"], n["pdf_a"]["mean"], n["pdf_a"]["sd"], k["pdf_a"], n["dist_mae"]["mean"],
                n["dist_mae"]["sd"], k["dist_mae"], 100 * n["cn_exact"]["mean"], 100 * n["cn_exact"]["sd"],
                100 * k["cn_exact"]))
        out.append(trend_sentence(res, part))
        out.append("")
    return "\n".join(out)


def run(data_dir, out_path, log, chosen, workers=2):
    from fe_k import data, ensemble as E, pipeline as P
    cache = os.path.join(os.path.dirname(out_path), "curve_members")
    os.makedirs(cache, exist_ok=True)
    jobs = []
    for frac in FRACTIONS:
        for s in range(N_SEEDS):
            for task in ("pdf", "cn"):
                path = os.path.join(cache, "%s_%s_%s%s_%g_%d.json" % (data.spec_tag(), task, chosen[task],
                                                                       P.variant_suffix(task), frac, s))
                jobs.append((task, chosen[task], frac, E.SEED + 1000 + s, data_dir, path))
    # the largest subsets first: the two workers then finish together
    todo = sorted([j for j in jobs if not os.path.exists(j[-1])], key=lambda j: (-j[2], j[0] != "pdf"))
    if todo:
        with mp.get_context("spawn").Pool(min(workers, len(todo))) as pool:
            for r in pool.imap_unordered(_job, todo):
                log("  curve %s %s n=%d seed %d: %s, %.0f s" % (r["task"], r["arch"], r["n_train"], r["seed"],
                                                                r["validation"], r["seconds"]))
    members = []
    for j in jobs:
        with open(j[-1]) as fh:
            members.append(json.load(fh))
    tr, va, classes = E.splits(data_dir)
    te = data.load(data_dir, "test")
    res = aggregate(members, knn_rows(tr, va, te, classes))
    with open(out_path, "w") as fh:
        json.dump(res, fh, indent=1)
    log("learning curve (python3 -m fe_k_studies.curve):\n" + format_table(res))
    return res


def card_section(c, task):
    """The model card's section on what this study measured (result `c` of `run`): the goals against the amount of
    training data."""
    # (result key, column name, number format, unit, scale to the unit)
    cols = (("pdf_a", "PDF (a)", "%.1f", " %", 1), ("dist_mae", "distance MAE (Å)", "%.4f", "", 1)) if task == "pdf" \
        else (("cn_exact", "CN exact", "%.1f", " %", 100),)
    head = "| training complexes | " + " | ".join("network %s, validation / held-out | kNN, validation / held-out"
                                                 % name for _, name, _, _, _ in cols) + " |"
    lines = ["## Learning curve (`python3 -m fe_k curve`)", "",
             "Nested random parts of the training split; at each, %d single members of the kept set-up (no bootstrap, "
             "early stopping on validation; mean ± sd over seeds) and kNN (k chosen on validation), both on that part "
             "only." % c["table"][0]["validation"][cols[0][0]]["n"], "",
             head, "|---|" + "---|---|" * len(cols)]
    for r in c["table"]:
        cells = []
        for key, _, num, unit, scale in cols:
            n = [r[p][key] for p in ("validation", "heldout")]
            k = [r["knn"][p][key] for p in ("validation", "heldout")]
            cells.append(" / ".join((num + " ± " + num) % (scale * x["mean"], scale * x["sd"]) + unit for x in n))
            cells.append(" / ".join(num % (scale * x) + unit for x in k))
        lines.append("| %d | %s |" % (r["n_train"], " | ".join(cells)))
    lines += ["", trend_sentence(c, "validation"), "", trend_sentence(c, "heldout"), ""]
    return lines


def main(argv=None):
    """`cd models/studies && /usr/bin/python3 -m fe_k_studies.curve [--data DIR]`: writes work/fe_k/curve.json and the cards' sections (results/fe_k_curve_*.md); needs the compare stage."""
    import sys
    from fe_k import pipeline as P
    from fe_k_studies import cli
    a = cli.parser("curve", __doc__).parse_args(argv if argv is not None else sys.argv[1:])
    cli.write_card_sections("curve", card_section, run(a.data, P.result_path("curve"), P.log,
                                                       P.load_result("compare")["chosen"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
