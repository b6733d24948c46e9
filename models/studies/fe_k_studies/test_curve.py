"""The learning curve's subsets and trend arithmetic: `cd models/studies && /usr/bin/python3 -m unittest
fe_k_studies.test_curve`."""
import unittest

import numpy as np

from . import curve


class SubsetTest(unittest.TestCase):
    def test_subsets_are_nested_and_sized(self):
        a, b, c = (curve.subset(1000, f) for f in (0.125, 0.5, 1.0))
        self.assertEqual((len(a), len(b), len(c)), (125, 500, 1000))
        self.assertTrue(set(a) <= set(b) <= set(c))
        self.assertEqual(list(c), list(range(1000)))

    def test_subset_is_a_draw_not_the_first_rows(self):
        self.assertNotEqual(list(curve.subset(1000, 0.1)), list(range(100)))


class TrendTest(unittest.TestCase):
    NS = [250, 500, 1000, 2000]

    def test_per_doubling_is_the_slope_in_log2_n(self):
        self.assertAlmostEqual(curve.per_doubling(self.NS, [30, 28, 26, 24]), -2.0)

    def test_a_closing_gap_gives_the_doublings_left(self):
        # net 30 -> 24 (-2 per doubling), kNN 20 flat: goal 14, reached 10 / 2 = 5 doublings after 2000
        self.assertAlmostEqual(curve.doublings_to_goal(self.NS, [30, 28, 26, 24], [20] * 4), 5.0)

    def test_a_gap_that_widens_never_closes(self):
        # kNN improves faster than the network: 0.7 x kNN runs away
        self.assertIsNone(curve.doublings_to_goal(self.NS, [30, 28, 26, 24], [30, 26, 22, 18]))

    def test_a_goal_already_met_needs_no_more_data(self):
        self.assertEqual(curve.doublings_to_goal(self.NS, [12, 11, 10, 9], [20] * 4), 0.0)


class AggregateTest(unittest.TestCase):
    def test_means_over_seeds_beside_knn_and_the_cn_goal(self):
        fr = (0.5, 1.0)
        members = []
        for f, pdf, mae, cn in ((0.5, (22.0, 24.0), (0.02, 0.022), (0.80, 0.82)),
                                (1.0, (20.0, 22.0), (0.018, 0.02), (0.85, 0.87))):
            for s in range(2):
                members.append({"task": "pdf", "fraction": f,
                                "validation": {"pdf_a": pdf[s], "dist_mae": mae[s]},
                                "heldout": {"pdf_a": pdf[s], "dist_mae": mae[s]}})
                members.append({"task": "cn", "fraction": f, "validation": {"cn_exact": cn[s]},
                                "heldout": {"cn_exact": cn[s]}})
        knn = {f: {"n_train": int(1000 * f), "ks": {},
                   "validation": {"pdf_a": 20.0, "dist_mae": 0.02, "cn_exact": 0.84},
                   "heldout": {"pdf_a": 20.0, "dist_mae": 0.02, "cn_exact": 0.84}} for f in fr}
        res = curve.aggregate(members, knn, fr)
        row = res["table"][1]["validation"]
        self.assertAlmostEqual(row["pdf_a"]["mean"], 21.0)
        self.assertAlmostEqual(row["pdf_a"]["sd"], 1.0)
        self.assertEqual(row["pdf_a"]["n"], 2)
        t = res["trends"]["validation"]
        self.assertAlmostEqual(t["pdf_a"]["net_per_doubling"], -2.0)
        self.assertAlmostEqual(t["cn_exact"]["net_per_doubling"], 0.05)
        # CN 0.86 rising 0.05 per doubling reaches 0.90 after 0.8 doublings
        self.assertAlmostEqual(t["cn_exact"]["doublings_to_goal"], 0.8)
        # PDF: 21 -> goal 14 at -2 per doubling
        self.assertAlmostEqual(t["pdf_a"]["doublings_to_goal"], 3.5)
        text = curve.format_table(res)
        self.assertIn("| 1000 | 21.0 ± 1.0 % | 20.0 % |", text)
        # fitted on one doubling (500 -> 1000): 3.5 doublings lie beyond it, 0.8 inside
        self.assertIn("3.5 more doublings, beyond the 1 the trend was fitted on", text)
        self.assertIn("CN exact network +5.0, kNN +0.0 points, goal 90 %: 0.8 more doublings (x1.7 the complexes)",
                      text)

        # the cards: one row per fraction with the task's columns, both trend sentences
        pdf = "\n".join(curve.card_section(res, "pdf"))
        self.assertIn("| 1000 | 21.0 ± 1.0 % / 21.0 ± 1.0 % | 20.0 % / 20.0 % | 0.0190 ± 0.0010 / 0.0190 ± 0.0010 | "
                      "0.0200 / 0.0200 |", pdf)
        self.assertIn("Held-out, per doubling", pdf)
        cn = "\n".join(curve.card_section(res, "cn"))
        self.assertIn("| 500 | 81.0 ± 1.0 % / 81.0 ± 1.0 % | 84.0 % / 84.0 % |", cn)

    def test_reach_words(self):
        self.assertEqual(curve.reach(None, 4), "never on the fitted trend (the gap does not close)")
        self.assertEqual(curve.reach(0.0, 4), "met")


if __name__ == "__main__":
    unittest.main()
