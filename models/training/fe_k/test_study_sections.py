"""The cards quote the studies from their committed results (models/studies/results/), never from a run on this
machine: every section the card writers name is committed, and the committed cards hold it verbatim.
Run: cd models/training && /usr/bin/python3 -m unittest fe_k.test_study_sections   (< 1 s)"""
import os
import unittest

from fe_k import report as FR
from m3d import report as MR

FE_K = {"fe-k-pdf": ("fe_k_ceiling_pdf", "fe_k_curve_pdf"), "fe-k-cn": ("fe_k_ceiling_cn", "fe_k_curve_cn")}


def card(path):
    with open(path) as fh:
        return fh.read()


class StudySectionTest(unittest.TestCase):
    def test_each_fe_k_card_holds_its_committed_study_sections(self):
        for model, names in FE_K.items():
            text = card(os.path.join(FR.PLOTS, "..", "MODEL_CARD_%s.md" % model))
            for name in names:
                section = "\n".join(FR.study_section(name))
                self.assertTrue(section.startswith("## "), name)
                self.assertIn(section, text, name)

    def test_the_m3d_card_holds_its_committed_study_sections(self):
        text = card(MR.CARD)
        for name in MR.STUDY_SECTIONS:
            self.assertIn("\n".join(FR.study_section(name)) + "\n\n", text, name)

    def test_a_written_section_reads_back_line_for_line(self):
        lines = ["## A study", "", "| a | b |", ""]
        old = FR.STUDY_RESULTS
        FR.STUDY_RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "work", "test_sections")
        try:
            FR.write_study_section("x", lines)
            self.assertEqual(FR.study_section("x"), lines)
        finally:
            FR.STUDY_RESULTS = old


if __name__ == "__main__":
    unittest.main()
