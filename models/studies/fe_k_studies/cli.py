"""What the fe_k studies' command lines share: the parser with --data (the XANESNET Fe K data, read in place), and
the cards' sections a study writes for the card writer."""
import argparse

from fe_k import settings


def parser(module, doc):
    """`python3 -m fe_k_studies.<module>` with `--data DIR` (default: settings.DEFAULT_DATA)."""
    ap = argparse.ArgumentParser(prog="python3 -m fe_k_studies." + module, description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=settings.DEFAULT_DATA)
    return ap


def write_card_sections(study, card_section, c):
    """The cards' sections of study `study` (its result `c`), committed as models/studies/results/fe_k_<study>_{pdf,cn}.md,
    which the card writer reads."""
    from fe_k import report
    for task in ("pdf", "cn"):
        report.write_study_section("fe_k_%s_%s" % (study, task), card_section(c, task))
