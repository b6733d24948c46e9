"""train.bake: a conditioned net folded for one element (one-hot, class subset, input standardisation) computes the
same logits as the original on the original inputs.
Run: cd models/training && /usr/bin/python3 -m unittest m3d.test_bake   (< 1 s)"""
import unittest

import numpy as np
import torch

from m3d import train as T


class BakeTest(unittest.TestCase):
    def test_baked_net_on_per_element_standardisation_equals_conditioned_net(self):
        torch.manual_seed(3)
        rng = np.random.default_rng(3)
        n_x, n_el, n_cl = 12, 9, 7
        net = T.MLP(n_x + n_el, n_cl).eval()
        m_from, s_from = rng.normal(0, 1, n_x), rng.uniform(0.5, 2.0, n_x)
        m_to, s_to = rng.normal(0, 1, n_x), rng.uniform(0.5, 2.0, n_x)
        x = rng.normal(0, 1.5, (5, n_x))
        el, keep = 4, [1, 3, 6]
        onehot = np.zeros((5, n_el))
        onehot[:, el] = 1.0
        with torch.no_grad():
            want = net(torch.tensor(np.concatenate([(x - m_from) / s_from, onehot], 1), dtype=torch.float32))
            baked = T.bake(net, "cn", n_x, el, keep, (m_to, s_to, m_from, s_from))
            got = baked(torch.tensor((x - m_to) / s_to, dtype=torch.float32))
        np.testing.assert_allclose(got.numpy(), want[:, keep].numpy(), atol=1e-5)

    def test_without_restandardisation_the_input_is_read_as_it_was_trained(self):
        torch.manual_seed(4)
        net = T.MLP(6 + 9, 4).eval()
        x = torch.randn(3, 6)
        with torch.no_grad():
            want = net(torch.cat([x, torch.nn.functional.one_hot(torch.tensor([2, 2, 2]), 9).float()], 1))
            got = T.bake(net, "ox", 6, 2)(x)
        np.testing.assert_allclose(got.numpy(), want.numpy(), atol=1e-6)


if __name__ == "__main__":
    unittest.main()
