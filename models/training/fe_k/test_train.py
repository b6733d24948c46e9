"""Training losses and the cards' words: `cd models/training && /usr/bin/python3 -m unittest
fe_k.test_train`."""
import unittest
from unittest import mock

import numpy as np
import torch
import torch.nn.functional as F

from . import labels as L, nets, report, train


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


class CardWordsTest(unittest.TestCase):
    def test_cards_name_the_members_kind(self):
        self.assertEqual(report._kind({"bootstrap": True}), "bootstrap")
        self.assertEqual(report._kind({"bootstrap": False}), "seed-only")
        self.assertIn("no bootstrap", report._resamples({"bootstrap": False}, plural=True))


if __name__ == "__main__":
    unittest.main()
