"""`python3 -m m3d_studies.archcheck [--task ox|cn] [--window xanes|wide] [--elements Ti V ...]`: is a classifier's
architecture what limits it?

One member per element and variant (seed SEED, no bootstrap, the served per-element schedule, the split of the served
models), accuracy of the oxidation-state (default) or CN classifier on the given input window (default xanes) on the
nominal spectra of the training, validation and held-out structures:

* `mlp`      the served set-up (train.MLP, 2 x 64, dropout 0.25);
* `mlp256x3` three layers of 256 units, dropout 0.1 (more capacity);
* `cnn`      a small 1-D CNN (CNN below: three conv + pool stages over the energy axis, then 128 units), which reads
             the edge's local shape (positions of pre-edge, shoulder and white line) with shared filters.

Training accuracy beside validation says which limit applies: a net that fits its training structures far better
than new ones wants more structures; one that fits neither better wants a better input or has met the overlap of the
classes in the simulation itself. Exploration only: it changes no served model; results go to
work/m3d/results/<data>/archcheck_<task>_<window>.json, and the card's section to
models/studies/results/m3d_archcheck_<task>_<window>.md (committed; `m3d.report.STUDY_SECTIONS` names the ones the
card shows)."""
from __future__ import annotations

import argparse
import multiprocessing as mp
import time

import numpy as np
import torch
from torch import nn

from fe_k import report as FR

from m3d import __main__ as M
from m3d import generate as G
from m3d import pipeline as P
from m3d import report as RP
from m3d import sampler
from m3d import train as T

VARIANTS = ("mlp", "mlp256x3", "cnn")
VARIANT_TEXT = {"mlp256x3": "3 × 256 units, dropout 0.1",
                "cnn": "a 1-D CNN (three convolution + pooling stages over the energy axis, 16/32/32 channels, then "
                       "128 units)"}
TASKS = ("ox", "cn")


def result_name(task, window):
    return "archcheck_%s_%s" % (task, window)


class CNN(nn.Module):
    """1-D CNN on the standardised spectrum [batch, n] -> class logits."""

    def __init__(self, n_in, n_out, dropout=T.DROPOUT):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.SiLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.SiLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.SiLU(), nn.MaxPool1d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * (n_in // 8), 128), nn.SiLU(), nn.Dropout(dropout),
                                  nn.Linear(128, n_out))

    def forward(self, x):
        return self.head(self.features(x[:, None, :]))


def make_net(variant, n_in, n_out):
    if variant == "mlp":
        return T.MLP(n_in, n_out)
    if variant == "mlp256x3":
        return T.MLP(n_in, n_out, width=256, depth=3, dropout=0.1)
    if variant == "cnn":
        return CNN(n_in, n_out)
    raise ValueError(variant)


def accuracy(model, p, d, split, task):
    """Accuracy of `model` on the element's nominal spectra of one split (0 train, 1 validation, 2 held-out)."""
    i = p.idx[split]
    i = i[P.is_nominal(d, i)]
    y = np.array(T.class_index(p.classes[task], d[T.label_key(task)][i]))
    with torch.no_grad():
        pred = np.concatenate([model(p.inputs(i[s:s + 8192])).argmax(1).numpy() for s in range(0, len(i), 8192)])
    return float(np.mean(pred == y)), int(len(i))


_DATA = {}


def _job(args):
    tag, el_index, variant, task, window = args
    torch.set_num_threads(1)
    if tag not in _DATA:
        _DATA[tag] = T.load_data(tag)
    d = _DATA[tag]
    p = T.Prepared(d, "per", el_index, window=window)
    T.make_net = lambda task, n_in, n_out: make_net(variant, n_in, n_out)   # this worker's factory for this job
    model, facts = T.train_member(task, p, P.SEED, bootstrap=False)
    res = {"element": sampler.ELEMENTS[el_index], "variant": variant, "facts": facts,
           "parameters": int(sum(t.numel() for t in model.parameters()))}
    for split, name in ((0, "train"), (1, "validation"), (2, "heldout")):
        res[name], res["n_" + name] = accuracy(model, p, d, split, task)
    return res


def table(rows, elements):
    """Markdown table: per element and variant, train / validation / held-out accuracy (%)."""
    by = {(r["element"], r["variant"]): r for r in rows}
    out = ["| element | " + " | ".join("%s train / val / held-out" % v for v in VARIANTS) + " |",
           "|---|" + "---|" * len(VARIANTS)]
    for el in elements:
        cells = []
        for v in VARIANTS:
            r = by.get((el, v))
            cells.append("—" if r is None else "%.1f / %.1f / %.1f" % tuple(
                100 * r[k] for k in ("train", "validation", "heldout")))
        out.append("| %s | %s |" % (el, " | ".join(cells)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=TASKS, default="ox")
    ap.add_argument("--window", choices=sorted(G.WINDOWS), default="xanes")
    ap.add_argument("--elements", nargs="+", default=list(sampler.ELEMENTS))
    a = ap.parse_args(argv)
    t0 = time.time()
    tag = M.data_tag(M.FULL)
    jobs = [(tag, sampler.ELEMENTS.index(el), v, a.task, a.window) for el in a.elements for v in VARIANTS]
    jobs.sort(key=lambda j: j[2] != "cnn")   # the slow ones first, so the two workers finish together
    rows = []
    with mp.get_context("spawn").Pool(2) as pool:
        for r in pool.imap_unordered(_job, jobs):
            rows.append(r)
            P.log("%s %s: train %.3f validation %.3f held-out %.3f (%.0f s, best epoch %d)" % (
                r["element"], r["variant"], r["train"], r["validation"], r["heldout"], r["facts"]["seconds"],
                r["facts"]["best_epoch"]))
    rows.sort(key=lambda r: (sampler.ELEMENTS.index(r["element"]), VARIANTS.index(r["variant"])))
    result = {"task": a.task, "window": a.window, "rows": rows, "seconds": round(time.time() - t0)}
    P.save_json(result, P.result_path(tag, result_name(a.task, a.window)))
    if a.elements == list(sampler.ELEMENTS):   # the card's section covers every element
        FR.write_study_section("m3d_" + result_name(a.task, a.window), card_section(result))
    print("\n".join(table(rows, [el for el in sampler.ELEMENTS if el in a.elements])))


if __name__ == "__main__":
    main()


def card_section(arch):
    """Card lines for one saved result of this study (one member per element and variant, of one task and window)."""
    rows, task, window = arch["rows"], arch.get("task", "ox"), arch.get("window", "xanes")
    els = [el for el in sampler.ELEMENTS if any(r["element"] == el for r in rows)]
    by = {(r["element"], r["variant"]): r for r in rows}

    def gain(v, split):
        g = [100 * (by[el, v][split] - by[el, "mlp"][split]) for el in els if (el, v) in by and (el, "mlp") in by]
        return "%+.1f (%+.1f … %+.1f)" % (np.mean(g), min(g), max(g)) if g else "—"

    gap = [100 * (by[el, "mlp"]["train"] - by[el, "mlp"]["validation"]) for el in els if (el, "mlp") in by]
    out = ["### Architecture of the %s net, %s window (`python3 -m m3d.archcheck --task %s --window %s`, %.0f s)" % (
               {"ox": "oxidation-state", "cn": "CN"}[task], window, task, window, arch["seconds"]), "",
           "One member per element and variant (seed %d, no bootstrap, the served schedule, the served split), "
           "accuracy on nominal spectra of the training, validation and held-out structures. *mlp* is the served "
           "set-up (%s); *mlp256x3* has %s; *cnn* is %s." % (P.SEED, RP.ARCH, VARIANT_TEXT["mlp256x3"],
                                                              VARIANT_TEXT["cnn"]), ""]
    out += table(rows, els)
    out += ["", "Against *mlp*, in points, mean (min … max) over the elements: *mlp256x3* validation %s, held-out %s; "
            "*cnn* validation %s, held-out %s. The served net fits its training structures %.1f … %.1f points "
            "better than the validation ones." % (gain("mlp256x3", "validation"), gain("mlp256x3", "heldout"),
                                                  gain("cnn", "validation"), gain("cnn", "heldout"),
                                                  round(min(gap), 1) + 0.0, round(max(gap), 1) + 0.0)]
    return out
