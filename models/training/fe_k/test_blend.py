"""fe-k-pdf's blend of ensemble and nearest training pair: the torch module, its numpy twin, its ONNX graph, and the
choice of weights on validation."""
import os
import tempfile
import unittest

import numpy as np
import torch

from . import blend as B, fuse, onnxcheck, pipeline as P


class Toy(torch.nn.Module):
    """An 'ensemble' of 4 G2 points and a distance read off the input, with a spread."""

    def forward(self, x):
        return 2 * x[:, :4], x[:, 4:8] * x[:, 4:8] + 0.1, x[:, :1], x[:, 1:2] * x[:, 1:2] + 0.01, x[:, :1] * 0 + 1


CHOICE = {"w_pdf": 0.7, "w_distance": 0.3, "pdf_std_scale": 0.8, "distance_std_scale": 1.2}


class Blend(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(3)
        self.x = rng.normal(size=(60, 10)).astype(np.float32)
        self.g2, self.d = rng.normal(size=(60, 4)), rng.normal(size=60)
        self.q = self.x[[5, 9, 40]] + 0.01
        self.module = B.BlendedPDF(Toy(), self.x, self.g2, self.d, CHOICE).eval()

    def test_the_module_blends_the_nearest_pair_as_the_numpy_twin(self):
        with torch.no_grad():
            g, gs, d, ds, _, eg, egs, ed, eds = [t.numpy().astype(float) for t in self.module(torch.tensor(self.q))]
        j = B.nearest(self.x.astype(float), self.q.astype(float))
        self.assertEqual(list(j), [5, 9, 40])
        mean, std = B.blended(eg, egs, self.g2[j], 0.7, 0.8)
        np.testing.assert_allclose(g, mean, atol=1e-5)
        np.testing.assert_allclose(gs, std, atol=1e-5)
        dm, dstd = B.blended(ed[:, 0], eds[:, 0], self.d[j], 0.3, 1.2)
        np.testing.assert_allclose(d[:, 0], dm, atol=1e-5)
        np.testing.assert_allclose(ds[:, 0], dstd, atol=1e-5)

    def test_the_onnx_graph_computes_what_the_module_computes(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "b.onnx")
            fuse.export(self.module, 10, path, P.PDF_GRAPH_OUTPUTS)
            got = onnxcheck.run(path, {"spectrum": self.q})
        with torch.no_grad():
            ref = dict(zip(P.PDF_GRAPH_OUTPUTS, self.module(torch.tensor(self.q))))
        for name in P.PDF_GRAPH_OUTPUTS:
            np.testing.assert_allclose(got[name], ref[name].numpy(), atol=1e-5, err_msg=name)

    def test_validation_chooses_the_weight_of_the_better_answer_and_a_scale_for_its_coverage(self):
        rng = np.random.default_rng(1)
        truth = {"g2": rng.uniform(0.5, 1.5, (400, 4)), "dist": rng.uniform(1.8, 2.2, 400)}
        exact = {"g2": truth["g2"], "dist": truth["dist"]}
        noisy = {"g2": truth["g2"] + rng.normal(0, 0.3, (400, 4)), "g2_std": np.full((400, 4), 0.3),
                 "dist": truth["dist"] + rng.normal(0, 0.05, 400), "dist_std": np.full(400, 0.05)}
        c = B.choose(truth, noisy, exact, P.fit_scale)
        self.assertEqual((c["w_pdf"], c["w_distance"]), (1.0, 1.0))
        far = {"g2": truth["g2"] + 5.0, "dist": truth["dist"] + 1.0}
        c = B.choose(truth, noisy, far, P.fit_scale)
        self.assertEqual((c["w_pdf"], c["w_distance"]), (0.0, 0.0))
        self.assertAlmostEqual(c["validation"]["pdf_coverage_2sigma"], 0.95, delta=0.01)


if __name__ == "__main__":
    unittest.main()
