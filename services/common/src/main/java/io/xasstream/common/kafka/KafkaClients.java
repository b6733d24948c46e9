package io.xasstream.common.kafka;

import io.xasstream.common.config.XasConfig;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka client properties from the configuration: bootstrap servers, client ids, and kafka.client.* verbatim. */
public final class KafkaClients {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final XasConfig config;

    public KafkaClients(XasConfig config) {
        if (config.embedded()) {
            throw new IllegalStateException("bootstrap.servers is empty: start the embedded broker first and "
                    + "pass its address");
        }
        this.config = config;
    }

    public String bootstrapServers() {
        return config.get(XasConfig.BOOTSTRAP_SERVERS);
    }

    /** Properties shared by every client; {@code role} names it in client.id (e.g. "send", "tail"). */
    public Properties common(String role) {
        return withOverrides(base(role));
    }

    private Properties base(String role) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG,
                config.get(XasConfig.CLIENT_ID_PREFIX) + "-" + role + "-" + SEQUENCE.incrementAndGet());
        return p;
    }

    /** kafka.client.* settings are applied last, so an operator can override any default chosen here. */
    private Properties withOverrides(Properties p) {
        p.putAll(config.kafkaClientProperties());
        return p;
    }

    /** An idempotent producer (acks=all) with byte[] keys/values left to the caller's serdes. */
    public Properties producer(String role) {
        Properties p = producerDefaults(role);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return withOverrides(p);
    }

    private Properties producerDefaults(String role) {
        Properties p = base(role);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // No compression by default (kafka.client.compression.type overrides it): spectra and results are mostly
        // float arrays with noisy mantissas, which LZ4 shrinks by only ~14 % (measured on 50 Avro-encoded spectra,
        // the 8 XDI fixtures and the 42 measured reference spectra: 727 → 623 kB), while each compressed batch
        // costs two 64 KiB LZ4 buffers on the client and decompression on the broker to validate it. At 100
        // spectra/s every transaction is one batch: those buffers were 40 % of the JVM's allocation in the paced
        // benchmark and drove its young-GC pauses.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 * 1024 * 1024));
        return p;
    }

    /**
     * A transactional producer for a consume-process-produce loop. Short retry backoff: right after a commit the
     * coordinator answers CONCURRENT_TRANSACTIONS until the previous transaction's markers are written, and the
     * default 100 ms backoff then dominates the latency of every transaction (measured: sendOffsetsToTransaction
     * 6–135 ms with the default, on the embedded broker). No linger: the commit flushes anyway.
     */
    public Properties transactionalProducer(String role, String transactionalId) {
        Properties p = producerDefaults(role);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "2");
        // ...and no exponential growth beyond 5 ms: Kafka doubles the backoff per retry up to 1 s by default, so a
        // transaction started while the previous one's markers were still being written waited 16–30 ms more
        // (paced benchmark at 100 spectra/s: p99 of "inferred → committed and read" 18–21 ms → 14 ms).
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "5");
        // A result is ~1 KB: 16 KB batches meant a new batch every 16 records, and as many batches for the broker
        // to validate. The commit flushes, so size costs no latency.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return withOverrides(p);
    }

    /** A consumer that reads committed data only (results are written transactionally). */
    public Properties consumer(String role, String groupId) {
        Properties p = base(role);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        return withOverrides(p);
    }

    public Admin admin() {
        return Admin.create(common("admin"));
    }
}
