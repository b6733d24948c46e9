"""Spectrum and SpectrumBatch records off the topic (Avro single-object encoding: C3 01, the schema's 8-byte
CRC-64-AVRO fingerprint, the Avro body) as plain dicts with numpy arrays, read with Debian's python3-avro and the
repository's .avsc files. Mu from raw channels as the Java service derives it (xasprep's twin of MuFromChannels)."""
import datetime
import glob
import io
import json
import os

import avro.io
import avro.name
import avro.schema
import numpy as np

from ensembles import REPO, Rejected, prep

SCHEMAS = os.path.join(REPO, "schemas", "src", "main", "avro")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MICRO = datetime.timedelta(microseconds=1)
ACCEPTED = ("io.xasstream.schema.spectrum.Spectrum", "io.xasstream.schema.spectrum.SpectrumBatch")


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (0xC15D213AA4D7A795 & -(fp & 1))
        table.append(fp)
    return table


_TABLE = _crc64_table()


def fingerprint(text):
    """CRC-64-AVRO of a schema's parsing canonical form (the Avro specification's algorithm)."""
    fp = 0xC15D213AA4D7A795
    for b in text.encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def canonical(schema):
    """The schema's Parsing Canonical Form. python3-avro 1.11.1 leaves a primitive with a logical type as
    {"type":"long"}, where the specification (and Java's SchemaNormalization) writes "long": mended here."""
    def mend(node):
        if isinstance(node, dict):
            if set(node) == {"type"} and node["type"] in PRIMITIVES:
                return node["type"]
            return {k: mend(v) for k, v in node.items()}
        if isinstance(node, list):
            return [mend(v) for v in node]
        return node
    return json.dumps(mend(json.loads(schema.canonical_form)), separators=(",", ":"))


def load_schemas(root=SCHEMAS, packages=("common", "spectrum")):
    """The .avsc files of these packages, parsed into one name space (files refer to each other's types by full
    name; within a package, a file is parsed after the ones it names: the files are ordered so)."""
    names, parsed = avro.name.Names(), {}
    for package in packages:
        for path in sorted(glob.glob(os.path.join(root, "io", "xasstream", "schema", package, "*.avsc"))):
            with open(path) as fh:
                s = avro.schema.make_avsc_object(json.load(fh), names)
            parsed[s.fullname] = s
    return parsed


class Decoder:
    """Avro bytes of the spectra topic -> list of spectrum dicts, or Rejected."""

    def __init__(self):
        schemas = load_schemas()
        self.readers = {fingerprint(canonical(schemas[n])): (n, avro.io.DatumReader(schemas[n]))
                        for n in ACCEPTED}

    def decode(self, value, key):
        if value is None or len(value) < 10 or value[0] != 0xC3 or value[1] != 0x01:
            raise Rejected("DECODE_FAILED", "not an Avro single-object message")
        found = self.readers.get(int.from_bytes(value[2:10], "little"))
        if found is None:
            raise Rejected("UNKNOWN_SCHEMA", "unknown schema fingerprint")
        name, reader = found
        try:
            record = reader.read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))
        except Exception as exc:  # a truncated or corrupt body fails anywhere in the reader
            raise Rejected("DECODE_FAILED", str(exc))
        return single(record, key) if name.endswith(".Spectrum") else rows(record, key)


def micros(t):
    return (t - EPOCH) // MICRO


def energy_axis(axis):
    if "valuesEv" in axis:
        return np.asarray(axis["valuesEv"], dtype=np.float64)
    return axis["startEv"] + np.arange(axis["count"], dtype=np.float64) * axis["stepEv"]


def _spectrum(sid, key, record, energy, mu, reference, acquired):
    return {"spectrumId": sid, "key": key, "element": record["element"], "edge": record["edge"], "energy": energy,
            "mu": mu, "reference_mu": reference, "e0": record.get("e0Ev"),
            "energy_shift": record.get("energyShiftEv"), "acquiredAt": micros(acquired)}


def _rejected_as(sid, fn):
    """fn(), or a Rejected item for this spectrum when its channels break a rule (the other rows still count)."""
    try:
        return fn()
    except (Rejected, prep.SpectrumRejected) as exc:
        return Rejected(exc.reason, str(exc), sid)


def single(s, key):
    return [_rejected_as(s["spectrumId"], lambda: _single(s, key))]


def _single(s, key):
    energy = energy_axis(s["energy"])
    reference, c = None, s.get("channels")
    if s.get("mu") is not None:
        mu = np.asarray(s["mu"], dtype=np.float64)
        if s.get("referenceMu") is not None:
            reference = np.asarray(s["referenceMu"], dtype=np.float64)
    elif c is not None and c.get("itrans") is not None:
        mu = prep.mu_transmission(c["i0"], c["itrans"])
        if c.get("irefer") is not None:
            reference = prep.mu_transmission(c["itrans"], c["irefer"])
    elif c is not None and c.get("ifluor") is not None:
        mu = prep.mu_fluorescence(c["i0"], c["ifluor"])
    else:
        raise Rejected("MISSING_FIELD", "neither mu nor raw channels")
    if len(mu) != len(energy):
        raise Rejected("LENGTH_MISMATCH", "%d mu values for %d energies" % (len(mu), len(energy)))
    return _spectrum(s["spectrumId"], key, s, energy, mu, reference, s["acquiredAt"])


def rows(b, key):
    energy = energy_axis(b["energy"])
    n, p = b["count"], len(energy)

    def matrix(name):
        raw = b.get(name)
        if raw is None:
            return None
        if len(raw) != n * p * 4:
            raise Rejected("LENGTH_MISMATCH", "%s has %d bytes, expected %d x %d float32" % (name, len(raw), n, p))
        return np.frombuffer(raw, dtype="<f4").reshape(n, p).astype(np.float64)

    mu, i0, it, fl, ir = (matrix(k) for k in ("mu", "i0", "itrans", "ifluor", "irefer"))
    if mu is None and (i0 is None or (it is None and fl is None)):
        raise Rejected("MISSING_FIELD", "batch has neither mu nor i0 with itrans/ifluor")

    def row(r):
        ref = None
        if mu is not None:
            m = mu[r]
        elif it is not None:
            m = prep.mu_transmission(i0[r], it[r])
            ref = prep.mu_transmission(it[r], ir[r]) if ir is not None else None
        else:
            m = prep.mu_fluorescence(i0[r], fl[r])
        return _spectrum(b["spectrumIds"][r], key, b, energy, m, ref, b["acquiredAt"][r])

    return [_rejected_as(b["spectrumIds"][r], lambda r=r: row(r)) for r in range(n)]
