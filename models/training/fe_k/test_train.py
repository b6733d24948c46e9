"""Training losses and the version comparison's statistics: `cd models/training && /usr/bin/python3 -m unittest
fe_k.test_train`."""
import unittest
from unittest import mock

import numpy as np
import torch
import torch.nn.functional as F

from . import ceiling, labels as L, nets, report, train, versions


class CnLossTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.x = torch.randn(8, 141)
        self.c = torch.randint(0, 13, (8,))
        self.g, self.d = torch.randn(8, nets.N_G2), torch.randn(8, 1)
        self.r = torch.randn(8, L.N_RATIOS)

    def test_ratio_head_adds_its_beta_nll_in_training_only(self):
        with mock.patch.object(train, "RATIO_WEIGHT", 1.0), mock.patch.object(train, "AUX_WEIGHT", 0.0):
            m = train.new_cn_net("mlp", 141, 13)
            self.assertIsNotNone(m.ratio_head)
            self.assertIsNone(m.aux)
            m.train()
            torch.manual_seed(1)
            loss = train.cn_loss(m, self.x, self.c, self.g, self.d, self.r)
            torch.manual_seed(1)  # same dropout masks
            logits, _, (mu, var) = m.forward_with_aux(self.x)
            want = F.cross_entropy(logits, self.c) + train.bnll(mu, var, self.r).mean()
            self.assertAlmostEqual(float(loss), float(want), places=5)
            self.assertTrue(bool((var > 0).all()))
            m.eval()  # the checkpoint is chosen on the cross-entropy alone
            self.assertAlmostEqual(float(train.cn_loss(m, self.x, self.c, self.g, self.d, self.r)),
                                   float(F.cross_entropy(m(self.x), self.c)), places=6)

    def test_served_set_up_has_no_auxiliary_head(self):
        with mock.patch.object(train, "RATIO_WEIGHT", 0.0), mock.patch.object(train, "AUX_WEIGHT", 0.0):
            m = train.new_cn_net("mlp", 141, 13)
        self.assertIsNone(m.ratio_head)
        self.assertIsNone(m.aux)
        self.assertEqual(m(self.x).shape, (8, 13))


class PairedTestTest(unittest.TestCase):
    def test_unchanged_model_is_reported_identical(self):
        e = np.array([0.1, 0.2, 0.3, 0.4])
        self.assertEqual(versions.paired_p(e, e.copy()), "identical")

    def test_changed_model_gets_a_wilcoxon_p(self):
        a = np.linspace(0.1, 1.0, 12)
        self.assertIn("Wilcoxon", versions.paired_p(a, a * 0.5))


class RegionTest(unittest.TestCase):
    def test_error_in_one_region_is_found_there(self):
        mu = np.array([1.5, 2.0, 3.0, 4.0, 5.5])
        y = np.array([[2.0, 2.0, 1.0, 1.0, 1.0]])
        yhat = y + np.array([[0.0, 0.0, 0.0, 0.5, 0.5]])   # wrong only beyond 3.5 A, the last point included
        r = ceiling.by_region(y, yhat, mu=mu)
        self.assertEqual([x["n_points"] for x in r], [2, 1, 2])
        self.assertEqual([x["pdf_a_median"] for x in r], [0.0, 0.0, 50.0])
        self.assertEqual([x["error_share_median"] for x in r], [0.0, 0.0, 1.0])
        self.assertAlmostEqual(sum(x["signal_share_median"] for x in r), 1.0)
        lines = report._regions_table({"ensemble": r, "knn": r})
        self.assertEqual(lines[4], "| 1.5–2.5 Å | 2 | 0.0 % | 0.0 % | 0 % | 0 % | 57 % |")
        self.assertTrue(lines[-2].startswith("Most of the ensemble's error lies in one region."))
        self.assertTrue(lines[-2].endswith("where neither is the more precise."))


if __name__ == "__main__":
    unittest.main()
