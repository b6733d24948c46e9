"""m3d.cnerrors: the CN rule it varies is the one the data is labelled with, elongated sites fall in the right band,
and the per-kind and table counts come from the rows.
Run: cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_cnerrors   (< 1 s)"""
import unittest

from m3d_studies import cnerrors as CL
from m3d import sampler
from simulate.structures import SiteModel


def cu_octahedron(elongation):
    return SiteModel("Cu2+ test", "Cu", 2, "octahedral", "O", split_long=(2, elongation))


class CnLabelsTest(unittest.TestCase):
    def test_the_rule_at_the_cut_is_the_label_of_every_sampled_site(self):
        for el in ("Cr", "Mn", "Ni", "Cu", "Zn"):
            for site, _ in sampler.sites_for(el, 60, 99):
                self.assertEqual(sampler.effective_cn(site, CL.CUT),
                                 site.coordination_number if site.is_metal else site.effective_cn, site.name)

    def test_an_octahedron_elongated_near_the_cut_changes_cn_when_the_cut_moves(self):
        near, far = cu_octahedron(0.33), cu_octahedron(0.60)
        self.assertEqual([sampler.effective_cn(near, c) for c in (0.30, 0.35, 0.40)], [4, 6, 6])
        self.assertEqual([sampler.effective_cn(far, c) for c in (0.30, 0.35, 0.40)], [4, 4, 4])

    def test_sites_are_grouped_by_geometry_and_elongation_band(self):
        self.assertEqual(CL.site_kind(cu_octahedron(0.33)), "octahedral elongated 0.25-0.45 Å")
        self.assertEqual(CL.site_kind(cu_octahedron(0.60)), "octahedral elongated > 0.45 Å")
        self.assertEqual(CL.site_kind(cu_octahedron(0.10)), "octahedral elongated < 0.25 Å")
        self.assertEqual([CL.near_cut(cu_octahedron(e)) for e in (0.10, 0.33, 0.60)], [False, True, False])
        self.assertEqual(CL.site_kind(SiteModel("Zn2+ test", "Zn", 2, "tetrahedral", "O")), "tetrahedral")
        metal = sampler.metal_site("Cu", __import__("numpy").random.default_rng(1), 0)
        self.assertEqual((CL.site_kind(metal), sampler.effective_cn(metal)), ("metal", 12))

    def test_given_rows_when_tabulated_then_only_kinds_with_errors_are_listed(self):
        kinds = CL.by_kind(["a", "a", "b", "c"], [True, False, True, False])
        self.assertEqual(kinds, {"a": [1, 2], "b": [0, 1], "c": [1, 1]})
        self.assertEqual(CL.wrong_of([True, True, False, True], [True, False, False, False]), [2, 3])
        row = {"element": "Cu", "accuracy": 0.5, "wrong": 2, "fiveCoordinate": [1, 3], "nearCut": [0, 1],
               "byKind": kinds, "confusions": [("6 -> 4", 2)], "labelChangedAtCut": {"0.30": 0.1, "0.40": 0.05}}
        lines = CL.table([row])
        self.assertEqual(lines[2], "| Cu | 50.0 % | 1 / 3 (50 % of errors) | 0 / 1 (0 % of errors) | 10 % / 5 % | "
                                   "6 -> 4: 2 |")
        self.assertEqual(lines[-1], "Cu, wrong / n by kind of site: a 1/2; c 1/1")

    def test_the_mixture_of_two_windows_takes_the_mean_of_their_probabilities(self):
        import numpy as np
        # spectrum 0: both right; 1: xanes sure and right, wide unsure and wrong -> the mean is right;
        # 2: xanes unsure and right, wide sure and wrong -> the mean is wrong
        px = np.array([[0.9, 0.1], [0.95, 0.05], [0.55, 0.45]])
        pw = np.array([[0.8, 0.2], [0.45, 0.55], [0.1, 0.9]])
        acc = CL.window_accuracies(px, pw, np.array([0, 0, 0]))
        self.assertEqual(acc, {"xanes": 1.0, "wide": 1 / 3, "mixed": 2 / 3})
        row = {"element": "Co", "validation": {"xanes": 0.835, "wide": 0.853, "mixed": 0.848},
               "heldout": {"xanes": 0.87, "wide": 0.89, "mixed": 0.891}}
        self.assertEqual(CL.windows_table([row])[2], "| Co | 83.5 / 85.3 / 84.8 % | 87.0 / 89.0 / 89.1 % | -0.5, +0.1 |")


if __name__ == "__main__":
    unittest.main()
