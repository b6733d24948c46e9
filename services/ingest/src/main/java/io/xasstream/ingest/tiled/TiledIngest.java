package io.xasstream.ingest.tiled;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.records.DeadLetters;
import io.xasstream.common.topics.Topics;
import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.mapping.IngestRejection;
import io.xasstream.ingest.mapping.Paths;
import io.xasstream.ingest.mapping.RunData;
import io.xasstream.ingest.mapping.RunMapper;
import io.xasstream.ingest.mapping.SpectrumBuilder;
import io.xasstream.ingest.mapping.StreamData;
import io.xasstream.ingest.profile.Profile;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.ingest.IngestCheckpoint;
import io.xasstream.schema.spectrum.Spectrum;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archive replay from a Tiled catalog of Bluesky runs: search the catalog (optionally runs started since a time),
 * read each finished run's start/stop metadata and its streams' event tables, map them with the same profile as
 * the Kafka adapter, and publish. Each run's spectrum (or dead letter) and its checkpoint commit in one
 * transaction, so a run is published once however often the same search is repeated or interrupted.
 */
public final class TiledIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TiledIngest.class);
    static final String SERVICE = "ingest-tiled";

    /** What one pass did. */
    public record Result(long found, long published, long rejected, long skipped, long open, long failed) {
    }

    /** Progress of a pass: the number of runs found, then one step per run handled. */
    public interface Progress {
        void total(long runs);

        void step();
    }

    private final Topics topics;
    private final KafkaClients clients;
    private final TiledClient tiled;
    private final String catalog;
    private final RunMapper mapper;
    private final IngestMetrics metrics;
    private final IngestSettings.TableFormat format;
    private final int pageSize;
    private final String source;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong remaining = new AtomicLong();

    /** @param catalog the container holding the runs, e.g. "bmm/raw" */
    public TiledIngest(XasConfig config, Topics topics, TiledClient tiled, String catalog, Profile profile,
                       IngestMetrics metrics) {
        this.topics = topics;
        this.clients = new KafkaClients(config);
        this.tiled = tiled;
        this.catalog = catalog.replaceAll("^/+|/+$", "");
        this.mapper = new RunMapper(profile);
        this.metrics = metrics;
        this.format = config.get(IngestSettings.TILED_FORMAT);
        this.pageSize = config.get(IngestSettings.TILED_PAGE_SIZE);
        this.source = "tiled:" + tiled.baseUrl() + " " + this.catalog;
        this.producer = new KafkaProducer<>(clients.transactionalProducer(SERVICE,
                config.get(IngestSettings.TILED_TRANSACTIONAL_ID)), new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        metrics.lag(remaining::get);
    }

    /**
     * One pass over the catalog.
     *
     * @param since only runs whose start time is at or after it (null: all)
     */
    public Result pass(Instant since, Progress progress) throws IOException {
        Set<String> handled = Checkpoints.handled(clients, topics, source);
        Map<String, String> filters = new LinkedHashMap<>();
        if (since != null) {
            // Tiled's comparison query on the run's start time; the client filters again below in case a
            // server ignores it
            filters.put("filter[comparison][condition][operator]", "ge");
            filters.put("filter[comparison][condition][key]", "start.time");
            filters.put("filter[comparison][condition][value]", Double.toString(since.toEpochMilli() / 1000.0));
        }
        TiledClient.Page page = tiled.search(catalog, filters, pageSize);
        progress.total(page.count());
        remaining.set(page.count());
        long found = 0;
        long published = 0;
        long rejected = 0;
        long skipped = 0;
        long open = 0;
        long failed = 0;
        while (true) {
            for (TiledClient.Entry e : page.entries()) {
                found++;
                String outcome = handle(e, since, handled);
                switch (outcome) {
                    case "published" -> published++;
                    case "rejected" -> rejected++;
                    case "open" -> open++;
                    case "failed" -> failed++;
                    default -> skipped++;
                }
                metrics.run(outcome);
                remaining.decrementAndGet();
                progress.step();
            }
            if (page.next() == null || page.entries().isEmpty()) {
                break;
            }
            page = tiled.next(page.next());
        }
        remaining.set(0);
        return new Result(found, published, rejected, skipped, open, failed);
    }

    @SuppressWarnings("unchecked")
    private String handle(TiledClient.Entry e, Instant since, Set<String> handled) {
        metrics.document("run");
        if (handled.contains(e.id())) {
            return "skipped";
        }
        Map<String, Object> start = e.metadata().get("start") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        Map<String, Object> stop = e.metadata().get("stop") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        if (start == null) {
            LOG.warn("{}: entry {} has no start metadata; not a Bluesky run", source, e.id());
            return "skipped";
        }
        double t = Paths.number(start.get("time"));
        if (since != null && Double.isFinite(t) && t < since.toEpochMilli() / 1000.0) {
            return "skipped";
        }
        if (stop == null) {
            return "open"; // still running: a later pass takes it
        }
        byte[] original = e.id().getBytes(StandardCharsets.UTF_8);
        try {
            RunData run = new RunData(start, stop, streams(e.id()), source);
            Spectrum s = SpectrumBuilder.spectrum(mapper.map(run), e.id());
            commit(e.id(), SpectrumBuilder.key(s), topics.spectra.valueSerde().serializer()
                    .serialize(topics.spectra.name(), s), null, s.getSpectrumId());
            metrics.spectra(1);
            handled.add(e.id());
            return "published";
        } catch (IngestRejection r) {
            RejectedSpectrum dead = DeadLetters.of(source, -1, -1, null, original, e.id(), r.reason(), r.getMessage(),
                    SERVICE);
            commit(e.id(), null, topics.rejected.valueSerde().serializer().serialize(topics.rejected.name(), dead),
                    r.reason(), null);
            metrics.deadLetter(r.reason());
            handled.add(e.id());
            return "rejected";
        } catch (IOException ex) {
            LOG.error("{}: run {} not read ({}); a later pass retries it", source, e.id(), ex.getMessage());
            return "failed";
        }
    }

    /** The streams the profile needs, each from its event table and its metadata's data_keys. */
    private Map<String, StreamData> streams(String run)
            throws IOException, IngestRejection {
        List<String> names = new ArrayList<>();
        names.add(mapper.profile().stream());
        mapper.profile().conditions().values().forEach(c -> {
            if (!names.contains(c.stream())) {
                names.add(c.stream());
            }
        });
        Map<String, StreamData> out = new LinkedHashMap<>();
        for (String name : names) {
            String streamPath = catalog + "/" + run + "/" + name;
            String body;
            try {
                String table = mapper.profile().tiled().table();
                body = tiled.table(table.isBlank() ? streamPath : streamPath + "/" + table, format);
            } catch (IOException notThere) {
                if (name.equals(mapper.profile().stream())) {
                    throw notThere;
                }
                continue; // a missing baseline only costs the conditions
            }
            Map<String, Object> meta = tiled.metadata(streamPath);
            out.put(name, TiledStreams.stream(TiledTables.parse(body, format), meta));
        }
        return out;
    }

    private void commit(String itemId, String key, byte[] value, ReasonCode reason,
                        String spectrumId) {
        IngestCheckpoint c = IngestCheckpoint.newBuilder().setSource(source).setItemId(itemId)
                .setOutcome(reason == null ? "published" : "rejected").setSpectrumId(spectrumId)
                .setHandledAt(Instant.now().truncatedTo(ChronoUnit.MICROS))
                .setMetadata(reason == null ? Map.of() : Map.of("reasonCode", reason.name())).build();
        producer.beginTransaction();
        try {
            producer.send(new ProducerRecord<>(reason == null ? topics.spectra.name() : topics.rejected.name(), key,
                    value));
            producer.send(new ProducerRecord<>(topics.ingestCheckpoints.name(), Checkpoints.key(source, itemId),
                    topics.ingestCheckpoints.valueSerde().serializer().serialize(topics.ingestCheckpoints.name(), c)));
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // the producer is fenced or broken: the original error says why
            }
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
