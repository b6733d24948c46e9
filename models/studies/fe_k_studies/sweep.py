"""`python3 -m fe_k_studies.sweep`: single-member variations of the PDF network on the validation split, to see whether a
change of loss, width, schedule or augmentation closes the gap to the issue's goal (PDF (a) <= 0.7 x kNN).

Each variant trains ONE member on the whole training part (no bootstrap) and keeps the epoch (checked every 5)
with the best validation score 0.5 * (PDF(a) median / a + distance MAE / d), a and d the kept set-up's single-member
figures from the `compare` stage (run it first).
Exploration only: nothing here feeds the served models. Results: work/fe_k/sweep.json and a printed table."""
import copy
import json
import multiprocessing as mp
import os
import time

import numpy as np

BASE = dict(width=256, depth=3, dropout=0.1, epochs=300, lr=2e-3, wd=1e-4, loss="bnll", batch=64, shift=0.0,
            mixup=0.0, xscale="feature", noise=0.003, seed=20261125)
VARIANTS = [
    ("kept set-up (β-NLL, 256×3, dropout 0.1)", {}),
    ("MSE loss", {"loss": "mse"}),
    ("L1 loss", {"loss": "l1"}),
    ("energy-shift augmentation ±0.5 eV", {"shift": 0.5}),
    ("energy-shift augmentation ±1 eV", {"shift": 1.0}),
    ("mixup (α = 0.2)", {"mixup": 0.2}),
    ("one global input scale", {"xscale": "global"}),
    ("512 wide", {"width": 512}),
    ("512 wide, MSE, no dropout", {"width": 512, "loss": "mse", "dropout": 0.0}),
    ("no dropout, input noise 0.01", {"dropout": 0.0, "noise": 0.01}),
    ("600 epochs", {"epochs": 600}),
    ("learning rate 5e-4", {"lr": 5e-4}),
    ("weight decay 1e-2", {"wd": 1e-2}),
    ("4 layers", {"depth": 4}),
    ("batch 32", {"batch": 32}),
]


def _run(args):
    import torch
    from fe_k import ensemble as E, metrics as M, nets, train as T
    name, over, data_dir, ref = args
    cfg = dict(BASE, **over)
    torch.set_num_threads(1)
    torch.manual_seed(cfg["seed"])
    tr, va, _ = E.splits(data_dir)
    sx = T.Standardiser(tr["x"])
    if cfg["xscale"] == "global":
        sx.std = np.full_like(sx.std, tr["x"].std())
    sg, sd = T.Standardiser(tr["g2"]), T.Standardiser(tr["dist"][:, None])
    f32 = lambda a: torch.tensor(np.asarray(a), dtype=torch.float32)  # noqa: E731
    xr, xv = f32(tr["x"]), f32(sx(va["x"]))
    gs, ds = f32(sg(tr["g2"])), f32(sd(tr["dist"][:, None]))
    mean_t, std_t, noise = f32(sx.mean), f32(sx.std), f32(cfg["noise"] / sx.std)

    n_in = xr.shape[1]
    model = nets.PDFNet("mlp", n_in, nets.MLPTrunk(n_in, cfg["width"], cfg["depth"], cfg["dropout"]))

    def shifted(xb):
        # each raw spectrum moved by u ~ U(-shift, shift) eV on the 0.5 eV grid (linear interpolation)
        if cfg["shift"] <= 0:
            return xb
        n, m = xb.shape
        pos = (torch.arange(m)[None, :].float() + (torch.rand(n, 1) * 2 - 1) * cfg["shift"] / 0.5).clamp(0, m - 1)
        i0 = pos.floor().long().clamp(max=m - 2)
        w = pos - i0
        return xb.gather(1, i0) * (1 - w) + xb.gather(1, i0 + 1) * w

    def score(x, ref):
        model.eval()
        with torch.no_grad():
            g, _, dd, _ = model(x)
        g = g.numpy() * sg.std + sg.mean
        dd = dd.numpy()[:, 0] * sd.std[0] + sd.mean[0]
        a, _ = M.pdf_errors(ref["g2"], g)
        return float(np.median(a)), float(np.mean(np.abs(dd - ref["dist"])))

    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
    n, b = xr.shape[0], cfg["batch"]
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg["lr"], total_steps=cfg["epochs"] * ((n + b - 1) // b),
                                                pct_start=0.1)
    gen = torch.Generator().manual_seed(cfg["seed"])
    best, state, best_ep, t0 = np.inf, None, -1, time.time()
    for ep in range(cfg["epochs"]):
        model.train()
        perm = torch.randperm(n, generator=gen)
        for s in range(0, n, b):
            i = perm[s:s + b]
            xb = (shifted(xr[i]) - mean_t) / std_t + torch.randn(len(i), xr.shape[1], generator=gen) * noise
            gb, db = gs[i], ds[i]
            if cfg["mixup"] > 0:
                lam = torch.distributions.Beta(cfg["mixup"], cfg["mixup"]).sample((len(i), 1))
                j = torch.randperm(len(i), generator=gen)
                xb, gb, db = lam * xb + (1 - lam) * xb[j], lam * gb + (1 - lam) * gb[j], lam * db + (1 - lam) * db[j]
            gm, gv, dm, dv = model(xb)
            if cfg["loss"] == "bnll":
                loss = T.bnll(gm, gv, gb).mean() + T.DIST_WEIGHT * T.bnll(dm, dv, db).mean()
            elif cfg["loss"] == "mse":
                loss = ((gm - gb) ** 2).mean() + T.DIST_WEIGHT * ((dm - db) ** 2).mean()
            else:
                loss = (gm - gb).abs().mean() + T.DIST_WEIGHT * (dm - db).abs().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        if ep % 5 == 4 or ep == cfg["epochs"] - 1:
            pdf_a, mae = score(xv, va)
            v = 0.5 * (pdf_a / ref[0] + mae / ref[1])
            if v < best:
                best, state, best_ep = v, copy.deepcopy(model.state_dict()), ep
    model.load_state_dict(state)
    pdf_a, mae = score(xv, va)
    return {"variant": name, "settings": over, "pdf_a_median": pdf_a, "dist_mae": mae, "best_epoch": best_ep,
            "seconds": round(time.time() - t0)}


def run(data_dir, out_path, log, workers=2):
    from fe_k import pipeline as P
    kept = P.load_result("compare")["mlp"]
    ref = (kept["pdf_a_median"], kept["dist_mae"])
    jobs = [(name, over, data_dir, ref) for name, over in VARIANTS]
    with mp.get_context("spawn").Pool(workers) as pool:
        rows = list(pool.imap(_run, jobs))
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as fh:
        json.dump(rows, fh, indent=1)
    log("sweep (validation, one member each, no bootstrap):")
    log("%-45s %12s %16s" % ("variant", "PDF (a) med.", "distance MAE (Å)"))
    for r in rows:
        log("%-45s %11.2f %% %16.4f" % (r["variant"], r["pdf_a_median"], r["dist_mae"]))
    return rows


def main(argv=None):
    """`cd models/studies && /usr/bin/python3 -m fe_k_studies.sweep [--data DIR]`: writes work/fe_k/sweep.json."""
    import sys
    from fe_k_studies import cli
    from fe_k import pipeline as P
    a = cli.parser("sweep", __doc__).parse_args(argv if argv is not None else sys.argv[1:])
    run(a.data, P.result_path("sweep"), P.log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
