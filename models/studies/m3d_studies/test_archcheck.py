"""m3d.archcheck (and its card_section): each variant is the net it names, on both input windows, and the
card's architecture section is computed from the saved rows (gains against the served MLP, missing cells shown).
Run: cd models/studies && /usr/bin/python3 -m unittest m3d_studies.test_archcheck   (< 1 s)"""
import unittest

import torch

from m3d_studies import archcheck as AC
from m3d import train as T


def row(el, variant, train, val, held):
    return {"element": el, "variant": variant, "train": train, "validation": val, "heldout": held}


class ArchcheckTest(unittest.TestCase):
    def test_every_variant_maps_a_batch_of_spectra_to_one_logit_per_class_on_both_windows(self):
        for n_in in (181, 441):
            for v in AC.VARIANTS:
                net = AC.make_net(v, n_in, 4).eval()
                with torch.no_grad():
                    self.assertEqual(tuple(net(torch.zeros(3, n_in)).shape), (3, 4), (v, n_in))

    def test_the_mlp_variant_is_the_served_set_up_and_the_others_differ(self):
        def sizes(net):
            return [tuple(p.shape) for p in net.parameters()]
        self.assertEqual(sizes(AC.make_net("mlp", 181, 3)), sizes(T.MLP(181, 3)))
        self.assertNotEqual(sizes(AC.make_net("mlp256x3", 181, 3)), sizes(T.MLP(181, 3)))
        with self.assertRaises(ValueError):
            AC.make_net("transformer", 181, 3)

    def test_given_saved_rows_when_the_card_section_is_written_then_gains_and_gaps_come_from_them(self):
        rows = [row("Ti", "mlp", 0.90, 0.88, 0.87), row("Ti", "cnn", 0.92, 0.90, 0.88),
                row("Ni", "mlp", 0.95, 0.85, 0.84), row("Ni", "cnn", 0.96, 0.86, 0.87)]
        text = "\n".join(AC.card_section({"task": "cn", "window": "wide", "rows": rows, "seconds": 12}))
        self.assertIn("### Architecture of the CN net, wide window (`python3 -m m3d.archcheck --task cn --window wide`", text)
        self.assertIn("| Ti | 90.0 / 88.0 / 87.0 | — | 92.0 / 90.0 / 88.0 |", text)
        self.assertIn("*cnn* validation +1.5 (+1.0 … +2.0), held-out +2.0 (+1.0 … +3.0)", text)
        self.assertIn("*mlp256x3* validation —", text)
        self.assertIn("2.0 … 10.0 points better than the validation ones", text)


if __name__ == "__main__":
    unittest.main()
