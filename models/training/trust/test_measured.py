"""The development-set twin of the service: specs from the manifest, compounds, the mixed-valence label."""
import unittest

from fe_k import data as FD
from m3d import generate as G

from . import manifest as MF, measured as MS


class Specs(unittest.TestCase):
    def test_every_served_input_block_gives_the_training_packages_own_spec(self):
        doc = MF.load()
        seen = 0
        for e in doc["models"]:
            if e["id"].startswith("m3d-"):
                window = "wide" if e["input"]["grid"]["count"] == G.window_width("wide") else "xanes"
                self.assertEqual(MS.spec_of(e), G.spec(window), e["id"])
                seen += 1
            elif e["id"].startswith("fe-k-"):
                self.assertEqual(MS.spec_of(e), FD.SPECS[FD.DEFAULT_SPEC], e["id"])
                seen += 1
        self.assertEqual(seen, len(doc["models"]))


class Labels(unittest.TestCase):
    def test_one_formula_is_one_compound(self):
        a = {"element": "Fe", "formula": "Fe2O3"}
        self.assertEqual(MS.compound(a), MS.compound({"element": "Fe", "formula": "Fe2O3", "sample": "hematite"}))
        self.assertNotEqual(MS.compound(a), MS.compound({"element": "Fe", "formula": "FeOOH"}))

    def test_a_mixed_valence_label_is_right_for_either_state(self):
        self.assertTrue(MS.ox_right("2.67", 2) and MS.ox_right("2.67", 3))
        self.assertFalse(MS.ox_right("2.67", 4))
        self.assertTrue(MS.ox_right("4", "4") and not MS.ox_right("4", 3))


if __name__ == "__main__":
    unittest.main()
