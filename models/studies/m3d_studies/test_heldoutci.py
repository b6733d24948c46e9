"""m3d.heldoutci: the interval comes from resampling whole structures, the verdict places the goal against it, and the
held-out rows are the served split plus every structure of later blocks.
Run: cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_heldoutci   (< 1 s)"""
import contextlib
import io
import unittest

import numpy as np

from fe_k_studies import heldoutci as FH
from m3d import generate as G
from m3d_studies import heldoutci as H


def clustered(n_structures, per_structure, acc, seed=1):
    """Structures whose variations are all right or all wrong, a share `acc` of them right."""
    right = np.random.default_rng(seed).random(n_structures) < acc
    return np.repeat(np.arange(n_structures), per_structure), np.repeat(right, per_structure)


class HeldoutIntervalTest(unittest.TestCase):
    def test_structures_answered_as_a_whole_give_a_wider_interval_than_independent_spectra(self):
        structures, correct = clustered(150, 40, 0.9)
        lo, hi = FH.interval(H.cluster_bootstrap(structures, correct, 2000))
        slo, shi = H.spectrum_interval(correct)
        # 150 effective samples instead of 6000: about sqrt(40) = 6.3 times wider
        self.assertGreater((hi - lo) / (shi - slo), 4.5)
        self.assertLess((hi - lo) / (shi - slo), 8.5)
        self.assertTrue(lo < np.mean(correct) < hi)

    def test_one_spectrum_per_structure_gives_the_binomial_interval(self):
        structures, correct = clustered(4000, 1, 0.9)
        lo, hi = FH.interval(H.cluster_bootstrap(structures, correct, 2000))
        slo, shi = H.spectrum_interval(correct)
        self.assertAlmostEqual(lo, slo, delta=0.003)
        self.assertAlmostEqual(hi, shi, delta=0.003)

    def test_structure_counts_sum_spectra_and_right_answers_per_structure(self):
        n, k = H.structure_counts([7, 3, 7, 7, 3], [True, False, False, True, True])
        self.assertEqual(n.tolist(), [2.0, 3.0])     # structures 3 and 7
        self.assertEqual(k.tolist(), [1.0, 2.0])

    def test_the_goal_is_met_missed_or_undecided_against_the_interval(self):
        # an accuracy goal has a lower bound only
        self.assertEqual(FH.verdict(0.951, 0.97, (0.95, None)), "met")
        self.assertEqual(FH.verdict(0.93, 0.949, (0.95, None)), "missed")
        self.assertEqual(FH.verdict(0.94, 0.96, (0.95, None)), "undecided")

    def test_held_out_rows_are_the_served_split_and_every_later_structure(self):
        later = G.id_offset(6)
        d = {"element": np.array([0, 0, 0, 0, 0, 1, 0]),
             "split": np.array([2, 0, 1, 0, 2, 2, 2]),
             "structure": np.array([5, 6, later + 1, later + 2, later + 3, 9, 8]),
             "theory": np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0])}
        # row 0: served held-out; rows 2-4: later blocks, any split; row 5: another element; row 6: not nominal
        self.assertEqual(H.heldout_rows(d, "Ti", 6).tolist(), [0, 2, 3, 4])
        self.assertEqual(H.heldout_rows(d, "Ti", 7).tolist(), [0, 4])

    def test_given_rows_when_tabulated_then_each_check_shows_both_intervals_and_the_verdict(self):
        s = {"accuracy": 0.9, "interval": [0.88, 0.92], "spectrumInterval": [0.895, 0.905], "goal": 0.95,
             "verdict": "missed", "structures": 160}
        line = H.table([{"element": "Ni", "ox": s, "oxr": s, "cn": dict(s, goal=0.9, verdict="undecided")}])[-1]
        self.assertEqual(line, "| Ni | 160 | 90.0 % [88.0, 92.0] [89.5, 90.5], 95 %: missed | "
                               "90.0 % [88.0, 92.0] [89.5, 90.5], 95 %: missed | "
                               "90.0 % [88.0, 92.0] [89.5, 90.5], 90 %: undecided |")

    def test_too_few_resamples_or_negative_blocks_are_refused_before_any_work(self):
        for argv in (["--reps", "10"], ["--more-blocks", "-1"]):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
                H.main(argv)


if __name__ == "__main__":
    unittest.main()
