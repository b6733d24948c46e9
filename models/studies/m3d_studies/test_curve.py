"""m3d.curve: the gain per doubling is read from the last two points, the doublings to the goal from that gain, and
the table shows every point.
Run: cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_curve   (< 1 s)"""
import unittest

from m3d_studies import curve as C


def point(n, val, held):
    return {"n_train": n, "validation_acc": val, "heldout_acc": held}


class CurveTest(unittest.TestCase):
    def test_the_gain_per_doubling_comes_from_the_last_two_points(self):
        pts = [point(1000, 0.70, 0.71), point(2000, 0.80, 0.79), point(8000, 0.84, 0.85)]
        self.assertAlmostEqual(C.last_doubling_gain(pts, "validation_acc"), 0.02)
        self.assertAlmostEqual(C.last_doubling_gain(pts, "heldout_acc"), 0.03)

    def test_the_doublings_to_the_goal_go_on_at_the_last_gain(self):
        pts = [point(1000, 0.80, 0.91), point(2000, 0.84, 0.90)]
        self.assertAlmostEqual(C.doublings_to_goal(pts, "validation_acc", 0.90), 1.5)
        self.assertIsNone(C.doublings_to_goal(pts, "heldout_acc", 0.95))   # the last step lost accuracy
        self.assertEqual(C.doublings_to_goal(pts, "heldout_acc", 0.90), 0.0)   # already there

    def test_given_a_curve_when_tabulated_then_each_point_the_last_gain_and_the_doublings_are_shown(self):
        curve = {"Cu": {"cn": [point(1000, 0.70, 0.71), point(2000, 0.80, 0.79)]},
                 "Zn": {"ox": [point(1000, 1.0, 0.96), point(2000, 1.0, 0.96)]}}
        rows = C.table(curve)
        self.assertEqual(rows[-2], "| Cu | cn | 1000 → 70.0 / 71.0 %, 2000 → 80.0 / 79.0 % | "
                                   "+10.0 / +8.0 points | 90 %: 1.0 / 1.4 |")
        self.assertEqual(rows[-1], "| Zn | ox | 1000 → 100.0 / 96.0 %, 2000 → 100.0 / 96.0 % | "
                                   "+0.0 / +0.0 points | 95 %: met / met |")

    def test_fractions_must_rise_and_stay_within_the_training_set(self):
        for bad in (["1.0"], ["0.5", "0.25"], ["0.5", "1.5"], ["0", "1"]):
            with self.assertRaises(SystemExit):
                C.main(["--fractions"] + bad)

    def test_the_result_file_names_tasks_and_window(self):
        self.assertEqual(C.result_name(["cn"], "wide"), "learning_curve_cn_wide")


if __name__ == "__main__":
    unittest.main()
