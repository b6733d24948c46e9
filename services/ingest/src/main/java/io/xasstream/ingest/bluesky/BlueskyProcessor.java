package io.xasstream.ingest.bluesky;

import io.xasstream.common.records.DeadLetters;
import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.mapping.IngestRejection;
import io.xasstream.ingest.mapping.Paths;
import io.xasstream.ingest.mapping.RunData;
import io.xasstream.ingest.mapping.RunMapper;
import io.xasstream.ingest.mapping.Scan;
import io.xasstream.ingest.mapping.SpectrumBuilder;
import io.xasstream.ingest.msgpack.MsgpackException;
import io.xasstream.ingest.msgpack.NdArray;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Bluesky documents in, one {@code Spectrum} per successful run out. Open runs live in a changelogged store (see
 * {@link RunKeys}), so a restarted adapter continues a run where the committed transaction left it; the store,
 * the outputs and the consumed offsets commit together (exactly-once v2).
 *
 * <p>A run stays on one partition, and each partition is one task with its own store: runs interleaved on a
 * partition are kept apart by their uids, whatever the message keys are.
 *
 * <p>A run whose stop never comes (the RunEngine died) is expired by {@link RunLimits}: dead-lettered as
 * {@code RUN_EXPIRED} and removed, when it is older than the age limit in stream time or the oldest of too many.
 */
final class BlueskyProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    static final String SERVICE = "ingest-bluesky";

    private final RunMapper mapper;
    private final IngestMetrics metrics;
    private final int liveEvery;
    private final RunLimits limits;
    private final Set<String> streamsKept;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;
    private OpenRuns openRuns;

    /** @param liveEvery publish the partial scan every this many points (0: only the finished run) */
    BlueskyProcessor(RunMapper mapper, IngestMetrics metrics, int liveEvery, RunLimits limits) {
        this.mapper = mapper;
        this.metrics = metrics;
        this.liveEvery = liveEvery;
        this.limits = limits;
        Set<String> kept = new HashSet<>();
        kept.add(mapper.profile().stream());
        mapper.profile().conditions().values().forEach(c -> kept.add(c.stream()));
        this.streamsKept = Set.copyOf(kept);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(BlueskyTopology.STORE);
        this.openRuns = new OpenRuns(store);
        context.schedule(Duration.ofMillis(limits.checkIntervalMs()), PunctuationType.STREAM_TIME, this::expireOld);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        BlueskyDocument d;
        try {
            d = BlueskyDocument.decode(record.value());
        } catch (MsgpackException e) {
            metrics.document("undecodable");
            reject(record, null, ReasonCode.UNDECODABLE_DOCUMENT, e.getMessage());
            return;
        }
        try {
            switch (d.name()) {
                case "start" -> start(record, d);
                case "descriptor" -> descriptor(record, d);
                case "event" -> event(record, d, false);
                case "event_page" -> event(record, d, true);
                case "stop" -> stop(record, d);
                default -> {
                    metrics.document(BlueskyDocument.IGNORED.contains(d.name()) ? "ignored" : "unknown");
                    return;
                }
            }
            metrics.document(d.name());
        } catch (IngestRejection e) {
            metrics.document(e.reason() == ReasonCode.ORPHAN_DOCUMENT ? "orphan" : "undecodable");
            reject(record, null, e.reason(), d.name() + ": " + e.getMessage());
        }
    }

    private void start(Record<byte[], byte[]> record, BlueskyDocument d) throws IngestRejection {
        String run = uid(d.doc(), "uid");
        if (store.get(RunKeys.start(run)) == null) {
            for (OpenRuns.Open old : openRuns.oldest(openRuns.count() - limits.maxOpen() + 1)) {
                expire(old, "the oldest of more than " + limits.maxOpen() + " open runs", record.timestamp());
            }
        }
        store.put(RunKeys.start(run), record.value());
        RecordMetadata md = context.recordMetadata().orElse(null);
        openRuns.opened(run, record.timestamp(), md == null ? "?" : md.topic(), md == null ? -1 : md.partition(),
                md == null ? -1 : md.offset());
    }

    /** Stream-time punctuation: runs that started more than the age limit ago are expired. */
    private void expireOld(long streamTime) {
        for (OpenRuns.Open old : openRuns.startedBefore(streamTime - limits.maxAgeMs())) {
            expire(old, "open for more than " + Duration.ofMillis(limits.maxAgeMs()) + " of stream time", streamTime);
        }
    }

    /** A run that will not stop: its start document dead-lettered as RUN_EXPIRED, everything of it removed. */
    private void expire(OpenRuns.Open old, String why, long timestamp) {
        List<KeyValue<String, byte[]>> entries = RunAssembler.entries(store, old.run());
        long events = entries.stream().filter(kv -> kv.key.contains("/e/") || kv.key.contains("/p/")).count();
        RejectedSpectrum dead = DeadLetters.of(old.topic(), old.partition(), old.offset(), null,
                store.get(RunKeys.start(old.run())), old.run(), ReasonCode.RUN_EXPIRED, "run " + old.run()
                        + " started at " + Instant.ofEpochMilli(old.startedAt()) + " has no stop: " + why + "; its "
                        + events + " event documents are dropped", SERVICE);
        context.forward(new Record<>(old.run(), (SpecificRecord) dead, timestamp), BlueskyTopology.REJECTED_SINK);
        metrics.deadLetter(ReasonCode.RUN_EXPIRED);
        metrics.run("expired");
        openRuns.closed(old.run());
        close(entries);
    }

    private void descriptor(Record<byte[], byte[]> record, BlueskyDocument d) throws IngestRejection {
        String run = openRun(uid(d.doc(), "run_start"));
        String uid = uid(d.doc(), "uid");
        String stream = d.doc().get("name") instanceof String s ? s : "primary";
        store.put(RunKeys.descriptor(run, uid), record.value());
        store.put(RunKeys.descriptorIndex(uid), (run + "|" + stream).getBytes(StandardCharsets.UTF_8));
    }

    private void event(Record<byte[], byte[]> record, BlueskyDocument d, boolean page) throws IngestRejection {
        String descriptor = uid(d.doc(), "descriptor");
        byte[] index = store.get(RunKeys.descriptorIndex(descriptor));
        if (index == null) {
            throw new IngestRejection(ReasonCode.ORPHAN_DOCUMENT, "descriptor " + descriptor + " was never seen");
        }
        String[] runAndStream = new String(index, StandardCharsets.UTF_8).split("\\|", 2);
        String run = runAndStream[0];
        if (!streamsKept.contains(runAndStream[1])) {
            return; // a stream the profile does not use (monitors, images): counted, not kept
        }
        Object seq = d.doc().get("seq_num");
        long first = page ? firstSeq(seq) : (long) Paths.number(seq);
        if (first < 0) {
            throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, "no seq_num");
        }
        store.put(page ? RunKeys.page(run, descriptor, first) : RunKeys.event(run, descriptor, first), record.value());
        if (liveEvery > 0 && runAndStream[1].equals(mapper.profile().stream())) {
            live(record, run, page ? rows(seq) : 1);
        }
    }

    /** Rows of an event page: its seq_num list or numpy array. */
    private static int rows(Object seq) {
        if (seq instanceof List<?> l) {
            return l.size();
        }
        return seq instanceof NdArray a ? a.size() : 1;
    }

    private static long firstSeq(Object seq) {
        if (seq instanceof List<?> l && !l.isEmpty()) {
            double min = Double.MAX_VALUE;
            for (Object o : l) {
                min = Math.min(min, Paths.number(o));
            }
            return Double.isFinite(min) ? (long) min : -1;
        }
        if (seq instanceof NdArray a) {
            try {
                double[] v = a.toDoubles();
                return v.length == 0 ? -1 : (long) Arrays.stream(v).min().getAsDouble();
            } catch (MsgpackException e) {
                return -1;
            }
        }
        return -1;
    }

    /** Live mode: every {@code liveEvery} points the partial scan goes out (quick-EXAFS feedback). */
    private void live(Record<byte[], byte[]> record, String run, int added) {
        byte[] before = store.get(RunKeys.points(run));
        long was = before == null ? 0 : Long.parseLong(new String(before, StandardCharsets.UTF_8));
        long now = was + added;
        store.put(RunKeys.points(run), Long.toString(now).getBytes(StandardCharsets.UTF_8));
        if (now / liveEvery == was / liveEvery) {
            return;
        }
        try {
            RunData data = RunAssembler.assemble(RunAssembler.entries(store, run), run,
                    Map.of("exit_status", "success"), source());
            Scan scan = mapper.map(data);
            Spectrum s = SpectrumBuilder.spectrum(scan, run + "#partial-" + now);
            s.getMetadata().put("partial", "true");
            s.getMetadata().put("points", Long.toString(now));
            context.forward(new Record<>(SpectrumBuilder.key(s), (SpecificRecord) s, record.timestamp()),
                    BlueskyTopology.SPECTRA_SINK);
            metrics.spectra(1);
            metrics.run("partial");
        } catch (IngestRejection e) {
            // a partial scan may not map yet (no element until...): the finished run decides, not this preview
        }
    }

    private void stop(Record<byte[], byte[]> record, BlueskyDocument d) throws IngestRejection {
        String run = openRun(uid(d.doc(), "run_start"));
        List<KeyValue<String, byte[]>> entries = RunAssembler.entries(store, run);
        try {
            Scan scan = mapper.map(RunAssembler.assemble(entries, run, d.doc(), source()));
            Spectrum s = SpectrumBuilder.spectrum(scan, run);
            context.forward(new Record<>(SpectrumBuilder.key(s), (SpecificRecord) s, record.timestamp()),
                    BlueskyTopology.SPECTRA_SINK);
            metrics.spectra(1);
            metrics.run("emitted");
        } catch (IngestRejection e) {
            metrics.run("rejected");
            reject(record, run, e.reason(), e.getMessage());
        } finally {
            openRuns.closed(run);
            close(entries);
        }
    }

    /** Deletes the run's keys and its descriptors' index entries (tombstones in the changelog). */
    private void close(List<KeyValue<String, byte[]>> entries) {
        for (KeyValue<String, byte[]> kv : entries) {
            int d = kv.key.indexOf("/d/");
            if (d > 0 && kv.key.indexOf('/', d + 3) < 0) {
                store.delete(RunKeys.descriptorIndex(kv.key.substring(d + 3)));
            }
            store.delete(kv.key);
        }
    }

    private String openRun(String run) throws IngestRejection {
        if (store.get(RunKeys.start(run)) == null) {
            throw new IngestRejection(ReasonCode.ORPHAN_DOCUMENT, "run " + run + " has no start document here");
        }
        return run;
    }

    private static String uid(Map<String, Object> doc, String field) throws IngestRejection {
        return Paths.text(doc.get(field)).orElseThrow(() -> new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT,
                "no " + field));
    }

    private String source() {
        return "bluesky:" + context.recordMetadata().map(RecordMetadata::topic).orElse("?");
    }

    private void reject(Record<byte[], byte[]> record, String spectrumId, ReasonCode reason, String message) {
        RecordMetadata md = context.recordMetadata().orElse(null);
        RejectedSpectrum dead = DeadLetters.of(md == null ? "?" : md.topic(), md == null ? -1 : md.partition(),
                md == null ? -1 : md.offset(), record.key(), record.value(), spectrumId, reason, message, SERVICE);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        context.forward(new Record<>(key, (SpecificRecord) dead, record.timestamp()), BlueskyTopology.REJECTED_SINK);
        metrics.deadLetter(reason);
    }
}
