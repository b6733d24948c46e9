"""Path sum (pathsum.py) vs FEFF's own xmu.dat: zero perturbation must reproduce FEFF's chi / mu.
Run: cd models/training && /usr/bin/python3 -m unittest simulate.test_pathsum   (needs feff8l; ~2 s)"""
import shutil
import tempfile
import unittest

import numpy as np

from simulate import feff, pathsum
from simulate.structures import PHASES, Shell, SiteModel


def _text(site):
    txt = feff.feff_input(site, 300.0, 1)
    lines = [l for l in txt.splitlines() if not l.startswith("DEBYE")]
    return "\n".join("SIG2 0.00300" if l.startswith("SIG2") else l for l in lines) + "\n"


@unittest.skipUnless(shutil.which("feff8l"), "feff8l not installed")
class PathSumTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, site):
        res = feff.run_input(_text(site), self.tmp)
        r = pathsum.validate(res, 0.9, 0.003)
        self.assertLess(r["rms_chi_diff"], 0.05 * r["rms_chi_feff"], r)
        self.assertLess(r["max_abs_mu_diff"], 0.02, r)
        return res

    def test_oxide_site(self):
        self.check(SiteModel("t", "Mn", 3, "octahedral", "O", shells=(Shell("Mn", 6, 2.95), Shell("O", 8, 3.5))))

    def test_metal(self):
        self.check(PHASES["Cu"])

    def test_perturbation_moves_chi(self):
        res = self.check(SiteModel("t", "Fe", 2, "tetrahedral", "O", shells=(Shell("Fe", 4, 3.3),)))
        ps = pathsum.PathSet.from_paths(res.paths(), res.k)
        a = ps.chi(s02=0.9, sigma2=0.003)
        b = ps.chi(s02=0.9, sigma2=0.003, dr=0.05)
        c = ps.chi(s02=0.9, sigma2=0.01)
        m = res.k > 3
        self.assertGreater(np.sqrt(np.mean((a[m] - b[m]) ** 2)), 0.1 * np.sqrt(np.mean(a[m] ** 2)))
        self.assertLess(np.sqrt(np.mean(c[m] ** 2)), np.sqrt(np.mean(a[m] ** 2)))


if __name__ == "__main__":
    unittest.main()
