"""The card section: written between markers, replaced on a rerun, and the measured table's rows."""
import os
import tempfile
import unittest

from . import cards


class Section(unittest.TestCase):
    def test_inserted_before_the_limits_then_replaced_in_place(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "card.md")
            with open(path, "w") as fh:
                fh.write("# Card\n\n## Metrics\n\nx\n\n## Limits\n\n- y\n")
            cards.replace_section(path, ["## Trust", "", "first"])
            cards.replace_section(path, ["## Trust", "", "second"])
            with open(path) as fh:
                text = fh.read()
        self.assertEqual(text.count(cards.BEGIN), 1)
        self.assertIn("second", text)
        self.assertNotIn("first", text)
        self.assertLess(text.index("## Trust"), text.index("## Limits"))

    def test_measured_rows_in_element_order_then_all(self):
        t = {"n": 2, "right": 1, "trusted": 1, "trustedRight": 1, "uncertain": 1, "ood": 0, "trustedWrong": []}
        rows = cards.measured_rows({"Cu": t, "Mn": t, "all": dict(t, n=4, trusted=0, trustedRight=0)})
        self.assertEqual([r.split(" | ")[0] for r in rows[2:]], ["| Mn", "| Cu", "| all"])
        self.assertIn("| 1 (50 %) | 1 (100 %) | 0 | none |", rows[2])
        self.assertIn("| 0 (0 %) | – |", rows[4])


if __name__ == "__main__":
    unittest.main()
