"""Fitting the rules: the threshold, the interval limit, contradictions and leave-one-compound-out."""
import unittest

import numpy as np

from . import calibrate as C, rule as R


def answer(model, classes, p, ood=False):
    return {"entry": {"id": model, "classes": classes}, "out": {"probabilities": np.asarray(p, float)},
            "ood": ood, "ratio": 0.5}


def row(file, compound, label, a, element="Cu"):
    return {"file": file, "element": element, "compound": compound, "ox": label, "cn": None,
            "answers": {"oxidation_state": a}}


RIGHT = lambda label, pred: float(label) == float(pred)  # noqa: E731


class Threshold(unittest.TestCase):
    def test_the_smallest_threshold_whose_kept_answers_reach_the_target(self):
        # 100 answers: top probability i/100; the 20 least confident are wrong
        top = np.arange(100) / 100.0
        right = top >= 0.2
        self.assertEqual(C.min_probability(top, right, np.zeros(100, bool), target=0.95, min_kept=10), 0.5)
        # wrong up to 0.85: from 0.85 one wrong in 15 (93 %), from 0.86 none in 14
        right = top > 0.85
        self.assertEqual(C.min_probability(top, right, np.zeros(100, bool), target=0.95, min_kept=10), 0.86)

    def test_ood_answers_are_not_kept_and_too_few_answers_choose_nothing(self):
        top = np.full(40, 0.99)
        right = np.arange(40) >= 10
        ood = ~right
        self.assertEqual(C.min_probability(top, right, ood, min_kept=30), 0.5)
        self.assertEqual(C.min_probability(top, right, ood, min_kept=31), 1.0)

    def test_interval_limit_is_the_widest_with_enough_right(self):
        width = np.arange(1, 101) / 100.0
        ok = width <= 0.6
        # cumulative share right stays 1 to 0.6, then 60/63 = 0.952 at 0.63, 60/64 < 0.95
        self.assertAlmostEqual(C.interval_limit(width, ok, target=0.95, min_kept=10), 0.63)
        # when not even the narrowest answers reach the target, nothing is trusted
        self.assertEqual(C.interval_limit(width, width > 0.9, target=0.95, min_kept=10), 0.0)


class Contradictions(unittest.TestCase):
    RULES = {"cu-ox": R.class_rule(0.8)}
    ROWS = [row("tenorite", "CuO", "2", answer("cu-ox", ["0", "1", "2"], [0, 0.92, 0.08])),
            row("azurite", "Cu3(CO3)2(OH)2", "2", answer("cu-ox", ["0", "1", "2"], [0, 0.96, 0.04])),
            row("cuprite", "Cu2O", "1", answer("cu-ox", ["0", "1", "2"], [0, 0.84, 0.16])),
            row("cuso4", "CuSO4", "2", answer("cu-ox", ["0", "1", "2"], [0, 0.54, 0.46])),
            row("foil a", "Cu", "0", answer("cu-ox", ["0", "1", "2"], [0.97, 0.03, 0])),
            row("foil b", "Cu", "0", answer("cu-ox", ["0", "1", "2"], [0.96, 0.04, 0]))]

    def test_a_class_is_contradicted_by_a_wrong_answer_the_rule_trusted_not_by_an_uncertain_one(self):
        self.assertEqual(C.contradicted(self.ROWS, self.RULES, "oxidation_state", RIGHT), {"cu-ox": {"1"}})
        self.assertEqual(C.contradicted(self.ROWS[2:], self.RULES, "oxidation_state", RIGHT), {})

    def test_leave_one_compound_out_judges_each_compound_by_the_others(self):
        v = {r["file"]: verdict for r, verdict, _, _ in C.loco(self.ROWS, self.RULES, "oxidation_state", RIGHT)}
        # each Cu(II) mineral is caught by the other; the metals share a compound and are trusted
        self.assertEqual(v, {"tenorite": R.UNCERTAIN, "azurite": R.UNCERTAIN, "cuprite": R.UNCERTAIN,
                             "cuso4": R.UNCERTAIN, "foil a": R.TRUSTED, "foil b": R.TRUSTED})
        t = C.table(C.loco(self.ROWS, self.RULES, "oxidation_state", RIGHT), lambda r: r["element"])["all"]
        self.assertEqual((t["n"], t["right"], t["trusted"], t["trustedRight"], t["trustedWrong"]), (6, 3, 2, 2, []))

    def test_a_unique_failure_is_not_caught_by_its_own_contradiction(self):
        v = C.loco(self.ROWS[1:], self.RULES, "oxidation_state", RIGHT)
        self.assertEqual([r["file"] for r, verdict, _, ok in v if verdict == R.TRUSTED and not ok], ["azurite"])


if __name__ == "__main__":
    unittest.main()
