"""Tests of the numpy twin (normalize.py) against the committed Larch vectors, and its reason codes.

    cd models/training && /usr/bin/python3 -m unittest xasprep.test_normalize -v
"""
import glob
import json
import os
import unittest

import numpy as np

from . import normalize as N

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE_VECTORS = os.path.join(HERE, "..", "..", "..", "services", "core", "src", "test", "resources", "larch",
                               "fixtures")


def _fe_spectrum():
    e = 6950.0 + 2.0 * np.arange(326)
    x = e - 7112.0
    mu = 0.3 - 2e-4 * x + 1.2 * (0.5 + np.arctan(x / 1.5) / np.pi) + np.where(x > 0, 1.2 * (-1.5e-4 * x), 0)
    return e, mu


class LarchAgreement(unittest.TestCase):
    def test_fixture_vectors(self):
        files = sorted(glob.glob(os.path.join(FIXTURE_VECTORS, "*.json")))
        self.assertTrue(files, "no Larch vectors in %s" % FIXTURE_VECTORS)
        for f in files:
            v = json.load(open(f))
            e, mu = np.array(v["energy"]), np.array(v["mu"])
            r = N.normalize(e, mu)
            w = (e - v["e0"] >= -20) & (e - v["e0"] <= 150)
            self.assertLessEqual(abs(r["e0"] - v["e0"]), 0.5, v["file"])
            self.assertLessEqual(abs(r["edge_step"] - v["edge_step"]) / v["edge_step"], 0.02, v["file"])
            self.assertLessEqual(np.abs(r["norm"] - np.array(v["norm"]))[w].max(), 0.02, v["file"])
            for k in ("pre1", "pre2", "norm1", "norm2", "nnorm", "nvict"):
                self.assertAlmostEqual(r["resolved"][k], v["pre_edge_details"][k], places=9, msg=v["file"] + " " + k)
            if v.get("reference_mu") is not None:
                self.assertEqual(-N.calibration_shift(e, v["reference_mu"], 0.0), v["reference_e0"])


class Rejections(unittest.TestCase):
    SPEC = {"grid": {"linspace": [-30, 150, 181]}}

    def assertReason(self, reason, fn, *args):
        with self.assertRaises(N.SpectrumRejected) as cm:
            fn(*args)
        self.assertEqual(cm.exception.reason, reason)

    def test_well_formed(self):
        e, mu = _fe_spectrum()
        out = N.preprocess(e, mu, "Fe", "K", self.SPEC)
        self.assertEqual(len(out["model_input"]), 181)
        self.assertEqual(out["normalization"]["e0"], 7112.0)

    def test_reasons(self):
        e, mu = _fe_spectrum()
        self.assertReason("TOO_FEW_POINTS", N.preprocess, e[:10], mu[:10], "Fe", "K", self.SPEC)
        e2 = e.copy(); e2[100], e2[101] = e2[101], e2[100]
        self.assertReason("NON_MONOTONIC_ENERGY", N.preprocess, e2, mu, "Fe", "K", self.SPEC)
        e2 = e.copy(); e2[200] = e2[199]
        self.assertReason("DUPLICATE_ENERGY", N.preprocess, e2, mu, "Fe", "K", self.SPEC)
        m2 = mu.copy(); m2[5] = np.nan
        self.assertReason("NON_FINITE_VALUE", N.preprocess, e, m2, "Fe", "K", self.SPEC)
        i0 = np.full(len(mu), 1e5); i0[3] = 0
        self.assertReason("NON_POSITIVE_I0", N.mu_transmission, i0, 1e5 * np.exp(-mu))
        self.assertReason("EDGE_NOT_FOUND", N.preprocess, e, mu, "Cu", "K", self.SPEC)
        self.assertReason("EDGE_NOT_FOUND", N.preprocess, e, 2.0 - 1e-3 * (e - e[0]), "Fe", "K", self.SPEC)
        x = e - 7112
        bad = 1.0 + 2.0 * np.exp(-x * x / 18.0) - 0.5 * (0.5 + np.arctan((x - 15) / 2.0) / np.pi)
        self.assertReason("NON_POSITIVE_EDGE_STEP", N.preprocess, e, bad, "Fe", "K", self.SPEC)
        self.assertReason("GRID_NOT_COVERED", N.preprocess, e, mu, "Fe", "K", {"grid": {"linspace": [-30, 800, 200]}})
        self.assertReason("UNKNOWN_ELEMENT", N.preprocess, e, mu, "Xx", "K", self.SPEC)
        self.assertReason("LENGTH_MISMATCH", N.preprocess, e, mu[:-1], "Fe", "K", self.SPEC)

    def test_padding_rules(self):
        e = np.array([10.0, 20, 30, 40]); y = np.array([1.0, 3, 2, 6])
        g = {"points": [5, 25, 45], "reference": "absolute"}
        self.assertReason("GRID_NOT_COVERED", N.resample, e, y, 0.0, g)
        np.testing.assert_allclose(N.resample(e, y, 0.0, dict(g, out_of_range="edge_value")), [1, 2.5, 6])
        np.testing.assert_allclose(N.resample(e, y, 0.0, dict(g, out_of_range="constant", fill=-1)), [-1, 2.5, -1])


if __name__ == "__main__":
    unittest.main()
