"""`python3 -m m3d_studies.curve [--tasks cn] [--window wide] [--elements Co Ni Cu] [--fractions 0.1 0.25 0.5 1]
[--more-blocks N]`: would more simulated structures lift a task?

A learning curve of single members (the served per-element set-up, seed SEED, no bootstrap) trained on a fraction of
each element's training structures, with validation and held-out accuracy on the nominal spectra, the gain of the last
doubling of the data, and how many more doublings at that gain issue 5's goal would need. The `m3d curve` stage is the
same function with the card's defaults (Mn and Cu, oxidation state and CN, xanes window). With --more-blocks N it runs
on the candidate data of `m3d generate --more-blocks N` (the served blocks and N more), to check that the curve goes
on as it promised before the served data grows. Exploration: it changes no served model. Members are cached in
work/m3d/members; result in work/m3d/results/<data>/learning_curve_<tasks>_<window>.json."""
from __future__ import annotations

import argparse
import math

from m3d import __main__ as M
from . import edgebound
from m3d import generate as G
from m3d import pipeline as P
from m3d import sampler
from m3d import train as T


def result_name(tasks, window):
    return "learning_curve_%s_%s" % ("_".join(tasks), window)


def last_doubling_gain(points, key):
    """Accuracy gained per doubling of the training structures between the last two points (points by fraction)."""
    a, b = points[-2], points[-1]
    return (b[key] - a[key]) / math.log2(b["n_train"] / a["n_train"])


def doublings_to_goal(points, key, goal):
    """More doublings of the training structures, at the last step's gain, until accuracy `key` reaches `goal`:
    0 when it already does, None when the last step gained nothing."""
    now = points[-1][key]
    if now >= goal:
        return 0.0
    gain = last_doubling_gain(points, key)
    return (goal - now) / gain if gain > 0 else None


def _doublings(points, key, goal):
    d = doublings_to_goal(points, key, goal)
    return "met" if d == 0 else "no gain" if d is None else "%.1f" % d


def table(curve):
    out = ["| element | task | " + "training spectra → validation / held-out accuracy | gain per doubling "
           "(last step), validation / held-out | more doublings to the goal at that gain, validation / held-out |",
           "|---|---|---|---|---|"]
    for el, tasks in curve.items():
        for task, pts in tasks.items():
            steps = ", ".join("%d → %.1f / %.1f %%" % (p["n_train"], 100 * p["validation_acc"], 100 * p["heldout_acc"])
                              for p in pts)
            goal = edgebound.GOAL[task]
            out.append("| %s | %s | %s | %+.1f / %+.1f points | %d %%: %s / %s |" % (
                el, task, steps, 100 * last_doubling_gain(pts, "validation_acc"),
                100 * last_doubling_gain(pts, "heldout_acc"), round(100 * goal),
                _doublings(pts, "validation_acc", goal), _doublings(pts, "heldout_acc", goal)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", nargs="+", choices=("ox", "cn"), default=["cn"])
    ap.add_argument("--window", choices=sorted(G.WINDOWS), default=P.WIDE)
    ap.add_argument("--elements", nargs="+", choices=sampler.ELEMENTS, default=["Co", "Ni", "Cu"])
    ap.add_argument("--fractions", nargs="+", type=float, default=[0.1, 0.25, 0.5, 1.0])
    ap.add_argument("--more-blocks", type=int, default=0,
                    help="on the candidate data set of `m3d generate --more-blocks N` (the served data and N more "
                         "blocks) instead of the served data")
    a = ap.parse_args(argv)
    if len(a.fractions) < 2 or sorted(a.fractions) != a.fractions or not 0 < a.fractions[0] or a.fractions[-1] > 1:
        ap.error("--fractions: at least two, increasing, in (0, 1]")
    tag = M.data_tag(M.with_more_blocks(M.FULL, a.more_blocks))
    curve = P.learning_curve(tag, T.load_data(tag), a.elements, tuple(a.fractions), tasks=tuple(a.tasks),
                             window=a.window, name=result_name(a.tasks, a.window))
    print("\n".join(table(curve)))


if __name__ == "__main__":
    main()
