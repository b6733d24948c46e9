"""The version comparison's statistics and the ceiling study's parts: `cd models/studies && /usr/bin/python3 -m
unittest fe_k_studies.test_ceiling`."""
import unittest

import numpy as np

from . import ceiling, versions


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
        lines = ceiling.regions_table({"ensemble": r, "knn": r})
        self.assertEqual(lines[4], "| 1.5–2.5 Å | 2 | 0.0 % | 0.0 % | 0 % | 0 % | 57 % |")
        self.assertTrue(lines[-2].startswith("Most of the ensemble's error lies in one region."))
        self.assertTrue(lines[-2].endswith("where neither is the more precise."))


class KernelRidgeTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(3)
        self.x = rng.normal(size=(40, 5))
        self.y = np.c_[np.sin(self.x[:, 0]), self.x[:, 1] ** 2]

    def test_distances_are_l1_and_squared_euclidean(self):
        a, b = self.x[:7], self.x[5:12]
        l1 = ceiling.kernel_distances(a, b, "laplacian", chunk=3)
        sq = ceiling.kernel_distances(a, b, "gaussian")
        for i in range(7):
            for j in range(7):
                self.assertAlmostEqual(l1[i, j], np.abs(a[i] - b[j]).sum())
                self.assertAlmostEqual(sq[i, j], ((a[i] - b[j]) ** 2).sum())

    def test_small_ridge_reproduces_the_training_pairs_and_a_large_one_shrinks_to_zero(self):
        fits = dict((s["ridge"], p["train"]) for s, p in ceiling.kernel_ridge_fits(
            self.x, self.y, {"train": self.x}, kernels={"laplacian": (1.0,)}, ridges=(1e-9, 1e6)))
        np.testing.assert_allclose(fits[1e-9], self.y, atol=1e-5)
        self.assertLess(np.abs(fits[1e6]).max(), 1e-4)

    def test_every_setting_of_the_grid_is_fitted_once(self):
        settings = [s for s, _ in ceiling.kernel_ridge_fits(self.x, self.y, {"q": self.x[:3]},
                                                            kernels={"laplacian": (1.0, 3.0), "gaussian": (1.0,)},
                                                            ridges=(0.1, 1.0))]
        self.assertEqual(len(settings), 6)
        self.assertEqual(settings[0], {"kernel": "laplacian", "width": 1.0, "ridge": 0.1})

    def test_card_names_each_chosen_setting_once(self):
        st = lambda k, w, r: {"setting": {"kernel": k, "width": w, "ridge": r}}  # noqa: E731
        kr = {"pdf_a_median": st("laplacian", 3.0, 0.001), "dist_mae": st("laplacian", 3.0, 0.001),
              "cn_exact": st("gaussian", 10.0, 0.1)}
        self.assertEqual(ceiling.krr_settings(kr, ("pdf_a_median", "dist_mae")), "laplacian, width 3, ridge 0.001")
        self.assertEqual(ceiling.krr_settings(kr, ("pdf_a_median", "cn_exact")),
                         "laplacian, width 3, ridge 0.001 / gaussian, width 10, ridge 0.1")


if __name__ == "__main__":
    unittest.main()
