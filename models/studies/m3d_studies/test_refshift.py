"""The inputs of the reference-channel exploration (m3d.refshift) and its held-out selection.
Run: cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_refshift   (no data needed; < 1 s)"""
import unittest

import numpy as np

from m3d_studies import refshift as R
from m3d import sampler
from m3d import train as T


def _data(n=6, width=4):
    rng = np.random.default_rng(0)
    return {"x": rng.random((n, width)).astype(np.float32), "c": rng.normal(5, 3, n),
            "m": np.array([1.0, 0.0] * (n // 2))}


class FeaturesTest(unittest.TestCase):
    def test_the_shape_variants_see_the_spectrum_only(self):
        d = _data()
        np.testing.assert_array_equal(R.features(d, "shape"), d["x"].astype(np.float64))
        np.testing.assert_array_equal(R.features(d, "wide"), d["x"].astype(np.float64))

    def test_shape_plus_c_appends_the_calibrated_edge_position(self):
        d = _data()
        f = R.features(d, "shape+c")
        self.assertEqual(f.shape, (6, 5))
        np.testing.assert_array_equal(f[:, -1], d["c"])

    def test_the_classic_method_sees_the_edge_position_alone(self):
        d = _data()
        np.testing.assert_array_equal(R.features(d, "c only"), d["c"][:, None])

    def test_masked_input_hides_c_where_no_reference_channel_is_drawn(self):
        d = _data()
        f = R.features(d, "masked")
        self.assertEqual(f.shape, (6, 6))
        np.testing.assert_array_equal(f[:, -1], d["m"])
        np.testing.assert_array_equal(f[:, -2], d["c"] * d["m"])
        self.assertTrue(np.all(f[d["m"] == 0, -2] == 0))

    def test_evaluation_can_force_the_reference_channel_on_or_off(self):
        d = _data()
        on, off = R.features(d, "masked", 1), R.features(d, "masked", 0)
        np.testing.assert_array_equal(on[:, -2], d["c"])
        np.testing.assert_array_equal(off[:, -2:], np.zeros((6, 2)))


class HeldOutTest(unittest.TestCase):
    def test_the_ladder_re_simulates_exactly_the_served_held_out_structures(self):
        keep = R.held_out(["V", "Cu"])
        for el in ("V", "Cu"):
            roles = T.structure_roles(sampler.ELEMENTS.index(el), 300)
            picked = [sid for sid in range(300) if keep(el, sid)]
            self.assertEqual(picked, list(np.flatnonzero(roles == 2)))
            self.assertGreater(len(picked), 20)


if __name__ == "__main__":
    unittest.main()
