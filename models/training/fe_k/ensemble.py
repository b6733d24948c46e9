"""Member training jobs (two worker processes, one thread each) and the ensemble's numpy predictions."""
import multiprocessing as mp
import os

import numpy as np
import torch

from . import data, nets, settings as S, train

SEED = S.SEED
T32 = lambda a: torch.tensor(np.asarray(a), dtype=torch.float32)  # noqa: E731


class Prepared:
    """Standardisers and tensors of one training/validation split (everything members need)."""

    def __init__(self, tr, va, classes):
        self.sx = train.Standardiser(tr["x"])
        self.sg = train.Standardiser(tr["g2"])
        self.sd = train.Standardiser(tr["dist"][:, None])
        self.classes = list(classes)
        self.xs, self.xv = T32(self.sx(tr["x"])), T32(self.sx(va["x"]))
        self.noise = T32(train.INPUT_NOISE / self.sx.std)
        ratios = {"tr": np.clip(tr["ratios"], *train.RATIO_CLIP), "va": np.clip(va["ratios"], *train.RATIO_CLIP)}
        self.sr = train.Standardiser(ratios["tr"])
        structure = lambda s: (T32(self.sg(s["g2"])), T32(self.sd(s["dist"][:, None])))  # noqa: E731
        cn = lambda s, r: (torch.from_numpy(self._cls(s["cn"])),) + structure(s) + (T32(self.sr(r)),)  # noqa: E731
        self.ys = {"pdf": structure(tr), "cn": cn(tr, ratios["tr"])}
        self.yv = {"pdf": structure(va), "cn": cn(va, ratios["va"])}

    def _cls(self, cn):
        return data.class_indices(cn, self.classes)


def _job(args):
    task, arch, seed, bootstrap, data_dir, out_path = args
    train.setup(1)
    tr, va, classes = splits(data_dir)
    p = Prepared(tr, va, classes)
    model, facts = train.train_member(task, arch, p.xs, p.ys[task], p.xv, p.yv[task], seed,
                                      n_classes=len(classes), bootstrap=bootstrap, noise_scale=p.noise)
    torch.save(model.state_dict(), out_path)
    facts.update({"task": task, "arch": arch, "bootstrap": bootstrap, "file": os.path.basename(out_path)})
    return facts


def splits(data_dir):
    d = data.load(data_dir, "train")
    tri, vai = data.split(len(d["names"]))
    sub = lambda idx: {k: v[idx] for k, v in d.items() if k != "rejected"}  # noqa: E731
    classes = list(range(int(d["cn"].min()), int(d["cn"].max()) + 1))
    return sub(tri), sub(vai), classes


def run_jobs(jobs, log, workers=2):
    """jobs: list of (task, arch, seed, bootstrap, data_dir, out_path); trains those whose file is missing."""
    todo = [j for j in jobs if not os.path.exists(j[-1])]
    facts = []
    if todo:
        ctx = mp.get_context("spawn")
        with ctx.Pool(min(workers, len(todo))) as pool:
            for f in pool.imap(_job, todo):
                log("  trained %(task)s %(arch)s seed %(seed)d: best epoch %(best_epoch)d/%(epochs)d, "
                    "val loss %(val_loss).4f, %(seconds).0f s" % f)
                facts.append(f)
    return facts


def load_member(task, arch, n_in, n_classes, path):
    m = nets.PDFNet(arch, n_in) if task == "pdf" else train.new_cn_net(arch, n_in, n_classes)
    m.load_state_dict(torch.load(path))
    m.eval()
    return m


def member_outputs(members, xs):
    """Standardised-space outputs of every member for standardised inputs xs (tensor)."""
    with torch.no_grad():
        return [m(xs) for m in members]


def pdf_ensemble(members, p, x, g_scale=1.0, d_scale=1.0):
    """numpy mean/std (target units) of the ensemble for raw inputs x [n, grid]."""
    outs = member_outputs(members, T32(p.sx(x)))
    gm = np.stack([o[0].numpy() for o in outs]).astype(np.float64)
    gv = np.stack([o[1].numpy() for o in outs]).astype(np.float64)
    dm = np.stack([o[2].numpy()[:, 0] for o in outs]).astype(np.float64)
    dv = np.stack([o[3].numpy()[:, 0] for o in outs]).astype(np.float64)
    g_mu, d_mu = gm.mean(0), dm.mean(0)
    g_sd = np.sqrt(gv.mean(0) + gm.var(0))
    d_sd = np.sqrt(dv.mean(0) + dm.var(0))
    return {"g2": g_mu * p.sg.std + p.sg.mean, "g2_std": g_sd * p.sg.std * g_scale,
            "dist": d_mu * p.sd.std[0] + p.sd.mean[0], "dist_std": d_sd * p.sd.std[0] * d_scale}


def cn_logits(members, p, x):
    outs = member_outputs(members, T32(p.sx(x)))
    return np.stack([o.numpy() for o in outs]).astype(np.float64)


def cn_probs(logits, temperature=1.0):
    z = logits / temperature
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(-1, keepdims=True)
    return p.mean(0), p.std(0)
