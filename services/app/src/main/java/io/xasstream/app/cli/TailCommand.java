package io.xasstream.app.cli;

import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.common.json.RecordJson;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Prints the records of a topic (results by default) as they arrive, as text or JSON lines. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print records from the results topic (or another, with --topic). JSON lines use the "
                + "schema's field names. Reads committed records only, never joins a consumer group.")
public final class TailCommand implements Callable<Integer> {

    /** Topics that can be tailed, by their role (names come from the topic registry). */
    enum Which { RESULTS, SHADOW, REJECTED, ALERTS, OPERANDO_STATE, SPECTRA, MODELS }

    enum From { EARLIEST, LATEST }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--topic", defaultValue = "RESULTS", converter = WhichConverter.class,
            description = "results, shadow, rejected, alerts, operando-state, spectra or models (default results).")
    Which which;

    @Option(names = "--results-version", paramLabel = "VERSION",
            description = "Tail the versioned results topic of a replay instead.")
    String resultsVersion;

    @Option(names = "--json", description = "One JSON object per line (InferenceResult field names).")
    boolean json;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "Stop after N records (0: no limit).")
    long max;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after SECONDS without a new record (0: wait forever).")
    double timeoutSeconds;

    @Option(names = "--from", defaultValue = "EARLIEST", converter = FromConverter.class,
            description = "earliest (default) or latest.")
    From from;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaPlatform kafka = KafkaPlatform.connect(config.load())) {
            Topic<String, ?> topic = resultsVersion != null ? kafka.topics().resultsFor(resultsVersion)
                    : topic(kafka.topics());
            var props = kafka.clients().consumer("tail", null);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))
                        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                if (from == From.EARLIEST) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
                long seen = 0;
                long lastRecord = System.nanoTime();
                while (max <= 0 || seen < max) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        Object value;
                        try {
                            value = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
                        } catch (RuntimeException e) {
                            out.println(json ? "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}"
                                    : "undecodable record at " + r.partition() + "/" + r.offset() + ": " + e.getMessage());
                            continue;
                        }
                        out.println(json ? RecordJson.toJsonLine((GenericRecord) value) : text(value));
                        seen++;
                        if (max > 0 && seen >= max) {
                            break;
                        }
                    }
                    out.flush();
                    if (!records.isEmpty()) {
                        lastRecord = System.nanoTime();
                    } else if (timeoutSeconds > 0 && System.nanoTime() - lastRecord > timeoutSeconds * 1e9) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    private Topic<String, ?> topic(Topics t) {
        return switch (which) {
            case RESULTS -> t.results;
            case SHADOW -> t.resultsShadow;
            case REJECTED -> t.rejected;
            case ALERTS -> t.alerts;
            case OPERANDO_STATE -> t.operandoState;
            case SPECTRA -> t.spectra;
            case MODELS -> t.models;
        };
    }

    /** A one-line human summary of a record. */
    static String text(Object value) {
        if (value instanceof InferenceResult r) {
            StringBuilder sb = new StringBuilder();
            sb.append(r.getTimings().getAcquiredAt()).append(' ').append(r.getKey()).append(' ')
                    .append(r.getSpectrumId()).append(' ').append(r.getElement()).append(' ').append(r.getEdge());
            appendClass(sb, "oxidation", r.getOxidationState());
            appendClass(sb, "CN", r.getCoordinationNumber());
            if (r.getFirstShellDistance() != null) {
                sb.append(String.format(Locale.ROOT, " r1=%.3f±%.3f Å", r.getFirstShellDistance().getMean(),
                        r.getFirstShellDistance().getStd()));
            }
            if (r.getOod().getFlagged()) {
                // which model flagged it, when the result says (pdf, coordination_number, oxidation_state)
                String tasks = String.join(",", r.getOodByTask().entrySet().stream()
                        .filter(e -> e.getValue().getFlagged()).map(e -> e.getKey()).sorted().toList());
                sb.append(tasks.isEmpty() ? " OOD" : " OOD(" + tasks + ")");
            }
            return sb.toString();
        }
        if (value instanceof Spectrum s) {
            return s.getAcquiredAt() + " " + s.getSource().getExperimentId() + "/" + s.getSource().getSampleId()
                    + " " + s.getSpectrumId() + " " + s.getElement() + " " + s.getEdge() + " " + s.getConditions()
                    .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().getValue() + e.getValue().getUnit())
                    .reduce((a, b) -> a + " " + b).orElse("");
        }
        if (value instanceof SpectrumBatch b) {
            return b.getSource().getExperimentId() + "/" + b.getSource().getSampleId() + " batch " + b.getBatchId()
                    + " " + b.getCount() + " spectra " + b.getElement() + " " + b.getEdge();
        }
        if (value instanceof RejectedSpectrum d) {
            return d.getRejectedAt() + " " + d.getReasonCode() + " (" + d.getStage() + ") " + d.getSourceTopic()
                    + "/" + d.getSourcePartition() + "@" + d.getSourceOffset() + ": " + d.getMessage();
        }
        return RecordJson.toJsonLine((GenericRecord) value);
    }

    private static void appendClass(StringBuilder sb, String label, ClassEstimate c) {
        if (c != null) {
            sb.append(String.format(Locale.ROOT, " %s=%s (E=%.2f±%.2f)", label, c.getPredicted(),
                    c.getExpectedValue(), c.getStd()));
        }
    }

    static final class WhichConverter implements CommandLine.ITypeConverter<Which> {
        @Override
        public Which convert(String value) {
            return Which.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    static final class FromConverter implements CommandLine.ITypeConverter<From> {
        @Override
        public From convert(String value) {
            return From.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }
}
