"""reference.FusedReferenceClassifier: a row without a reference channel gets exactly the shape classifier's answer,
a row with one the reference ensemble's (on the input and the standardised edge position); the exported two-input
ONNX graph computes the same; train.Prepared appends the standardised c for the reference task only.
Run: cd models/training && /usr/bin/python3 -m unittest m3d.test_reference   (~2 s)"""
import os
import tempfile
import unittest

import numpy as np
import torch

from fe_k import fuse as FF
from fe_k import onnxcheck
from m3d import reference as REF
from m3d import train as T

N_X, N_CL = 10, 3


def _graph(seed=5):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    xs = rng.normal(0, 1, (200, N_X))
    shape = FF.FusedClassifier([T.MLP(N_X, N_CL).eval() for _ in range(2)], np.zeros(N_X), np.ones(N_X), 1.3,
                               FF.fit_ood(xs, 4))
    ref_nets = [T.MLP(N_X + 1, N_CL).eval() for _ in range(3)]
    x_mean, x_std = rng.normal(0, 0.1, N_X), rng.uniform(0.8, 1.2, N_X)
    fused = REF.FusedReferenceClassifier(shape, ref_nets, x_mean, x_std, 4.0, 2.5, 0.8).eval()
    return fused, shape, ref_nets, (x_mean, x_std), rng


class ReferenceGraphTest(unittest.TestCase):
    def test_rows_without_reference_get_the_shape_answer_rows_with_it_the_reference_ensemble(self):
        fused, shape, nets, (m, s), rng = _graph()
        x = rng.normal(0, 1, (4, N_X)).astype(np.float32)
        c = np.array([2.0, 7.5, 3.0, 0.0], np.float32)
        es = REF.edge_shift_rows(c)
        es[2:] = 0.0
        with torch.no_grad():
            p, sd, ood = fused(torch.tensor(x), torch.tensor(es))
            p0, s0, ood0 = shape(torch.tensor(x))
            xc = torch.tensor(np.concatenate([(x - m) / s, (c[:, None] - 4.0) / 2.5], 1), dtype=torch.float32)
            pr = torch.stack([torch.softmax(n(xc) / 0.8, 1) for n in nets])
        np.testing.assert_allclose(p[2:].numpy(), p0[2:].numpy(), atol=1e-7)
        np.testing.assert_allclose(sd[2:].numpy(), s0[2:].numpy(), atol=1e-7)
        np.testing.assert_allclose(p[:2].numpy(), pr.mean(0)[:2].numpy(), atol=1e-6)
        np.testing.assert_allclose(sd[:2].numpy(), pr.std(0, unbiased=False)[:2].numpy(), atol=1e-6)
        np.testing.assert_allclose(ood.numpy(), ood0.numpy(), atol=1e-7)
        self.assertGreater(float(np.abs(p[:2].numpy() - p0[:2].numpy()).max()), 1e-4)   # c was read

    def test_the_onnx_graph_takes_both_inputs_and_agrees_with_pytorch(self):
        fused, _, _, _, rng = _graph(6)
        x = rng.normal(0, 1, (5, N_X)).astype(np.float32)
        es = REF.edge_shift_rows(rng.normal(3, 2, 5))
        es[::2] = 0.0
        names = ("ox_probabilities", "ox_probability_std", "ood_score")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "g.onnx")
            FF.export(fused, N_X, path, names, [(REF.EDGE_SHIFT, REF.EDGE_SHIFT_WIDTH)])
            got = onnxcheck.run(path, {"spectrum": x, REF.EDGE_SHIFT: es})
        with torch.no_grad():
            want = fused(torch.tensor(x), torch.tensor(es))
        for n, w in zip(names, want):
            np.testing.assert_allclose(got[n], w.numpy(), atol=1e-5)

    def test_prepared_appends_the_standardised_edge_position_for_the_reference_task_only(self):
        rng = np.random.default_rng(1)
        n = 60
        d = {"x": rng.normal(0, 1, (n, N_X)), "g2": rng.normal(0, 1, (n, 32)), "dist": rng.normal(2, 0.1, n),
             "ox": rng.choice([2, 3], n), "cn": rng.choice([4, 6], n), "structure": np.arange(n),
             "split": np.where(np.arange(n) < 40, 0, np.where(np.arange(n) < 50, 1, 2)),
             "element": np.full(n, 3), "c": rng.normal(5, 2, n)}
        p = T.Prepared(d, "per", 3)
        self.assertEqual(p.x(1).shape[1], N_X)
        xr = p.x(1, "oxr").numpy()
        self.assertEqual(xr.shape[1], N_X + 1)
        want = (d["c"][p.idx[1]] - d["c"][p.idx[0]].mean()) / d["c"][p.idx[0]].std()
        np.testing.assert_allclose(xr[:, -1], want, atol=1e-5)
        np.testing.assert_array_equal(p.y("oxr", 1)[0].numpy(), p.y("ox", 1)[0].numpy())
        self.assertRaises(ValueError, T.Prepared(d, "cond", 0).x, 1, "oxr")


if __name__ == "__main__":
    unittest.main()
