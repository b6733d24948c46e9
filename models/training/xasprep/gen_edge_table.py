#!/usr/bin/env python3
"""Generate services/core/.../edges/EdgeEnergyTable.java from the xraydb database.

Source of the numbers: the `xray_levels` table of xraydb (Debian python3-xraydb 4.4.7, the database Larch 0.9.58
uses), which holds the Elam, Ravel & Sieber tabulation (Radiat. Phys. Chem. 63 (2002) 121-128).
Only the standard library is used (sqlite3), so this runs with any python3 that can see the xraydb package files.

Usage:  /usr/bin/python3 models/training/xasprep/gen_edge_table.py [--out PATH]
"""
import argparse
import importlib.util
import os
import sqlite3

Z_MIN, Z_MAX = 20, 92
EDGES = ("K", "L1", "L2", "L3")
DEFAULT_OUT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "services", "core", "src", "main", "java",
                           "io", "xasstream", "core", "edges", "EdgeEnergyTable.java")


def xraydb_dir():
    spec = importlib.util.find_spec("xraydb")
    if spec is None or spec.origin is None:
        raise SystemExit("xraydb is not importable by this python (use /usr/bin/python3 on Debian)")
    return os.path.dirname(spec.origin)


def xraydb_version(pkg_dir):
    # _version.py holds a JSON blob; read it without importing xraydb (which needs numpy).
    import json, re
    text = open(os.path.join(pkg_dir, "_version.py")).read()
    m = re.search(r"version_json = '''(.*?)'''", text, re.S)
    return json.loads(m.group(1))["version"] if m else "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    pkg = xraydb_dir()
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(pkg, "xraydb.sqlite"), uri=True)
    symbols = [row[0] for row in db.execute("select element from elements order by atomic_number")]
    zs = [row[0] for row in db.execute("select atomic_number from elements order by atomic_number")]
    assert zs == list(range(1, len(zs) + 1)), "elements table is not 1..N"
    rows = []
    for z in range(Z_MIN, Z_MAX + 1):
        sym = symbols[z - 1]
        vals = dict(db.execute("select iupac_symbol, absorption_edge from xray_levels where element=?", (sym,)))
        rows.append((z, sym, [float(vals[e]) for e in EDGES]))
    dbver = list(db.execute("select tag from Version order by id desc limit 1"))[0][0]

    out = []
    w = out.append
    w("package io.xasstream.core.edges;")
    w("")
    w("/**")
    w(" * Absorption-edge energies (eV) for Z %d-%d and element symbols for Z 1-%d: GENERATED, do not edit." % (Z_MIN, Z_MAX, len(symbols)))
    w(" *")
    w(" * <p>Source: xraydb %s (database %s), table {@code xray_levels}: W.T. Elam, B.D. Ravel, J.R. Sieber," % (xraydb_version(pkg), dbver))
    w(" * Radiat. Phys. Chem. 63 (2002) 121-128 -- the tabulation Larch uses. Regenerate with")
    w(" * {@code /usr/bin/python3 models/training/xasprep/gen_edge_table.py}.")
    w(" */")
    w("final class EdgeEnergyTable {")
    w("    private EdgeEnergyTable() {}")
    w("")
    w("    static final int Z_MIN = %d;" % Z_MIN)
    w("    static final int Z_MAX = %d;" % Z_MAX)
    w("")
    w("    /** Symbols indexed by Z - 1. */")
    w("    static final String[] SYMBOLS = {")
    for i in range(0, len(symbols), 12):
        w("        " + " ".join('"%s",' % s for s in symbols[i:i + 12]))
    w("    };")
    w("")
    w("    /** Rows indexed by Z - Z_MIN; columns K, L1, L2, L3 (the order of {@link Edge}). */")
    w("    static final double[][] ENERGIES = {")
    for z, sym, v in rows:
        w("        {%s}, // %d %s" % (", ".join(repr(x) for x in v), z, sym))
    w("    };")
    w("}")
    with open(args.out, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("wrote", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
