"""`python3 -m trust` (from models/training; /usr/bin/python3): fits every served model's trust rule, measures it, and
writes the rules into models/manifest.json and the risk-coverage tables into the model cards.

Runs after `m3d all` and `fe_k all` (their export stages call it) on the committed graphs: nothing is retrained.
- simulated calibration: m3d models on the theory-shift validation structures (`simdata.resimulated(3)`, the export's
  own theory-shift set; the first run simulates it, ~1/3 of `m3d generate`), fe-k models on the fe-k validation pairs;
- measured: the 42 development spectra, answered as the service answers them (`measured`), contradictions fitted on
  all of them for the served rule and leave one compound out for every number reported;
- reported: per model and element, risk-coverage on the measured spectra (cross-validated), the theory-shift
  held-out structures and the nominal held-out sample (`models/m3d/heldout_sample.json.gz`), or the fe-k held-out
  pairs; saved in work/trust/trust.json, the manifest (`trust`, `metrics.trust`) and the cards.
--data: the XANESNET Fe K-edge data (fe-k validation and held-out)."""
import argparse
import os
import sys
import time

from . import cards, fek, manifest as MF, measured, m3dsim, report

DEFAULT_DATA = os.path.join(os.path.dirname(MF.REPO), "shared", "data", "xanesnet-fe-k")


def run(data_dir=DEFAULT_DATA, log=print):
    t0 = time.time()
    doc = MF.load()
    rules, sim = m3dsim.fit(doc, log)
    fe_rules, fe_sim = fek.fit(doc, data_dir, log)
    rules.update(fe_rules)
    sim.update(fe_sim)
    rows = measured.development_set(doc)
    result = report.measured_tables(rows, rules)
    rules = report.with_contradictions(rows, rules)
    metrics = report.metrics(doc, rules, sim, result)
    MF.save(MF.set_rules(doc, rules, metrics))
    cards.write(doc, rules, sim, result)
    report.save({"rules": rules, "simulated": sim, "measured": result, "seconds": time.time() - t0})
    log("trust: %d rules written in %.0f s" % (len(rules), time.time() - t0))
    return rules, sim, result


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m trust", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    run(ap.parse_args(argv).data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
