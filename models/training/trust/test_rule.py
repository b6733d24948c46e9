"""The numpy verdicts against the cases of the Java VerdictsTest (the two must agree)."""
import unittest

import numpy as np

from . import rule as R

CLASSES = ["0", "1", "2"]
RULE = R.class_rule(0.8, ["1"])


class ClassVerdicts(unittest.TestCase):
    def verdict(self, p, ood=False, rule=RULE):
        return str(R.classes_verdicts(rule, CLASSES, np.array([p]), ood)[0])

    def test_a_confident_uncontradicted_answer_is_trusted_also_at_the_threshold(self):
        self.assertEqual(self.verdict([0.05, 0.05, 0.9]), R.TRUSTED)
        self.assertEqual(self.verdict([0.8, 0.1, 0.1]), R.TRUSTED)

    def test_an_ood_flag_wins_over_every_other_check(self):
        self.assertEqual(self.verdict([0.05, 0.05, 0.9], True), R.OOD)
        self.assertEqual(self.verdict([0.3, 0.3, 0.4], True), R.OOD)

    def test_under_the_threshold_or_contradicted_is_uncertain(self):
        self.assertEqual(self.verdict([0.1, 0.11, 0.79]), R.UNCERTAIN)
        self.assertEqual(self.verdict([0.0, 0.99, 0.01]), R.UNCERTAIN)

    def test_vectorised_over_spectra(self):
        v = R.classes_verdicts(RULE, CLASSES, np.array([[0, 0, 1], [0, 1, 0], [0.5, 0.5, 0]]), [False, False, True])
        self.assertEqual(list(v), [R.TRUSTED, R.UNCERTAIN, R.OOD])


class IntervalVerdicts(unittest.TestCase):
    RULE = R.interval_rule(0.2, 0.03)

    def test_pdf_at_the_limit_is_trusted_beyond_it_uncertain(self):
        self.assertEqual(str(R.pdf_verdicts(self.RULE, [[1, -1.5]], [[0.25, 0.25]], [False])[0]), R.TRUSTED)
        self.assertEqual(str(R.pdf_verdicts(self.RULE, [[1, -1.5]], [[0.375, 0.25]], [False])[0]), R.UNCERTAIN)
        self.assertEqual(str(R.pdf_verdicts(self.RULE, [[1, -1]], [[0.1, 0.1]], [True])[0]), R.OOD)

    def test_a_limit_of_zero_trusts_nothing(self):
        never = R.interval_rule(0.0, 0.0)
        self.assertEqual(str(R.pdf_verdicts(never, [[1, 1]], [[1e-4, 1e-4]], [False])[0]), R.UNCERTAIN)
        self.assertEqual(str(R.distance_verdicts(never, [1e-4], [False])[0]), R.UNCERTAIN)

    def test_distance(self):
        self.assertEqual(list(R.distance_verdicts(self.RULE, [0.03, 0.031, 0.01], [False, False, True])),
                         [R.TRUSTED, R.UNCERTAIN, R.OOD])


if __name__ == "__main__":
    unittest.main()
