package io.xasstream.ingest.karabo;

import io.xasstream.ingest.msgpack.MsgpackWriter;
import io.xasstream.ingest.msgpack.NdArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A stand-in for the Karabo bridge: a REP socket that answers each {@code next} with the next queued train,
 * framed exactly as karabo-bridge-py's {@code serialize} does (protocol 2.2: per source, sorted by name, a
 * msgpack header {source, content: msgpack, metadata} and the msgpack map of the non-array values, then per array
 * a header {source, content: array, path, dtype, shape} and the raw C-order bytes; protocol 1.0: one msgpack map
 * with the metadata inside each source and msgpack-numpy arrays). No train queued: no answer (as a bridge between
 * trains). It feeds the adapter's tests and lets a site try {@code ingest karabo} without a bridge.
 */
public final class KaraboBridgeSimulator implements AutoCloseable {
    /** One source of a train: plain values and arrays (numpy dtype name, shape, raw bytes). */
    public record Source(Map<String, Object> values, Map<String, NdArray> arrays) {
    }

    private final ZContext context = new ZContext();
    private final ZMQ.Socket socket;
    private final int port;
    private final BlockingQueue<List<byte[]>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    public KaraboBridgeSimulator() {
        socket = context.createSocket(SocketType.REP);
        socket.setReceiveTimeOut(100);
        socket.setLinger(0);
        port = socket.bindToRandomPort("tcp://127.0.0.1");
        thread = new Thread(this::serve, "karabo-bridge-stub");
        thread.start();
    }

    public String endpoint() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Queues a train in protocol 2.2 framing. */
    public void train(long tid, double timestamp, Map<String, Source> sources) {
        List<byte[]> msg = new ArrayList<>();
        for (Map.Entry<String, Source> e : new TreeMap<>(sources).entrySet()) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("source", e.getKey());
            header.put("content", "msgpack");
            header.put("metadata", metadata(e.getKey(), tid, timestamp));
            msg.add(MsgpackWriter.write(header));
            msg.add(MsgpackWriter.write(e.getValue().values()));
            for (Map.Entry<String, NdArray> a : e.getValue().arrays().entrySet()) {
                Map<String, Object> ah = new LinkedHashMap<>();
                ah.put("source", e.getKey());
                ah.put("content", "array");
                ah.put("path", a.getKey());
                ah.put("dtype", a.getValue().dtype());
                ah.put("shape", a.getValue().shape());
                msg.add(MsgpackWriter.write(ah));
                msg.add(a.getValue().data());
            }
        }
        queue.add(msg);
    }

    /** Queues a train in protocol 1.0 framing (one part). */
    public void trainV1(long tid, double timestamp, Map<String, Source> sources) {
        Map<String, Object> all = new LinkedHashMap<>();
        sources.forEach((name, s) -> {
            Map<String, Object> v = new LinkedHashMap<>(s.values());
            v.putAll(s.arrays());
            v.put("metadata", metadata(name, tid, timestamp));
            all.put(name, v);
        });
        queue.add(List.of(MsgpackWriter.write(all)));
    }

    /** Queues a reply that is not a bridge message. */
    public void garbage(byte[]... parts) {
        queue.add(List.of(parts));
    }

    private static Map<String, Object> metadata(String source, long tid, double timestamp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("timestamp", timestamp);
        m.put("timestamp.sec", Long.toString((long) timestamp));
        m.put("timestamp.frac", "000000000000000000");
        m.put("timestamp.tid", tid);
        m.put("ignored_keys", List.of());
        return m;
    }

    private void serve() {
        while (!stopping) {
            byte[] request = socket.recv();
            if (request == null) {
                continue;
            }
            List<byte[]> reply = null;
            while (!stopping && reply == null) {
                try {
                    reply = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (reply == null) {
                return;
            }
            for (int i = 0; i < reply.size(); i++) {
                socket.send(reply.get(i), i < reply.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(5_000);
        context.close();
    }
}
