"""pipeline.prune_stale_graphs / artifact_sizes: an export leaves only its own graphs in the output folder, and the
card lists exactly its graphs and fixtures (an earlier version's graphs once stayed behind and were listed).
Run: cd models/training && /usr/bin/python3 -m unittest m3d.test_artifacts   (< 1 s)"""
import os
import tempfile
import unittest

from m3d import pipeline as P


class ArtifactsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.saved_out = P.OUT
        P.OUT = self.tmp.name
        self.addCleanup(setattr, P, "OUT", self.saved_out)

    def touch(self, name, size=3):
        path = os.path.join(P.OUT, name)
        with open(path, "wb") as fh:
            fh.write(b"x" * size)
        return path

    def test_given_an_earlier_versions_graphs_when_pruned_then_only_this_exports_graphs_remain(self):
        files = {("Cu", "ox"): self.touch("m3d-cu-k-ox-1.7.0.onnx")}
        self.touch("m3d-cu-k-ox-1.6.0.onnx")
        self.touch("fe-k-cn-1.1.0.onnx")       # not an m3d graph: left alone
        self.touch(P.PARITY_FIXTURE)
        P.prune_stale_graphs(files, log=lambda _: None)
        self.assertEqual(sorted(os.listdir(P.OUT)),
                         sorted(["m3d-cu-k-ox-1.7.0.onnx", "fe-k-cn-1.1.0.onnx", P.PARITY_FIXTURE]))

    def test_sizes_list_the_exports_graphs_and_fixtures_and_nothing_else(self):
        files = {("Cu", "ox"): self.touch("m3d-cu-k-ox-1.7.0.onnx", 5), ("Cu", "cn"): self.touch("m3d-cu-k-cn-1.7.0.onnx", 4)}
        self.touch(P.PARITY_FIXTURE, 2)
        self.touch(P.HELDOUT_FIXTURE, 1)
        self.touch("m3d-cu-k-ox-1.6.0.onnx")
        self.touch("MODEL_CARD_m3d.md")
        self.assertEqual(P.artifact_sizes(files), {"m3d-cu-k-cn-1.7.0.onnx": 4, "m3d-cu-k-ox-1.7.0.onnx": 5,
                                                   P.PARITY_FIXTURE: 2, P.HELDOUT_FIXTURE: 1})


if __name__ == "__main__":
    unittest.main()
