package io.xasstream.monitor.compare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xasstream.common.json.RecordJson;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.kafka.TopicSnapshot;
import io.xasstream.common.topics.Topic;
import io.xasstream.schema.result.InferenceResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per-sample differences between two result topics (old model A vs new model B), matching results by spectrumId:
 * feed A, then B, then {@link #differences()}. A spectrum seen twice in a topic counts once (the latest wins).
 */
public final class ResultComparison {
    private final String topicA;
    private final String topicB;
    private final Map<String, ResultDigest> a = new LinkedHashMap<>();
    private final Map<String, ResultDigest> b = new LinkedHashMap<>();

    public ResultComparison(String topicA, String topicB) {
        this.topicA = topicA;
        this.topicB = topicB;
    }

    /** Both topics read to their end (as of now) into a comparison. */
    public static ResultComparison read(KafkaClients clients, Topic<String, InferenceResult> a,
                                        Topic<String, InferenceResult> b) {
        ResultComparison c = new ResultComparison(a.name(), b.name());
        TopicSnapshot.read(clients, "compare", a, c::addA);
        TopicSnapshot.read(clients, "compare", b, c::addB);
        return c;
    }

    public void addA(InferenceResult r) {
        a.put(r.getSpectrumId(), ResultDigest.of(r));
    }

    public void addB(InferenceResult r) {
        b.put(r.getSpectrumId(), ResultDigest.of(r));
    }

    public String topicA() {
        return topicA;
    }

    public String topicB() {
        return topicB;
    }

    /** One entry per sample key, ordered by key. */
    public List<SampleDifference> differences() {
        Map<String, Acc> bySample = new TreeMap<>();
        for (ResultDigest ra : a.values()) {
            Acc acc = bySample.computeIfAbsent(ra.key(), Acc::new);
            ResultDigest rb = b.get(ra.spectrumId());
            if (rb == null) {
                acc.onlyInA++;
                continue;
            }
            acc.matched++;
            if (ra.oxidation() != null && rb.oxidation() != null && !Objects.equals(ra.oxidation(), rb.oxidation())) {
                acc.oxidationChanged.add(ra.spectrumId());
            }
            if (ra.cn() != null && rb.cn() != null && !Objects.equals(ra.cn(), rb.cn())) {
                acc.cnChanged.add(ra.spectrumId());
            }
            acc.ox.add(Math.abs(ra.oxidationExpected() - rb.oxidationExpected()));
            acc.cn.add(Math.abs(ra.cnExpected() - rb.cnExpected()));
            acc.shell.add(Math.abs(ra.firstShell() - rb.firstShell()));
            acc.pdf.add(ResultDigest.meanAbsPdfDelta(ra, rb));
        }
        for (ResultDigest rb : b.values()) {
            if (!a.containsKey(rb.spectrumId())) {
                bySample.computeIfAbsent(rb.key(), Acc::new).onlyInB++;
            }
        }
        List<SampleDifference> out = new ArrayList<>();
        for (Acc acc : bySample.values()) {
            out.add(new SampleDifference(acc.key, acc.onlyInA, acc.onlyInB, acc.matched,
                    List.copyOf(acc.oxidationChanged), List.copyOf(acc.cnChanged), acc.ox.mean(), acc.cn.mean(),
                    acc.shell.mean(), acc.pdf.mean(), acc.pdf.n));
        }
        return out;
    }

    /** The JSON form: topics and one object per sample (NaN as null). */
    public ObjectNode toJson() {
        ObjectNode root = RecordJson.mapper().createObjectNode();
        root.put("topicA", topicA);
        root.put("topicB", topicB);
        ArrayNode samples = root.putArray("samples");
        for (SampleDifference d : differences()) {
            ObjectNode s = samples.addObject();
            s.put("key", d.key());
            s.put("matched", d.matched());
            s.put("onlyInA", d.onlyInA());
            s.put("onlyInB", d.onlyInB());
            s.put("oxidationStateChanged", d.oxidationChanged().size());
            d.oxidationChanged().forEach(s.putArray("oxidationStateChangedSpectra")::add);
            s.put("coordinationNumberChanged", d.cnChanged().size());
            d.cnChanged().forEach(s.putArray("coordinationNumberChangedSpectra")::add);
            number(s, "meanAbsDeltaOxidationState", d.meanAbsOxidationDelta());
            number(s, "meanAbsDeltaCoordinationNumber", d.meanAbsCnDelta());
            number(s, "meanAbsDeltaFirstShellDistance", d.meanAbsFirstShellDelta());
            number(s, "meanAbsDeltaPdf", d.meanAbsPdfDelta());
            s.put("pdfCompared", d.pdfCompared());
        }
        return root;
    }

    private static void number(ObjectNode node, String name, double v) {
        if (Double.isFinite(v)) {
            node.put(name, v);
        } else {
            node.putNull(name);
        }
    }

    /** A fixed-width table, one line per sample, and a header naming the topics. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("A = ").append(topicA).append(", B = ").append(topicB).append('\n');
        sb.append(String.format(Locale.ROOT, "%-32s %8s %6s %6s %10s %8s %10s %10s %10s %10s%n", "sample",
                "matched", "onlyA", "onlyB", "ox.changed", "CN.chg", "|Δox|", "|ΔCN|", "|Δr1| Å", "|Δpdf|"));
        for (SampleDifference d : differences()) {
            sb.append(String.format(Locale.ROOT, "%-32s %8d %6d %6d %10d %8d %10s %10s %10s %10s%n", d.key(),
                    d.matched(), d.onlyInA(), d.onlyInB(), d.oxidationChanged().size(), d.cnChanged().size(),
                    fmt(d.meanAbsOxidationDelta()), fmt(d.meanAbsCnDelta()), fmt(d.meanAbsFirstShellDelta()),
                    fmt(d.meanAbsPdfDelta())));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    private static final class Acc {
        final String key;
        long onlyInA;
        long onlyInB;
        long matched;
        final List<String> oxidationChanged = new ArrayList<>();
        final List<String> cnChanged = new ArrayList<>();
        final Mean ox = new Mean();
        final Mean cn = new Mean();
        final Mean shell = new Mean();
        final Mean pdf = new Mean();

        Acc(String key) {
            this.key = key;
        }
    }

    private static final class Mean {
        double sum;
        long n;

        void add(double v) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }

        double mean() {
            return n == 0 ? Double.NaN : sum / n;
        }
    }
}
