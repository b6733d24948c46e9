#!/usr/bin/python3
"""The Python consumer a facility would otherwise write, for comparison with xasstream (issue 35): poll up to 256
spectra, decode (python3-avro), normalise (numpy, models/training/xasprep), run the served ensembles in PyTorch, write
one JSON result per spectrum to a topic, then commit the consumed offsets (at least once). Debian packages only:
python3-confluent-kafka, python3-avro, python3-torch, python3-onnx, python3-numpy.

  /usr/bin/python3 load-tests/peer/peer.py --bootstrap-servers 127.0.0.1:9092 --output xas.bench.peer-results
  /usr/bin/python3 load-tests/peer/peer.py --records FILE     # offline: length-prefixed records -> JSON lines

It prints "peer ready" once its models are loaded and it has partitions, and stops on SIGTERM (or after
--stop-after spectra) after committing what it answered."""
import argparse
import json
import os
import signal
import struct
import sys

import torch

from ensembles import REPO, Ensembles, Rejected
from spectra import Decoder


class Peer:
    def __init__(self, manifest):
        self.models = Ensembles(manifest)
        self.decoder = Decoder()

    def handle(self, messages):
        """(key, value) pairs -> (key, JSON bytes) results, one per spectrum (or per undecodable record)."""
        spectra, keys = [], []
        for key, value in messages:
            k = key.decode("utf-8") if key else None
            try:
                items = self.decoder.decode(value, k)
            except Rejected as exc:
                items = [exc]
            spectra.extend(items)
            keys.extend([key] * len(items))
        results = self.models.predict(spectra)
        return [(k, json.dumps(r, allow_nan=True).encode("utf-8")) for k, r in zip(keys, results)]


def read_records(path):
    """4-byte big-endian key length, key, 4-byte value length, value; repeated."""
    with open(path, "rb") as fh:
        data = fh.read()
    out, i = [], 0
    while i < len(data):
        (n,) = struct.unpack_from(">i", data, i)
        key = data[i + 4:i + 4 + n]
        i += 4 + n
        (n,) = struct.unpack_from(">i", data, i)
        out.append((key, data[i + 4:i + 4 + n]))
        i += 4 + n
    return out


def serve(peer, args):
    from confluent_kafka import Consumer, Producer

    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    consumer = Consumer({"bootstrap.servers": args.bootstrap_servers, "group.id": args.group,
                         "enable.auto.commit": False, "auto.offset.reset": args.offset_reset,
                         "isolation.level": "read_committed"})
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "acks": "all", "enable.idempotence": True,
                         "linger.ms": 5})

    def assigned(c, partitions):
        print("peer ready: %d partition(s), torch %s with %d intra-op thread(s)" % (
            len(partitions), torch.__version__, torch.get_num_threads()), flush=True)

    consumer.subscribe([args.input], on_assign=assigned)
    done = 0
    while running[0] and (args.stop_after <= 0 or done < args.stop_after):
        # Block for the first record, then take what is already fetched, up to a batch: a lone spectrum is answered
        # at once and a backlog is read in batches.
        first = consumer.poll(0.2)
        if first is None:
            continue
        messages = [first] + consumer.consume(num_messages=args.max_batch - 1, timeout=0)
        good = []
        for m in messages:
            if m.error():
                print("peer: %s" % m.error(), file=sys.stderr, flush=True)
            else:
                good.append((m.key(), m.value()))
        for key, value in peer.handle(good):
            producer.produce(args.output, value=value, key=key)
            done += 1
        producer.flush()
        consumer.commit(asynchronous=False)
    producer.flush()
    consumer.close()
    print("peer stopped after %d results" % done, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap-servers")
    ap.add_argument("--group", default="xas-peer")
    ap.add_argument("--input", default="xas.spectra")
    ap.add_argument("--output", default="xas.bench.peer-results")
    ap.add_argument("--manifest", default=os.path.join(REPO, "models", "manifest.json"))
    ap.add_argument("--max-batch", type=int, default=256)
    ap.add_argument("--offset-reset", choices=("earliest", "latest"), default="earliest",
                    help="where a group without committed offsets starts")
    ap.add_argument("--stop-after", type=int, default=0, help="stop after this many results (0: run until SIGTERM)")
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    ap.add_argument("--records", help="offline: answer the records in this file, JSON lines to stdout")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    peer = Peer(args.manifest)
    if args.records:
        for _, value in peer.handle(read_records(args.records)):
            sys.stdout.write(value.decode("utf-8") + "\n")
        return 0
    if not args.bootstrap_servers:
        ap.error("--bootstrap-servers or --records is needed")
    serve(peer, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
