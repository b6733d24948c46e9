"""Theory-randomised copies (generate.beam_spectrum `theory`) and the split they share with the nominal spectra.
Run: cd models/training && /usr/bin/python3 -m unittest m3d.test_theory   (needs feff8l; ~5 s)"""
import os
import shutil
import tempfile
import unittest

import numpy as np

from m3d import generate as G
from m3d import sampler
from m3d import train as T
from simulate import edge as edge_model
from simulate import feff, pathsum
from simulate import spectrum as S
from simulate.elements import absorber


class BlockTagTest(unittest.TestCase):
    def test_block_tags_round_trip_with_and_without_a_theory_scale(self):
        self.assertEqual(G.parse_block_tag(G.block_tag(150, 40, 20261126)), (150, 40, 20261126, 1.0))
        self.assertEqual(G.parse_block_tag(G.block_tag(100, 20, 20261125, 2.0)), (100, 20, 20261125, 2.0))
        self.assertNotEqual(G.block_tag(100, 20, 20261125, 2.0), G.block_tag(100, 20, 20261125))

    def test_a_per_part_theory_scale_round_trips_and_one_common_factor_is_just_the_number(self):
        edge_exact = G.TheoryScale(edge=0.0)
        bt = G.block_tag(300, 20, 20261129, edge_exact)
        self.assertEqual(G.parse_block_tag(bt), (300, 20, 20261129, edge_exact))
        self.assertEqual(G.TheoryScale.parse("edge=0"), edge_exact)
        self.assertNotEqual(bt, G.block_tag(300, 20, 20261129, 0.0))
        self.assertEqual(G.block_tag(300, 20, 20261129, G.TheoryScale(0.5, 0.5, 0.5, 0.5)),
                         G.block_tag(300, 20, 20261129, 0.5))
        self.assertEqual(G.block_tag(300, 20, 20261129, G.TheoryScale()), G.block_tag(300, 20, 20261129))
        self.assertTrue(np.isnan(edge_exact.common()))   # its spectra are neither nominal nor a theory copy
        with self.assertRaises(ValueError):
            G.TheoryScale.parse("edges=0")


class MoreBlocksTest(unittest.TestCase):
    def test_a_candidate_data_set_adds_blocks_with_the_next_seeds_under_its_own_name(self):
        from m3d import __main__ as M
        more = M.with_more_blocks(M.FULL, 2)
        last = M.FULL["blocks"][-1][2]
        self.assertEqual(more["blocks"][:len(M.FULL["blocks"])], M.FULL["blocks"])
        self.assertEqual(more["blocks"][len(M.FULL["blocks"]):], [M.MORE_BLOCK + (last + 1,), M.MORE_BLOCK + (last + 2,)])
        self.assertEqual(more["theory_blocks"], M.FULL["theory_blocks"])
        self.assertNotEqual(T.data_path(M.data_tag(more)), T.data_path(M.data_tag(M.FULL)))
        self.assertEqual(M.with_more_blocks(M.FULL, 0), M.FULL)


class FileKeyTest(unittest.TestCase):
    def test_a_tag_of_many_blocks_becomes_a_short_distinct_file_name(self):
        blocks = [G.block_tag(300, 20, G.SEED + i) for i in range(12)]
        long_a, long_b = "+".join(blocks), "+".join(blocks[:-1] + [G.block_tag(300, 20, G.SEED + 99)])
        self.assertLessEqual(len(T.file_key(long_a)), 100)
        self.assertTrue(T.file_key(long_a).startswith(blocks[0] + "+"))
        self.assertNotEqual(T.file_key(long_a), T.file_key(long_b))
        self.assertEqual(T.file_key("+".join(blocks[:2])), "+".join(blocks[:2]))


class StructureRolesTest(unittest.TestCase):
    def test_roles_are_seeded_per_element_and_split_70_15_15(self):
        role = T.structure_roles(3, 5000)
        self.assertTrue(np.array_equal(role, T.structure_roles(3, 5000)))
        self.assertFalse(np.array_equal(role, T.structure_roles(4, 5000)))
        self.assertAlmostEqual(float(np.mean(role == 0)), 0.70, delta=0.02)
        self.assertAlmostEqual(float(np.mean(role == 1)), 0.15, delta=0.015)
        self.assertAlmostEqual(float(np.mean(role == 2)), 0.15, delta=0.015)

    def test_adding_structures_keeps_the_roles_of_the_earlier_ones(self):
        self.assertTrue(np.array_equal(T.structure_roles(3, 5000)[:3200], T.structure_roles(3, 3200)))

    def test_assembling_a_subset_of_elements_keeps_each_elements_own_index_and_roles(self):
        # Given shards of Ni and Cu (as `m3d generate --elements` leaves them)
        tmp = tempfile.mkdtemp()
        old = G.CACHE, T.WORK
        try:
            G.CACHE, T.WORK = tmp, tmp
            bt = G.block_tag(40, 2, 7)
            folder = os.path.join(tmp, G.SHARDS, bt)
            os.makedirs(folder)
            width = G.WINDOWS[G.SHARD_WINDOW][2]
            for el in ("Ni", "Cu"):
                for sid in range(40):
                    np.savez(os.path.join(folder, "%s_%04d.npz" % (el, sid)), x=np.zeros((2, width), np.float32),
                             g2=np.zeros((2, 32), np.float32), dist=np.full(2, 2.0, np.float32), ox=np.full(2, 2),
                             cn=np.full(2, 6), structure=np.full(2, sid), e0=np.full(2, 8340.0),
                             offset=np.zeros(2), rejected=np.array(0), geometry=np.array("octahedral"),
                             ligand=np.array("O"))
            # When they are assembled on their own (and later with Cu, which must not reuse the Ni-only file)
            T.assemble(bt, elements=["Ni"])
            d = T.load_data(bt)
            T.assemble(bt, elements=["Ni", "Cu"])
            both = T.load_data(bt)
        finally:
            G.CACHE, T.WORK = old
            shutil.rmtree(tmp)
        # Then they carry Ni's index and the roles drawn for Ni, as in an assembly of all elements
        ni = sampler.ELEMENTS.index("Ni")
        self.assertTrue(np.all(d["element"] == ni))
        self.assertTrue(np.array_equal(d["split"], T.structure_roles(ni, 40)[d["structure"]]))
        self.assertEqual(set(both["element"].tolist()), {ni, sampler.ELEMENTS.index("Cu")})


@unittest.skipUnless(shutil.which("feff8l"), "feff8l not installed")
class TheoryScaleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        el = "Cu"
        # a site with bound-state lines, so that every part of the theory scale acts on it
        site, cs = [s for s in sampler.sites_for(el, 24, G.SEED) if not s[0].is_metal and edge_model.bound_lines(
            el, s[0].oxidation_state, s[0].edge_geometry, s[0].ligand, 1.0)][0]
        res = feff.run_input(G.feff_text(site, cs), self.tmp)
        ps = pathsum.PathSet.from_paths(res.paths(), res.k)
        ab = absorber(el)
        self.args = (site, res, ps)
        self.el, self.ab, self.align = el, ab, S.align_offset(el)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def spectrum(self, theory):
        site, res, ps = self.args
        rng = np.random.default_rng(7)
        return G.beam_spectrum(site, res, ps, rng, self.el, self.ab, self.ab.core_width_ev, self.align, theory)

    def test_a_theory_copy_keeps_the_beamline_draws_and_changes_the_spectrum(self):
        e1, m1, f1 = self.spectrum(1.0)
        e2, m2, f2 = self.spectrum(2.0)
        # same structure draws (expansion, first-shell shift, outer amplitude, calibration offset)
        self.assertEqual(f1, f2)
        # the scan grid is the beamline's: placed at the continuum edge, which the theory scale moves
        self.assertEqual(len(e1), len(e2))
        self.assertGreater(float(np.max(np.abs(m1 - m2))), 1e-3)

    def test_each_part_of_the_theory_scale_changes_the_spectrum_and_all_parts_are_the_number(self):
        _, nominal, _ = self.spectrum(1.0)
        for part in G.TheoryScale.PARTS:
            _, m, _ = self.spectrum(G.TheoryScale(**{part: 0.0}))
            self.assertGreater(float(np.max(np.abs(m - nominal))), 1e-4, part)
        e0, m0, _ = self.spectrum(0.0)
        e, m, _ = self.spectrum(G.TheoryScale(0.0, 0.0, 0.0, 0.0))
        np.testing.assert_array_equal(e, e0)
        np.testing.assert_array_equal(m, m0)

    def test_a_metal_site_takes_a_per_part_scale_and_its_nominal_parts_are_scale_one(self):
        el = "Cu"
        site, cs = [s for s in sampler.sites_for(el, 24, G.SEED) if s[0].is_metal][0]
        res = feff.run_input(G.feff_text(site, cs), os.path.join(self.tmp, "metal"))
        ps = pathsum.PathSet.from_paths(res.paths(), res.k)

        def spectrum(theory):
            return G.beam_spectrum(site, res, ps, np.random.default_rng(7), el, self.ab, self.ab.core_width_ev,
                                   self.align, theory)
        e1, m1, _ = spectrum(1.0)
        e, m, _ = spectrum(G.TheoryScale())
        np.testing.assert_array_equal(e, e1)
        np.testing.assert_array_equal(m, m1)
        # a metal has no bound-state lines, so the exact edge moves the whole scan with it
        e0, _, _ = spectrum(G.TheoryScale(edge=0.0))
        self.assertGreater(float(np.max(np.abs(e0 - e1))), 1e-3)

    def test_the_nominal_scale_is_reproducible(self):
        e1, m1, _ = self.spectrum(1.0)
        e2, m2, _ = self.spectrum(1.0)
        np.testing.assert_array_equal(e1, e2)
        np.testing.assert_array_equal(m1, m2)


if __name__ == "__main__":
    unittest.main()
