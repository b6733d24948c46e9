"""m3d.edgebound: each theory scale is its own data set of the served blocks, scale 1 reuses the served nominal
shards where they have the same variations, and every spectrum of a one-scale data set counts in the metrics.
Run: cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_edgebound   (< 1 s)"""
import unittest
from unittest import mock

import numpy as np

from m3d import __main__ as M
from m3d_studies import edgebound as E
from m3d import generate as G
from m3d import pipeline as P


class EdgeBoundTest(unittest.TestCase):
    def test_given_a_scale_then_every_served_block_is_resimulated_with_the_same_seed(self):
        blocks = E.scale_tag(0.5).split("+")
        self.assertEqual(len(blocks), len(M.FULL["blocks"]))
        for bt, (ns, _, seed) in zip(blocks, M.FULL["blocks"]):
            self.assertEqual(G.parse_block_tag(bt), (ns, E.VARIATIONS, seed, 0.5))

    def test_scale_one_reuses_the_served_shards_of_blocks_with_as_many_variations(self):
        served = {G.block_tag(*b) for b in M.FULL["blocks"]}
        same = [b for b in M.FULL["blocks"] if b[1] == E.VARIATIONS]
        self.assertTrue(same)
        for ns, nv, seed in same:
            self.assertIn(G.block_tag(ns, nv, seed), set(E.scale_tag(1.0).split("+")) & served)
        self.assertFalse(set(E.scale_tag(0.0).split("+")) & served)

    def test_every_spectrum_of_a_one_scale_data_set_counts_in_the_metrics(self):
        d = {"x": np.zeros((4, 3)), "theory": np.full(4, 0.5)}
        self.assertEqual(int(P.is_nominal(d, np.arange(4)).sum()), 0)   # what the served metrics would count
        with mock.patch.object(E.T, "load_data", return_value=dict(d)):
            self.assertEqual(int(P.is_nominal(E.one_scale_data("any"), np.arange(4)).sum()), 4)

    def test_the_table_shows_validation_and_held_out_for_each_scale(self):
        r = {"validation_acc": 0.9, "heldout": {"acc": 0.95}}
        res = {"0": {"Ni": {"ox": r}}, "1": {"Ni": {"ox": dict(r, validation_acc=0.8)}}}
        self.assertEqual(E.table(res, [0.0, 1.0])[-1],
                         "| Ni | ox (xanes) | 90.0 / 95.0 % | 80.0 / 95.0 % | 95 %: 1.00 (edge ±2.0 eV) |")

    def test_the_goal_is_read_off_the_curve_between_the_scales_that_bracket_it(self):
        self.assertAlmostEqual(E.goal_scale([(0.0, 0.99), (0.5, 0.96), (1.0, 0.92)], 0.95), 0.625)
        self.assertAlmostEqual(E.goal_scale([(1.0, 0.92), (0.0, 0.97)], 0.95), 0.4)
        self.assertEqual(E.goal_scale([(0.0, 0.93), (1.0, 0.88)], 0.95), None)
        self.assertEqual(E.goal_scale([(0.0, 0.99), (1.0, 0.96)], 0.95), 1.0)

    def test_scales_must_be_distinct_and_not_negative(self):
        for bad in (["-1"], ["0", "0"]):
            with self.assertRaises(SystemExit):
                E.main(["--scales"] + bad)


if __name__ == "__main__":
    unittest.main()
