"""Read XDI and plain whitespace-column spectrum files, and derive mu from them as beamlines do (numpy only).

mu rule: a column named mutrans, mu, normtrans, mufluor or xanes (FDMNES output) is used as is (first found, in that
order); else i0 with itrans (or i1) gives ln(i0/itrans); else i0 with ifluor gives ifluor/i0; else a file of exactly
two columns is read as energy, mu. A reference-foil channel, where present, is mu_ref = ln(itrans/irefer) (the foil
sits after the sample, between the transmission and reference chambers), or a column named murefer as is.

Column names come from XDI `Column.N:` headers, else from the last header line before the data (a `#` comment or a
non-numeric line, as FDMNES writes), lower-cased with surrounding <> removed.
"""
import numpy as np

DIRECT_MU = ("mutrans", "mu", "normtrans", "mufluor", "xanes")


def read_columns(path):
    """Return (column names, 2-D array rows x cols, header dict with lower-cased keys) of an XDI or column file."""
    names, header, rows, last_comment = {}, {}, [], None
    with open(path) as fh:
        for line in fh:
            s = line.strip()
            if not s:
                continue
            if not s.startswith("#") and not rows and not _numeric(s):
                last_comment = s  # a non-comment header line before the data (FDMNES: "FDMNES", "energy <xanes>")
                continue
            if s.startswith("#"):
                body = s.lstrip("#").strip()
                last_comment = body
                if ":" in body:
                    key, _, val = body.partition(":")
                    key, val = key.strip(), val.strip()
                    header[key.lower()] = val
                    if key.lower().startswith("column."):
                        idx = int(key.split(".")[1]) - 1
                        names[idx] = val.split()[0].lower() if val else "col%d" % (idx + 1)
                continue
            rows.append([float(x) for x in s.split()])
    if not rows:
        raise ValueError("no data rows in %s" % path)
    ncol = len(rows[0])
    if not names and last_comment:
        # plain column file: the last comment line before the data names the columns
        toks = last_comment.split()
        if len(toks) == ncol:
            names = {i: t.lower().strip("<>") for i, t in enumerate(toks)}
    cols = [names.get(i, "col%d" % (i + 1)) for i in range(ncol)]
    return cols, np.array(rows, dtype=float), header


def _numeric(line):
    try:
        [float(x) for x in line.split()]
        return True
    except ValueError:
        return False


def derive_mu(cols, data):
    """(energy, mu, source) following the rule in the module docstring."""
    idx = {c: i for i, c in enumerate(cols)}
    energy = data[:, idx["energy"] if "energy" in idx else 0]
    for name in DIRECT_MU:
        if name in idx:
            return energy, data[:, idx[name]], name
    if "i0" in idx:
        i0 = data[:, idx["i0"]]
        for name in ("itrans", "i1"):
            if name in idx:
                return energy, np.log(i0 / data[:, idx[name]]), "ln(i0/%s)" % name
        if "ifluor" in idx:
            return energy, data[:, idx["ifluor"]] / i0, "ifluor/i0"
    if len(cols) == 2:
        return energy, data[:, 1], "column 2 of 2"
    raise ValueError("cannot derive mu from columns %s" % cols)


def read_spectrum(path):
    """dict(energy, mu, mu_source, reference_mu, element, edge) of one file (None where absent)."""
    cols, data, header = read_columns(path)
    energy, mu, source = derive_mu(cols, data)
    idx = {c: i for i, c in enumerate(cols)}
    reference_mu = None
    if "murefer" in idx:
        reference_mu = data[:, idx["murefer"]]
    elif "irefer" in idx and "itrans" in idx:
        reference_mu = np.log(data[:, idx["itrans"]] / data[:, idx["irefer"]])
    # XDI 1.0 names Element.symbol / Element.edge; older GSE files use Scan.element / Scan.edge
    return {"energy": energy, "mu": mu, "mu_source": source, "reference_mu": reference_mu,
            "element": header.get("element.symbol") or header.get("scan.element"),
            "edge": header.get("element.edge") or header.get("scan.edge")}
