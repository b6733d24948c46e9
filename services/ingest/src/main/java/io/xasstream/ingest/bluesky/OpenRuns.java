package io.xasstream.ingest.bluesky;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The index of a task's open runs in the same store as the runs (so it commits and restores with them): each
 * run's start time and where its start document came from, ordered by start time, and their count. It answers
 * which runs to expire; {@link BlueskyProcessor} does the expiring.
 * <pre>
 *  t/&lt;start ms, 19 digits&gt;/&lt;run&gt;   "&lt;partition&gt;|&lt;offset&gt;|&lt;topic&gt;" of the start document
 *  r/&lt;run&gt;/o                        the run's t/ key (deleted with the run)
 *  c/open                          number of open runs
 * </pre>
 */
final class OpenRuns {
    private static final String BY_TIME = "t/";
    private static final String COUNT = "c/open";

    /** An open run and where its start document was read. */
    record Open(String run, long startedAt, String topic, int partition, long offset) {
    }

    private final KeyValueStore<String, byte[]> store;

    OpenRuns(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** Records a run's start; a repeated start of an open run keeps the first. */
    void opened(String run, long startedAt, String topic, int partition, long offset) {
        if (store.get(indexKeyOf(run)) != null) {
            return;
        }
        String key = BY_TIME + String.format("%019d", Math.max(0, startedAt)) + "/" + run;
        store.put(key, (partition + "|" + offset + "|" + topic).getBytes(StandardCharsets.UTF_8));
        store.put(indexKeyOf(run), key.getBytes(StandardCharsets.UTF_8));
        setCount(count() + 1);
    }

    /** Forgets a run (stopped or expired); the caller deletes the run's own keys. */
    void closed(String run) {
        byte[] key = store.get(indexKeyOf(run));
        if (key == null) {
            return;
        }
        store.delete(new String(key, StandardCharsets.UTF_8));
        store.delete(indexKeyOf(run));
        setCount(Math.max(0, count() - 1));
    }

    int count() {
        byte[] v = store.get(COUNT);
        return v == null ? 0 : Integer.parseInt(new String(v, StandardCharsets.UTF_8));
    }

    /** Open runs that started before {@code cutoff} (ms), oldest first. */
    List<Open> startedBefore(long cutoff) {
        List<Open> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = byTime()) {
            while (it.hasNext()) {
                Open o = open(it.next());
                if (o.startedAt() >= cutoff) {
                    break;
                }
                out.add(o);
            }
        }
        return out;
    }

    /** The oldest {@code n} open runs. */
    List<Open> oldest(int n) {
        List<Open> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = byTime()) {
            while (out.size() < n && it.hasNext()) {
                out.add(open(it.next()));
            }
        }
        return out;
    }

    /** The t/ keys in order: zero-padded start times sort as numbers. */
    private KeyValueIterator<String, byte[]> byTime() {
        return store.prefixScan(BY_TIME, new StringSerializer());
    }

    private static Open open(KeyValue<String, byte[]> kv) {
        String rest = kv.key.substring(BY_TIME.length());
        int slash = rest.indexOf('/');
        String[] origin = new String(kv.value, StandardCharsets.UTF_8).split("\\|", 3);
        return new Open(rest.substring(slash + 1), Long.parseLong(rest.substring(0, slash)), origin[2],
                Integer.parseInt(origin[0]), Long.parseLong(origin[1]));
    }

    private static String indexKeyOf(String run) {
        return RunKeys.run(run) + "o";
    }

    /** No key at zero: a task with no open run leaves nothing in the store. */
    private void setCount(int n) {
        if (n == 0) {
            store.delete(COUNT);
        } else {
            store.put(COUNT, Integer.toString(n).getBytes(StandardCharsets.UTF_8));
        }
    }
}
