"""fe_k.heldoutci: goals against kNN are resampled with their baseline, each verdict places the goal against the
interval, and the table formats ratios, rates and the calibration error.
Run: cd models/studies && /usr/bin/python3 -m unittest fe_k_studies.test_heldoutci   (< 1 s)"""
import unittest

import numpy as np

from fe_k_studies import heldoutci as H


def outcome_set(n=250, seed=3):
    rng = np.random.default_rng(seed)
    a_knn = rng.gamma(4.0, 5.0, n)
    e_knn = rng.gamma(2.0, 0.01, n)
    prob = np.full((n, 3), 0.1)
    prob[:, 1] = 0.8
    return {"a_net": 0.5 * a_knn, "a_knn": a_knn, "e_net": 0.9 * e_knn, "e_knn": e_knn,
            "cn_exact": rng.random(n) < 0.85, "cn_within1": np.ones(n, bool), "g2_inside": np.full(n, 0.95),
            "dist_inside": rng.random(n) < 0.95, "prob": prob, "y_idx": np.ones(n, int)}


class HeldoutGoalsTest(unittest.TestCase):
    def test_a_goal_against_knn_moves_with_knn_in_every_resample(self):
        rows = {r["goal"]: r for r in H.summarise(outcome_set(), 500)}
        pdf = rows["PDF (a) median, served / kNN"]
        # the ensemble's errors are half of kNN's pair by pair: the ratio is 0.5 in every resample
        self.assertAlmostEqual(pdf["interval"][0], 0.5)
        self.assertAlmostEqual(pdf["interval"][1], 0.5)
        self.assertEqual(pdf["verdict"], "met")
        self.assertEqual(rows["distance MAE, served / kNN"]["verdict"], "missed")   # 0.9 of kNN's
        self.assertEqual(rows["CN within ±1"]["verdict"], "met")
        self.assertEqual(rows["G2 inside ±2σ"]["verdict"], "met")

    def test_a_rate_near_its_goal_is_undecided_and_its_interval_holds_the_value(self):
        o = outcome_set()
        o["cn_exact"] = np.arange(250) % 10 != 0   # 90 % exactly
        row = {r["goal"]: r for r in H.summarise(o, 500)}["CN exact"]
        self.assertAlmostEqual(row["value"], 0.90)
        self.assertLess(row["interval"][0], 0.90)
        self.assertGreater(row["interval"][1], 0.90)
        self.assertEqual(row["verdict"], "undecided")

    def test_verdicts_for_upper_lower_and_two_sided_goals(self):
        self.assertEqual(H.verdict(0.5, 0.69, (None, 0.7)), "met")
        self.assertEqual(H.verdict(0.71, 0.9, (None, 0.7)), "missed")
        self.assertEqual(H.verdict(0.6, 0.8, (None, 0.7)), "undecided")
        self.assertEqual(H.verdict(0.91, 0.95, (0.90, None)), "met")
        self.assertEqual(H.verdict(0.80, 0.89, (0.90, None)), "missed")
        self.assertEqual(H.verdict(0.92, 0.97, (0.90, 0.98)), "met")
        self.assertEqual(H.verdict(0.985, 0.99, (0.90, 0.98)), "missed")
        self.assertEqual(H.verdict(0.97, 0.99, (0.90, 0.98)), "undecided")

    def test_given_rows_when_tabulated_then_ratios_rates_and_errors_have_their_own_formats(self):
        rows = [{"goal": "distance MAE, served / kNN", "value": 0.823, "interval": [0.72, 0.96],
                 "target": [None, 0.7], "kind": "ratio", "verdict": "missed"},
                {"goal": "CN exact", "value": 0.856, "interval": [0.812, 0.896], "target": [0.9, None],
                 "kind": "rate", "verdict": "missed"},
                {"goal": "G2 inside ±2σ", "value": 0.948, "interval": [0.938, 0.958], "target": [0.9, 0.98],
                 "kind": "rate", "verdict": "met"},
                {"goal": "CN expected calibration error", "value": 0.0401, "interval": [0.039, 0.094],
                 "target": [None, 0.05], "kind": "value", "verdict": "undecided"}]
        self.assertEqual(H.table(rows)[2:], [
            "| distance MAE, served / kNN | 0.82 | 0.72 – 0.96 | ≤ 0.7 | missed |",
            "| CN exact | 85.6 % | 81.2 % – 89.6 % | ≥ 90 % | missed |",
            "| G2 inside ±2σ | 94.8 % | 93.8 % – 95.8 % | 90 % – 98 % | met |",
            "| CN expected calibration error | 0.040 | 0.039 – 0.094 | ≤ 0.05 | undecided |"])


if __name__ == "__main__":
    unittest.main()
