"""m3d.oxerrors: structures are grouped by the share of their variations that are wrong, sites are named by state,
geometry and ligand, and the table shows the rows' counts.
Run: cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_oxerrors   (< 1 s)"""
import unittest

import numpy as np

from m3d_studies import oxerrors as OE
from m3d import sampler
from simulate.structures import SiteModel


class OxErrorsTest(unittest.TestCase):
    def test_structures_are_grouped_by_their_share_of_wrong_variations(self):
        # structure 1: none wrong; 2: 1 of 10 (few); 3: 5 of 10 (mixed); 4: 9 of 10 (most)
        structures = [1] * 10 + [2] * 10 + [3] * 10 + [4] * 10
        correct = [True] * 10 + [False] + [True] * 9 + [False] * 5 + [True] * 5 + [False] * 9 + [True]
        self.assertEqual(OE.structure_groups(structures, correct), {"none": 1, "few": 1, "mixed": 1, "most": 1})

    def test_a_site_is_named_by_its_state_geometry_and_ligand(self):
        self.assertEqual(OE.site_label(SiteModel("t", "Ni", 4, "octahedral", "O")), "Ni(4) octahedral O")
        self.assertEqual(OE.site_label(sampler.metal_site("Ni", np.random.default_rng(1), 0)), "metal")

    def test_given_rows_when_tabulated_then_groups_confusions_and_worst_kinds_are_shown(self):
        row = {"element": "Ni", "accuracy": 0.88, "structures": {"none": 93, "few": 60, "mixed": 45, "most": 4},
               "confusions": [("3 -> 4", 194)], "worstKinds": [["Ni(4) octahedral O", 174, 1519]]}
        lines = OE.table([row])
        self.assertEqual(lines[2], "| Ni | 88.0 % | 93 / 60 / 45 / 4 | 3 -> 4: 194 |")
        self.assertEqual(lines[-1], "Ni, most wrong spectra (wrong / n): Ni(4) octahedral O 174/1519")


if __name__ == "__main__":
    unittest.main()
