"""Label definitions on hand-made structures: `cd models/training && /usr/bin/python3 -m unittest fe_k.test_labels`."""
import math
import unittest

import numpy as np

from . import labels as L


class LabelTest(unittest.TestCase):
    def test_grid_and_eta(self):
        self.assertEqual(len(L.MU), 32)
        self.assertAlmostEqual(L.MU[0], 1.5)
        self.assertAlmostEqual(L.MU[-1], 5.5)
        self.assertAlmostEqual(L.ETA, 1.0 / (2 * (4.0 / 31) ** 2))

    def test_octahedron(self):
        # FeO6 at 2.0 A, six H at 3.0 A, one O at 6.5 A (outside the cutoff)
        z = [26] + [8] * 6 + [1] * 6 + [8]
        dirs = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], float)
        xyz = np.vstack([[0, 0, 0], 2.0 * dirs, 3.0 * dirs, [[6.5, 0, 0]]])
        lab = L.labels_from_structure(np.array(z), xyz)
        self.assertEqual(lab["cn"], 6)  # H never counts; 2.0 < 1.15 * (1.32 + 0.66)
        self.assertAlmostEqual(lab["distance"], 2.0)
        fc = lambda r: 0.5 * (math.cos(math.pi * r / 6) + 1)  # noqa: E731
        k = 5
        want = 6 * 8 * fc(2.0) * math.exp(-L.ETA * (2.0 - L.MU[k]) ** 2) \
            + 6 * 1 * fc(3.0) * math.exp(-L.ETA * (3.0 - L.MU[k]) ** 2)
        self.assertAlmostEqual(lab["g2"][k], want, places=10)

    def test_cn_threshold(self):
        # S: 1.15 * (1.32 + 1.05) = 2.7255 A
        for r, cn in ((2.72, 1), (2.73, 0)):
            lab = L.labels_from_structure(np.array([26, 16, 7]), np.array([[0, 0, 0], [r, 0, 0], [0, 0, 1.9]]))
            self.assertEqual(lab["cn"], cn + 1)

    def test_cn_factor_moves_only_the_cutoff(self):
        # S at 2.65 A lies between 1.10 * 2.37 = 2.607 and 1.15 * 2.37 = 2.7255: counted at 1.15 and 1.20, not at 1.10
        z, xyz = np.array([26, 16, 7]), np.array([[0, 0, 0], [2.65, 0, 0], [0, 0, 1.9]])
        cns = [L.labels_from_structure(z, xyz, cn_factor=f)["cn"] for f in (1.10, 1.15, 1.20)]
        self.assertEqual(cns, [1, 2, 2])
        self.assertEqual(L.labels_from_structure(z, xyz)["cn"], 2)  # the default is the 1.15

    def test_bond_ratios_are_sorted_and_count_the_cn(self):
        # S at 2.65 A (ratio 2.65 / 2.37), N at 1.9 A (1.9 / 2.03), H ignored; the rest padded
        z, xyz = np.array([26, 16, 7, 1]), np.array([[0, 0, 0], [2.65, 0, 0], [0, 0, 1.9], [0, 1.0, 0]])
        lab = L.labels_from_structure(z, xyz)
        self.assertEqual(len(lab["ratios"]), L.N_RATIOS)
        np.testing.assert_allclose(lab["ratios"][:2], [1.9 / 2.03, 2.65 / 2.37])
        self.assertTrue(np.all(lab["ratios"][2:] == L.RATIO_PAD))
        self.assertEqual(int(np.count_nonzero(lab["ratios"] <= L.CN_FACTOR)), lab["cn"])
        # the cut-off factor moves the count, not the ratios
        np.testing.assert_allclose(L.labels_from_structure(z, xyz, cn_factor=1.10)["ratios"], lab["ratios"])


if __name__ == "__main__":
    unittest.main()
