package io.xasstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.dashboard.feed.FeedStats;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The SSE stream under load: 1,000 results/s for 30 s, one browser that never reads and one that reads, drops its
 * connection once and resumes with Last-Event-ID. The slow one is dropped; the other receives every result the
 * fan-out pushed, in order, without a gap or a duplicate; every buffer stays within its bound.
 */
class SseLoadIT {
    static final int RATE = 1_000;
    static final int SECONDS = 30;
    static final int SAMPLES = 8;
    static final int CLIENT_QUEUE = 32;
    static final int HISTORY = 200;
    static final long RING_BYTES = 8L * 1024 * 1024;
    static final long HEAP_BOUND_BYTES = 256L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the reading browser saw. */
    static final class Reader {
        final Map<String, List<Long>> indices = new ConcurrentHashMap<>();
        final AtomicLong events = new AtomicLong();
        final AtomicLong results = new AtomicLong();
        final List<Long> eventTimes = new CopyOnWriteArrayList<>();
        volatile long lastId = -1;
        private long pendingId = -1;

        /** Reads until the stream ends or is closed; an id counts once its data has been read. */
        void read(Stream<String> lines) {
            try {
                lines.forEach(this::line);
            } catch (RuntimeException e) {
                // the connection was closed under us (the reconnect below)
            }
        }

        private void line(String line) {
            if (line.startsWith("id: ")) {
                pendingId = Long.parseLong(line.substring(4));
            } else if (line.startsWith("data: ")) {
                try {
                    JsonNode data = JSON.readTree(line.substring(6));
                    for (JsonNode r : data.get("results")) {
                        String id = r.get("spectrumId").asText();
                        int dash = id.lastIndexOf('-');
                        indices.computeIfAbsent(id.substring(0, dash), k -> new CopyOnWriteArrayList<>())
                                .add(Long.parseLong(id.substring(dash + 1)));
                        results.incrementAndGet();
                    }
                    events.incrementAndGet();
                    eventTimes.add(System.currentTimeMillis());
                    lastId = pendingId;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void aSlowBrowserIsDroppedWhileAnotherReceivesEveryPushedResultInOrderAcrossAReconnect() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             DashboardServer server = new DashboardServer(XasConfig.defaults().with(Map.of(
                     "bootstrap.servers", kafka.bootstrapServers(), "dashboard.client-queue", "" + CLIENT_QUEUE,
                     "dashboard.history-points", "" + HISTORY, "dashboard.resume-buffer-bytes", "" + RING_BYTES,
                     "dashboard.spectra", "false")))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Reader reader = new Reader();
            var first = http.send(HttpRequest.newBuilder(URI.create(server.url("/events"))).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(first.headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            Thread readerThread = new Thread(() -> reader.read(first.body()), "fast-browser");
            readerThread.start();
            Connection connection = new Connection(first.body(), readerThread);

            // the slow browser: asks for the stream and never reads a byte
            Socket slow = new Socket();
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.http.actualPort()));
            OutputStream request = slow.getOutputStream();
            request.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            request.flush();

            List<FeedStats> seen = new ArrayList<>();
            long produced = produce(server, reader, http, connection, seen);

            FeedStats end = awaitAll(server, reader, produced);
            long heapAfterGc = usedHeapAfterGc();
            slow.close();

            // the slow browser was dropped, the service and the other browser went on
            assertThat(end.dropped()).isGreaterThanOrEqualTo(1);
            assertThat(end.subscribers()).isEqualTo(1);
            // every result the fan-out pushed reached the reading browser once, in order, across its reconnect
            assertThat(end.resultsSeen()).isEqualTo(produced);
            long thinned = thinned(server);
            assertThat(reader.results.get()).isEqualTo(produced - thinned);
            for (List<Long> idx : reader.indices.values()) {
                for (int i = 1; i < idx.size(); i++) {
                    assertThat(idx.get(i)).as("order, no duplicate").isGreaterThan(idx.get(i - 1));
                }
                if (thinned == 0) {
                    assertThat(idx.get(idx.size() - 1)).as("no gap").isEqualTo(idx.size() - 1L);
                }
            }
            assertThat(reader.indices).hasSize(SAMPLES);
            // it kept receiving all along (the machine may be shared: in every 10-second window, not at a rate)
            long startMs = reader.eventTimes.get(0);
            for (long w = startMs; w < startMs + SECONDS * 1000L - 10_000; w += 10_000) {
                long from = w;
                assertThat(reader.eventTimes).as("events between %d and %d s", (w - startMs) / 1000,
                        (w - startMs) / 1000 + 10).anyMatch(t -> t >= from && t < from + 10_000);
            }
            // bounded: browser queues, resume ring, history; and the heap of the whole test JVM (broker included)
            for (FeedStats s : seen) {
                assertThat(s.maxQueueDepth()).isLessThanOrEqualTo(CLIENT_QUEUE);
                assertThat(s.ringBytes()).isLessThanOrEqualTo(RING_BYTES);
                assertThat(s.heldResults()).isLessThanOrEqualTo((long) SAMPLES * HISTORY);
            }
            assertThat(heapAfterGc).isLessThan(HEAP_BOUND_BYTES);
            System.out.printf("SseLoadIT: %d results in %d s, %d pushed to the reading browser in %d events, %d "
                    + "thinned, slow browsers dropped %d, heap after GC %d MB, ring %d kB%n", produced, SECONDS,
                    reader.results.get(), reader.events.get(), thinned, end.dropped(), heapAfterGc >> 20,
                    end.ringBytes() >> 10);
        }
    }

    /** The reading browser's open connection and the thread reading it. */
    record Connection(Stream<String> lines, Thread thread) {
    }

    /** 1,000 results/s over 8 samples for 30 s; halfway the reading browser drops and resumes. */
    private static long produce(DashboardServer server, Reader reader, HttpClient http, Connection connection,
                                List<FeedStats> seen) throws Exception {
        var props = new KafkaClients(server.config).producer("load");
        long[] next = new long[SAMPLES];
        long produced = 0;
        try (KafkaProducer<String, InferenceResult> producer = new KafkaProducer<>(props, new StringSerializer(),
                server.topics.results.valueSerde().serializer())) {
            long start = System.nanoTime();
            long lastSecond = -1;
            boolean reconnected = false;
            while (System.nanoTime() - start < SECONDS * 1_000_000_000L) {
                long due = (System.nanoTime() - start) * RATE / 1_000_000_000L;
                while (produced < due) {
                    int s = (int) (produced % SAMPLES);
                    InferenceResult r = TestResults.result("load", "s" + s, next[s]++, produced % 50 == 0);
                    producer.send(new ProducerRecord<>(server.topics.results.name(), r.getKey(), r));
                    produced++;
                }
                long second = (System.nanoTime() - start) / 1_000_000_000L;
                if (second != lastSecond) {
                    lastSecond = second;
                    seen.add(server.service.stats());
                }
                if (!reconnected && second >= SECONDS / 2) {
                    reconnected = true;
                    reconnect(server, reader, http, connection);
                }
                Thread.sleep(5);
            }
        }
        return produced;
    }

    /** Closes the reading browser's connection and opens a new one with Last-Event-ID, as EventSource does. */
    private static void reconnect(DashboardServer server, Reader reader, HttpClient http, Connection first)
            throws Exception {
        first.lines().close();
        first.thread().join(10_000);
        assertThat(first.thread().isAlive()).as("first connection closed").isFalse();
        long last = reader.lastId;
        assertThat(last).isPositive();
        var second = http.send(HttpRequest.newBuilder(URI.create(server.url("/events")))
                .header("Last-Event-ID", Long.toString(last)).build(), HttpResponse.BodyHandlers.ofLines());
        Thread t = new Thread(() -> reader.read(second.body()), "fast-browser-2");
        t.setDaemon(true);
        t.start();
    }

    private static FeedStats awaitAll(DashboardServer server, Reader reader, long produced) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            FeedStats s = server.service.stats();
            if (s.resultsSeen() == produced && reader.results.get() >= produced - thinned(server)
                    && s.dropped() >= 1) {
                Thread.sleep(1_000); // anything more (a duplicate) would show now
                return server.service.stats();
            }
            Thread.sleep(200);
        }
        return server.service.stats();
    }

    private static long thinned(DashboardServer server) {
        return server.service.stats().thinned();
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
