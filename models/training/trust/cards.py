"""The trust section of each model card: the rule, its parameters, and risk-coverage tables (accuracy of the TRUSTED
answers against the share that gets one) on the measured development spectra (cross-validated) and on simulations.
The section sits between two markers; a card without them gets it before its limits section."""
import os
import re

from . import calibrate as C, manifest as MF, simdata

BEGIN, END = "<!-- trust: written by python3 -m trust -->", "<!-- /trust -->"
CARDS = {"m3d": os.path.join(MF.MODELS, "m3d", "MODEL_CARD_m3d.md"),
         "fe-k-pdf": os.path.join(MF.MODELS, "fe-k", "MODEL_CARD_fe-k-pdf.md"),
         "fe-k-cn": os.path.join(MF.MODELS, "fe-k", "MODEL_CARD_fe-k-cn.md")}
ELEMENTS = ("Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn")


def pct(v):
    return "–" if v is None else "%.1f %%" % (100 * v)


def measured_rows(table):
    """Markdown rows of a cross-validated measured table (calibrate.table), elements in ELEMENTS order, then all."""
    out = ["| element | n | top-1 right | TRUSTED (share) | TRUSTED right | OUT_OF_DISTRIBUTION | wrong but TRUSTED |",
           "|---|---|---|---|---|---|---|"]
    for g in [e for e in ELEMENTS if e in table] + ["all"]:
        t = table[g]
        out.append("| %s | %d | %d | %d (%.0f %%) | %s | %d | %s |" % (
            g, t["n"], t["right"], t["trusted"], 100.0 * t["trusted"] / t["n"],
            "%d (%.0f %%)" % (t["trustedRight"], 100.0 * t["trustedRight"] / t["trusted"]) if t["trusted"] else "–",
            t["ood"], ", ".join(t["trustedWrong"]) or "none"))
    return out


def class_sim_rows(sim, ids, sets):
    """Per model (element): for each simulated set, top-1, share TRUSTED, accuracy of the TRUSTED answers."""
    head = "| element | " + " | ".join("%s: n, top-1, TRUSTED share, TRUSTED right" % label for _, label in sets) + " |"
    out = [head, "|---|" + "---|" * len(sets)]
    for mid in ids:
        cells = []
        for key, _ in sets:
            r = sim[mid][key]
            cells.append("%d, %s, %s, %s" % (r["n"], pct(r["top1"]), pct(r["coverage"]), pct(r["trustedAccuracy"])))
        out.append("| %s | %s |" % (sim[mid]["element"], " | ".join(cells)))
    return out


def interval_sim_rows(sim, ids, key):
    out = ["| element | n | pseudo-PDF TRUSTED share | its PDF (a) ≤ %g %% (all answers) | distance TRUSTED share "
           "| within %g Å (all answers) |" % (C.PDF_TOLERANCE, C.DISTANCE_TOLERANCE), "|---|---|---|---|---|---|"]
    for mid in ids:
        r = sim[mid][key]
        out.append("| %s | %d | %s | %s (%s) | %s | %s (%s) |" % (
            sim[mid]["element"], r["n"], pct(r["pdfCoverage"]), pct(r.get("pdfTrustedWithinTolerance")),
            pct(r.get("pdfAllWithinTolerance")), pct(r["distanceCoverage"]),
            pct(r.get("distanceTrustedWithinTolerance")), pct(r.get("distanceAllWithinTolerance"))))
    return out


RULE_TEXT = (
    "Every answer carries a verdict (`InferenceResult` v3: `verdict` of `oxidationState`, `coordinationNumber`, "
    "`pdf`, `firstShellDistance`), computed by the service from the model's manifest `trust` block "
    "(`Verdicts.java`; Python twin `models/training/trust/rule.py`): **OUT_OF_DISTRIBUTION** when the model's OOD "
    "score exceeds its threshold; otherwise, for a classifier, **TRUSTED** when its top probability is at least "
    "`minProbability` and the predicted class is not `contradicted`, else **UNCERTAIN**; for a regressor, TRUSTED "
    "when its interval is narrow enough (pseudo-PDF: summed std ≤ `maxPdfRelativeStd` × summed |mean|; distance: "
    "std ≤ `maxDistanceStd`), else UNCERTAIN. `minProbability` and the limits are fitted on simulations (the "
    "threshold at which the kept answers are right ≥ %.0f %%; regressors: within PDF (a) ≤ %g %% or %g Å); "
    "`contradicted` lists the classes that a measured development spectrum answered wrongly although the rest of the "
    "rule trusted it, the only parameter fitted on measured spectra: every measured number below is "
    "leave-one-compound-out (each compound judged with the contradictions found on the others; one formula = one "
    "compound). Rebuilt by `cd models/training && /usr/bin/python3 -m trust` (also run by the export stages); the "
    "Java `MeasuredTrustTest` reproduces the measured tables through the service." % (
        100 * C.TARGET, C.PDF_TOLERANCE, C.DISTANCE_TOLERANCE))


def _rule_summary(rules, ids):
    r = rules[ids[0]]
    if r["rule"] == "classes":
        bad = ["%s: %s" % (i, ", ".join(rules[i]["contradicted"])) for i in ids if rules[i]["contradicted"]]
        return "minProbability %.2f; contradicted: %s" % (r["minProbability"], "; ".join(bad) or "none")
    return "maxPdfRelativeStd %.3f, maxDistanceStd %.4f Å" % (r["maxPdfRelativeStd"], r["maxDistanceStd"])


def m3d_section(doc, rules, sim, result):
    ids = {}
    for e in doc["models"]:
        if e["id"].startswith("m3d-"):
            ids.setdefault(e["id"].split("-k-", 1)[1], []).append(e["id"])
    th = sim["thresholds"]
    gap = lambda t: abs(t["validation"] - t["heldout"])  # noqa: E731
    lines = ["## Trust verdicts and risk–coverage (issue 33)", "", RULE_TEXT, "",
             "The m3d graphs of one task and window share one rule, fitted on the nine elements' answers together: "
             "per element, the thresholds that the validation and the held-out structures give differ by up to %.2f; "
             "pooled, by at most %.2f (table below). Simulations: the validation structures of the first %d served "
             "blocks re-simulated with every theory-side deviation tripled (the set the temperatures were fitted on); "
             "the tables report the held-out structures of the same set and the committed nominal held-out sample." % (
                 max(gap(t) for g in th.values() for t in g["perElement"].values()),
                 max(gap(g["pooled"]) for g in th.values()), simdata.BLOCKS), ""]
    lines += ["| graphs | rule |", "|---|---|"] + ["| `m3d-<el>-k-%s` | %s |" % (g, _rule_summary(rules, ids[g]))
                                                   for g in sorted(ids)] + [""]
    lines += ["Thresholds at %.0f %% that the theory-shift validation and held-out structures give (validation / "
              "held-out), pooled over the nine elements and per element:" % (100 * C.TARGET), "",
              "| graphs | pooled | " + " | ".join(ELEMENTS) + " |", "|---|---|" + "---|" * len(ELEMENTS)]
    for g in sorted(th):
        cell = lambda t: "%.2f / %.2f" % (t["validation"], t["heldout"])  # noqa: E731
        lines.append("| `%s` | %s | %s |" % (g, cell(th[g]["pooled"]),
                                              " | ".join(cell(th[g]["perElement"][el]) for el in ELEMENTS)))
    lines += [""]
    lines += ["### Oxidation state on the measured development spectra (leave one compound out)", ""]
    lines += measured_rows(result["oxidation_state"]["byElement"]) + [""]
    lines += ["### CN on the measured development spectra (leave one compound out; Fe includes the answers routed "
              "to fe-k-cn)", ""]
    lines += measured_rows(result["coordination_number"]["byElement"]) + [""]
    sets = (("theoryShiftHeldout", "theory-shift held-out"), ("heldoutSample", "nominal held-out sample"))
    for g, title in (("ox", "Oxidation state (xanes graphs, no reference channel)"), ("cn-wide", "CN, wide graphs"),
                     ("cn", "CN, xanes graphs")):
        lines += ["### %s on simulations" % title, ""] + class_sim_rows(sim, ids[g], sets) + [""]
    for g in ("pdf-wide", "pdf"):
        lines += ["### Pseudo-PDF and distance, `%s` graphs, theory-shift held-out" % g, ""]
        lines += interval_sim_rows(sim, ids[g], "theoryShiftHeldout") + [""]
    return lines


def fek_section(model, rules, sim, result):
    lines = ["## Trust verdicts and risk–coverage (issue 33)", "", RULE_TEXT, "",
             "Rule of `%s`: %s (fitted on the fe-k validation pairs)." % (model, _rule_summary(rules, [model])), ""]
    if model == "fe-k-cn":
        r = sim[model]["heldout"]
        lines += ["| held-out (%d pairs) | top-1 | TRUSTED share | TRUSTED right |" % r["n"], "|---|---|---|---|",
                  "| fe-k-cn | %s | %s | %s |" % (pct(r["top1"]), pct(r["coverage"]), pct(r["trustedAccuracy"])),
                  "", "Measured Fe spectra whose CN this model answered (routing), leave one compound out:", ""]
        by = {k.split("|")[1]: v for k, v in result["coordination_number"]["byModel"].items()
              if k.split("|")[0] == model}
        lines += (measured_rows(dict(by, all=by["Fe"])) if by else ["none"]) + [""]
    else:
        lines += ["Held-out pairs:", ""] + interval_sim_rows(sim, [model], "heldout") + [""]
    return lines


def replace_section(path, lines):
    with open(path) as fh:
        text = fh.read()
    block = BEGIN + "\n" + "\n".join(lines).rstrip() + "\n" + END
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda m: block, text, flags=re.S)
    else:
        m = re.search(r"^## Limit", text, flags=re.M)
        text = text[:m.start()] + block + "\n\n" + text[m.start():] if m else text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as fh:
        fh.write(text)


def write(doc, rules, sim, result, cards=CARDS):
    replace_section(cards["m3d"], m3d_section(doc, rules, sim, result))
    for model in ("fe-k-pdf", "fe-k-cn"):
        replace_section(cards[model], fek_section(model, rules, sim, result))
