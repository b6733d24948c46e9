#!/usr/bin/python3
"""GPU side of the capacity estimate in BENCHMARKS.md: the served ensembles of one element (the graphs a spectrum of
it runs) as the training pipeline's torch modules with the committed weights, timed on ready inputs batch by batch.
Uses CUDA when torch has it, else the CPU (say so in the output); only torch, onnx and numpy are needed.

  /usr/bin/python3 load-tests/peer/gpu_throughput.py [--element Fe] [--batches 256 4096 65536] [--seconds 10]"""
import argparse
import json
import os
import sys
import time

import torch

from ensembles import REPO, Graph


def graphs_of(manifest, element):
    """The graphs a scan covering the wide window runs: every model of the element but the fall-backs."""
    with open(manifest) as fh:
        entries = json.load(fh)["models"]
    base = os.path.dirname(os.path.abspath(manifest))
    return [Graph(e, base) for e in entries if e["element"] == element and not e.get("fallbackFor")]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", default=os.path.join(REPO, "models", "manifest.json"))
    ap.add_argument("--element", default="Fe")
    ap.add_argument("--batches", type=int, nargs="+", default=[256, 4096, 65536])
    ap.add_argument("--seconds", type=float, default=10.0, help="timed seconds per batch size")
    args = ap.parse_args(argv)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    name = torch.cuda.get_device_name(0) if device.type == "cuda" else "CPU, %d threads" % torch.get_num_threads()
    graphs = graphs_of(args.manifest, args.element)
    for g in graphs:
        g.module.to(device)
    print("%s graphs of %s on %s (torch %s): %s" % (len(graphs), args.element, name, torch.__version__,
                                                   ", ".join(g.id for g in graphs)), flush=True)
    for batch in args.batches:
        inputs = [(torch.randn(batch, g.module.x_mean.shape[0], device=device) * g.module.x_std + g.module.x_mean,
                   torch.zeros(batch, 2, device=device)) for g in graphs]
        with torch.no_grad():
            def once():
                for g, (x, shift) in zip(graphs, inputs):
                    g.module(x, shift) if g.edge_shift else g.module(x)
            for _ in range(3):
                once()
            if device.type == "cuda":
                torch.cuda.synchronize()
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < args.seconds:
                once()
                n += batch
            if device.type == "cuda":
                torch.cuda.synchronize()
            elapsed = time.perf_counter() - start
        print("batch %6d: %12.0f spectra/s (every graph of %s)" % (batch, n / elapsed, args.element), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
