"""Tests of the Python peer that need no broker and no Java (the Java side: PeerParityTest, LoadToolsSmokeIT).

  cd load-tests/peer && /usr/bin/python3 -m unittest -v test_peer"""
import json
import os
import unittest

import numpy as np

import ensembles
import spectra
from fe_k import onnxcheck  # the training pipeline's numpy evaluator of the exported graphs

MANIFEST = os.path.join(ensembles.REPO, "models", "manifest.json")
PARITY = os.path.join(ensembles.REPO, "models", "fe-k", "parity", "input_parity.json")


class TorchFromOnnxTest(unittest.TestCase):
    """Every served graph, rebuilt as the training pipeline's torch modules with its ONNX weights, computes what the
    ONNX graph computes (numpy evaluation of the graph itself), including the edge-shift branch."""

    def test_every_graph_of_the_manifest(self):
        with open(MANIFEST) as fh:
            entries = json.load(fh)["models"]
        base = os.path.dirname(MANIFEST)
        rng = np.random.default_rng(35)
        for e in entries:
            with self.subTest(model=e["id"]):
                g = ensembles.Graph(e, base)
                inner = getattr(g.module, "ensemble", g.module)   # a blended graph: its ensemble's standardisation
                mean, std = inner.x_mean.numpy(), inner.x_std.numpy()
                x = (mean + rng.normal(size=(5, len(mean))) * std).astype(np.float32)
                shift = np.array([[1.5, 1], [0, 0], [-2.5, 1], [0, 0], [0.3, 1]], np.float32)
                feeds = {"spectrum": x}
                if g.edge_shift:
                    feeds["edge_shift"] = shift
                expected = onnxcheck.run(os.path.join(base, e["file"]), feeds)
                got = g.run(x, shift)
                for name, graph_name in e["outputs"].items():
                    np.testing.assert_allclose(got[name], expected[graph_name], rtol=1e-4, atol=1e-5,
                                               err_msg="%s %s" % (e["id"], name))


class PreprocessingTest(unittest.TestCase):
    def test_manifest_input_block_gives_the_training_inputs_of_the_fixture(self):
        """twin_spec(manifest entry) is the spec the fe-k graphs were trained with: the committed parity inputs."""
        with open(PARITY) as fh:
            parity = json.load(fh)
        entry = {"input": {"grid": parity["grid"], "preprocessing": parity["preprocessing"]}}
        case = parity["cases"][0]
        from xasprep import xdi
        s = xdi.read_spectrum(os.path.join(ensembles.REPO, case["file"]))
        out = ensembles.prep.preprocess(s["energy"], s["mu"], case["element"], "K", ensembles.twin_spec(entry))
        np.testing.assert_allclose(out["model_input"], case["modelInput"], atol=parity["tolerance"])


class AvroTest(unittest.TestCase):
    def test_canonical_form_writes_a_logical_type_as_its_primitive(self):
        s = spectra.load_schemas()["io.xasstream.schema.spectrum.Spectrum"]
        form = spectra.canonical(s)
        self.assertIn('{"name":"acquiredAt","type":"long"}', form)
        self.assertNotIn("logicalType", form)
        self.assertNotIn("doc", form)

    def test_a_record_that_is_not_single_object_encoded_is_refused_with_its_reason(self):
        decoder = spectra.Decoder()
        with self.assertRaises(ensembles.Rejected) as ctx:
            decoder.decode(b"\x00\x01not avro", "k")
        self.assertEqual(ctx.exception.reason, "DECODE_FAILED")
        with self.assertRaises(ensembles.Rejected) as ctx:
            decoder.decode(b"\xc3\x01" + bytes(8) + b"\x00", "k")
        self.assertEqual(ctx.exception.reason, "UNKNOWN_SCHEMA")


if __name__ == "__main__":
    unittest.main()
