package io.xasstream.monitor.stream;

import io.xasstream.monitor.MonitorConfig;
import io.xasstream.monitor.detect.Change;
import io.xasstream.monitor.detect.Quantity;
import io.xasstream.monitor.state.MonitorStores;
import io.xasstream.monitor.state.RollingWindow;
import io.xasstream.monitor.state.SampleState;
import io.xasstream.monitor.state.SampleStateCodec;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.SampleSnapshot;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ScalarEstimate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One result at a time, per sample: append it to the history, move both windows, run each detector on the
 * quantities whose model trusts the spectrum, and forward alerts and the new OperandoState at once (no punctuation:
 * an alert leaves with the result that triggered it).
 */
final class MonitorProcessor implements Processor<String, InferenceResult, String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorProcessor.class);

    private final MonitorConfig config;
    private final String alertsSink;
    private final String stateSink;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> samples;
    private KeyValueStore<String, SampleSnapshot> history;
    private KeyValueStore<String, Alert> alerts;

    MonitorProcessor(MonitorConfig config, String alertsSink, String stateSink) {
        this.config = config;
        this.alertsSink = alertsSink;
        this.stateSink = stateSink;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.samples = context.getStateStore(MonitorStores.SAMPLES);
        this.history = context.getStateStore(MonitorStores.HISTORY);
        this.alerts = context.getStateStore(MonitorStores.ALERTS);
    }

    @Override
    public void process(Record<String, InferenceResult> record) {
        InferenceResult r = record.value();
        if (r == null) {
            return;
        }
        String key = record.key() != null ? record.key() : r.getKey();
        SampleSnapshot point;
        try {
            point = Snapshots.of(r); // all validation before any state changes
        } catch (RuntimeException e) {
            LOG.warn("result {} of {} skipped: {}", r.getSpectrumId(), key, e.toString());
            return;
        }
        byte[] stored = samples.get(key);
        SampleState s = stored == null
                ? SampleState.start(key, r.getSource().getExperimentId(), r.getSource().getSampleId(), config)
                : SampleStateCodec.decode(stored, config);
        long seq = s.observe(r.getElement(), point.getOodFlagged());
        history.put(MonitorStores.entryKey(key, seq), point);
        slideWindows(s, point, seq);
        Instant now = Instant.now();
        s.updatedAt(Snapshots.micros(now));
        for (Change c : detect(s, r, point, seq)) {
            emit(s, c, point, seq, now, record.timestamp());
        }
        samples.put(key, SampleStateCodec.encode(s));
        context.forward(new Record<String, SpecificRecord>(key,
                Snapshots.operandoState(s, point, config.windowCount(), config.windowMs()), record.timestamp()),
                stateSink);
    }

    /** The point enters both windows, the oldest ones leave; the history keeps its configured length. */
    private void slideWindows(SampleState s, SampleSnapshot point, long seq) {
        String key = s.key();
        double[] values = Snapshots.windowValues(point);
        s.countWindow().add(seq, values);
        slideCount(key, s.countWindow(), seq);
        s.timeWindow().add(seq, values);
        s.timeWindow().latestMicros(Snapshots.micros(point.getAcquiredAt()));
        slideTime(key, s.timeWindow(), seq);
        long forgotten = seq - config.historySize();
        if (forgotten >= 0) {
            history.delete(MonitorStores.entryKey(key, forgotten));
        }
    }

    /**
     * Each quantity is judged by the model that answered it: a PDF model that has not seen such spectra must not
     * silence the oxidation-state detector, nor the other way round.
     */
    private static List<Change> detect(SampleState s, InferenceResult r, SampleSnapshot point, long seq) {
        List<Change> changes = new ArrayList<>(3);
        ClassEstimate ox = r.getOxidationState();
        if (ox != null && Snapshots.trusted(point, Quantity.OXIDATION_STATE)) {
            add(changes, s.oxidation().update(seq, ox.getClasses(), ox.getProbabilities(), ox.getProbabilityStd(),
                    ox.getExpectedValue(), ox.getStd()));
        }
        ClassEstimate cn = r.getCoordinationNumber();
        if (cn != null && Snapshots.trusted(point, Quantity.COORDINATION_NUMBER)) {
            add(changes, s.coordination().update(seq, cn.getClasses(), cn.getProbabilities(),
                    cn.getProbabilityStd(), cn.getExpectedValue(), cn.getStd()));
        }
        ScalarEstimate peak = point.getFirstShellPeak();
        if (peak != null && Snapshots.trusted(point, Quantity.FIRST_SHELL_PEAK)) {
            add(changes, s.firstShell().update(seq, peak.getMean(), peak.getStd()));
        }
        return changes;
    }

    /** One alert per change: kept (the last alerts-kept of the sample) and forwarded with its result. */
    private void emit(SampleState s, Change c, SampleSnapshot point, long seq, Instant now, long timestamp) {
        Alert alert = alert(s, c, point, seq, now);
        long number = s.alerted(alert.getAlertId());
        alerts.put(MonitorStores.entryKey(s.key(), number), alert);
        if (number > config.alertsKept()) {
            alerts.delete(MonitorStores.entryKey(s.key(), number - config.alertsKept()));
        }
        context.forward(new Record<String, SpecificRecord>(s.key(), alert, timestamp), alertsSink);
        LOG.info("alert {}: {} {} -> {} at {}", alert.getAlertId(), alert.getQuantity(),
                c.fromClass() != null ? c.fromClass() : String.format("%.3f", c.fromMean()),
                c.toClass() != null ? c.toClass() : String.format("%.3f", c.toMean()), alert.getAtSpectrumId());
    }

    private static void add(List<Change> changes, Change c) {
        if (c != null) {
            changes.add(c);
        }
    }

    private Alert alert(SampleState s, Change c, SampleSnapshot current, long seq, Instant now) {
        SampleSnapshot at = c.changeSeq() == seq ? current
                : history.get(MonitorStores.entryKey(s.key(), c.changeSeq()));
        if (at == null) {
            at = current;
        }
        String method = c.method() + (c.changeSeq() == seq ? ""
                : "; triggered by " + current.getSpectrumId() + " (" + (seq - c.changeSeq()) + " later)");
        Map<String, ConditionValue> conditions = new HashMap<>(at.getConditions());
        return Alert.newBuilder()
                .setAlertId(s.key() + "#alert-" + (s.alertCount() + 1))
                .setKey(s.key())
                .setExperimentId(s.experimentId())
                .setSampleId(s.sampleId())
                .setQuantity(c.quantity().label())
                .setFrom(ScalarEstimate.newBuilder().setMean(c.fromMean()).setStd(c.fromStd())
                        .setUnit(c.quantity().unit()).build())
                .setTo(ScalarEstimate.newBuilder().setMean(c.toMean()).setStd(c.toStd())
                        .setUnit(c.quantity().unit()).build())
                .setFromClass(c.fromClass())
                .setToClass(c.toClass())
                .setAtSpectrumId(at.getSpectrumId())
                .setAtAcquiredAt(at.getAcquiredAt())
                .setConditions(conditions)
                .setConfidence(c.confidence())
                .setMethod(method)
                .setEmittedAt(now)
                .build();
    }

    /** Count window: the last N results (by sequence number). */
    private void slideCount(String key, RollingWindow w, long seq) {
        boolean moved = false;
        while (w.startSeq() <= seq - config.windowCount()) {
            evict(key, w);
            moved = true;
        }
        if (moved) {
            refreshExtremes(key, w, seq);
        }
    }

    /** Time window: results acquired in (latest - T, latest], at most the history's length. */
    private void slideTime(String key, RollingWindow w, long seq) {
        long cutoff = w.latestMicros() - config.windowMs() * 1000L;
        boolean moved = false;
        while (w.startSeq() < seq) {
            if (w.startSeq() > seq - config.historySize()) {
                SampleSnapshot oldest = history.get(MonitorStores.entryKey(key, w.startSeq()));
                if (oldest != null && Snapshots.micros(oldest.getAcquiredAt()) > cutoff) {
                    break;
                }
            }
            evict(key, w);
            moved = true;
        }
        if (moved) {
            refreshExtremes(key, w, seq);
        }
    }

    private void evict(String key, RollingWindow w) {
        long first = w.startSeq();
        SampleSnapshot p = history.get(MonitorStores.entryKey(key, first));
        if (p != null) {
            w.remove(first, Snapshots.windowValues(p));
        }
        w.startSeq(first + 1);
    }

    /** The min or max left: recompute the extremes over the points still in the window. */
    private void refreshExtremes(String key, RollingWindow w, long seq) {
        if (!w.stale()) {
            return;
        }
        Quantity[] all = Quantity.values();
        for (Quantity q : all) {
            w.stats(q).resetExtremes();
        }
        try (KeyValueIterator<String, SampleSnapshot> it = history.range(MonitorStores.entryKey(key, w.startSeq()),
                MonitorStores.entryKey(key, seq))) {
            long n = w.startSeq();
            while (it.hasNext()) {
                KeyValue<String, SampleSnapshot> e = it.next();
                if (!MonitorStores.belongsTo(e.key, key)) {
                    continue;
                }
                n = Long.parseLong(e.key.substring(key.length() + 1));
                double[] v = Snapshots.windowValues(e.value);
                for (Quantity q : all) {
                    w.stats(q).offerExtreme(n, v[q.ordinal()]);
                }
            }
        }
    }
}
