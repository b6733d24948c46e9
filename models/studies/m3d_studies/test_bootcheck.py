"""The bootstrap check's arithmetic and the element's class restriction it shares with the pipeline:
`cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_bootcheck`."""
import contextlib
import io
import types
import unittest

import numpy as np
import torch

from m3d import pipeline as P, sampler
from . import bootcheck


class McNemarTest(unittest.TestCase):
    def test_gained_lost_and_exact_p(self):
        a = np.array([True, True, False, False, False, True])
        b = np.array([True, False, True, True, True, True])
        g, l, p = bootcheck.mcnemar(a, b)
        self.assertEqual((g, l), (3, 1))
        self.assertAlmostEqual(p, 0.625)  # two-sided binomial, 1 of 4 discordant pairs
        self.assertEqual(bootcheck.mcnemar(a, a), (0, 0, 1.0))


class RowTest(unittest.TestCase):
    def test_classifier_row_and_table(self):
        boot = {1: np.array([True, False, True, True]), 2: np.array([True, True])}
        seed = {1: np.array([True, True, True, True]), 2: np.array([False, True])}
        r = bootcheck.row("Co", "cn", boot, seed)
        self.assertEqual((r["validation"]["bootstrap"], r["validation"]["seed-only"]), (0.75, 1.0))
        self.assertEqual((r["validation"]["gained"], r["validation"]["lost"]), (1, 0))
        self.assertEqual((r["heldout"]["gained"], r["heldout"]["lost"], r["heldout"]["n"]), (0, 1, 2))
        text = bootcheck.format_rows([r], "cn")
        self.assertIn("| Co | 75.0 → 100.0 % (1 / 0, p 1) | 100.0 → 50.0 % (0 / 1, p 1) |", text)

    def test_pdf_row_and_table(self):
        m = lambda a, r: {"pdf_err_median": a, "dist_mae": r}  # noqa: E731
        r = bootcheck.row("Ni", "pdf", {1: m(60.0, 0.03), 2: m(61.0, 0.031)}, {1: m(58.0, 0.028), 2: m(59.5, 0.029)})
        self.assertIn("| Ni | 60.0 / 58.0 % | 61.0 / 59.5 % | 0.0300 / 0.0280 | 0.0310 / 0.0290 |",
                      bootcheck.format_rows([r], "pdf"))


class ArgumentTest(unittest.TestCase):
    def test_no_members_is_refused_before_any_work(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            bootcheck.main(["--members", "0"])

    def test_a_negative_number_of_more_blocks_is_refused_before_any_work(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            bootcheck.main(["--more-blocks", "-1"])


class ElementLogitsTest(unittest.TestCase):
    def test_oxidation_state_keeps_the_elements_states_only(self):
        classes = list(range(8))  # a net over every state 0..7
        p = types.SimpleNamespace(classes={"ox": classes, "cn": [2, 4, 6]})
        ei = sampler.ELEMENTS.index("Cu")
        outs = [torch.arange(16, dtype=torch.float32).reshape(2, 8)]
        kept, logits = P.element_logits(p, ei, "ox", outs)
        self.assertEqual(kept, list(sampler.OX_STATES["Cu"]))
        self.assertEqual(logits[0][0].tolist(), [float(c) for c in kept])
        kept, logits = P.element_logits(p, ei, "cn", [torch.zeros(1, 3)])
        self.assertEqual(kept, [2, 4, 6])  # every CN class of the net
        self.assertEqual(tuple(logits[0].shape), (1, 3))


if __name__ == "__main__":
    unittest.main()
