package io.xasstream.ingest.karabo;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.records.DeadLetters;
import io.xasstream.common.topics.Topics;
import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.mapping.IngestRejection;
import io.xasstream.ingest.mapping.Scan;
import io.xasstream.ingest.mapping.SpectrumBuilder;
import io.xasstream.ingest.msgpack.MsgpackException;
import io.xasstream.ingest.profile.Profile;
import io.xasstream.ingest.publish.SpectraPublisher;
import io.xasstream.schema.spectrum.Spectrum;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Reads trains from the Karabo bridge (ZeroMQ REQ "next" → reply, or SUB) on one thread that owns the socket and
 * the scan binner, and publishes a {@code SpectrumBatch} per train (spectrometer mode) or a {@code Spectrum} per
 * scan (scan mode). A train that cannot be read or mapped is dead-lettered and the next one read.
 *
 * <p>The bridge keeps no history, so there is nothing to re-read after a restart: the producer is idempotent
 * (no duplicates from retries), and a scan open when the adapter stops is dead-lettered as SCAN_INCOMPLETE.
 */
public final class KaraboIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KaraboIngest.class);
    static final String SERVICE = "ingest-karabo";
    private static final int POLL_MS = 100;
    private static final int CONNECT_LIMIT_MS = 30_000;

    /**
     * @param once      stop after one receive timeout without a train once connected (the bridge has nothing more)
     * @param maxTrains stop after this many trains; 0 for no limit
     */
    public record Options(String endpoint, IngestSettings.KaraboSocket socket, int timeoutMs, boolean once,
                          long maxTrains) {
        public static Options from(XasConfig config, boolean once, long maxTrains) {
            return new Options(config.get(IngestSettings.KARABO_ENDPOINT), config.get(IngestSettings.KARABO_SOCKET),
                    config.get(IngestSettings.KARABO_TIMEOUT_MS), once, maxTrains);
        }
    }

    private final Profile.Karabo profile;
    private final Options options;
    private final IngestMetrics metrics;
    private final SpectraPublisher publisher;
    private final SpectrometerMapper spectrometer;
    private final ScanBinner binner;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile double lagSeconds;
    private volatile long trains;

    private KaraboIngest(XasConfig config, Topics topics, Profile.Karabo profile, IngestMetrics metrics,
                         Options options) {
        if (profile == null) {
            throw new IllegalArgumentException("the profile has no karabo section");
        }
        if (profile.element().isBlank()) {
            throw new IllegalArgumentException("the profile's karabo.element is empty: name the absorber");
        }
        this.profile = profile;
        this.options = options;
        this.metrics = metrics;
        this.publisher = new SpectraPublisher(new KafkaClients(config), topics, metrics, SERVICE);
        this.spectrometer = new SpectrometerMapper(profile);
        this.binner = new ScanBinner(profile);
        metrics.lag(() -> lagSeconds);
        this.thread = new Thread(this::loop, "karabo-ingest");
    }

    public static KaraboIngest start(XasConfig config, Topics topics, Profile.Karabo profile, IngestMetrics metrics,
                                     Options options) {
        KaraboIngest ingest = new KaraboIngest(config, topics, profile, metrics, options);
        ingest.thread.start();
        LOG.info("Karabo adapter reading {} ({}, {} mode)", options.endpoint(), options.socket(), profile.mode());
        return ingest;
    }

    /** Waits until the adapter stops by itself (--once, --max-trains) or is closed. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    public long trains() {
        return trains;
    }

    private void loop() {
        try (ZContext context = new ZContext()) {
            ZMQ.Socket socket = context.createSocket(options.socket() == IngestSettings.KaraboSocket.REQ
                    ? SocketType.REQ : SocketType.SUB);
            socket.setReceiveTimeOut(POLL_MS);
            socket.setLinger(0);
            Handshake handshake = new Handshake(context, socket);
            socket.connect(options.endpoint());
            if (options.socket() == IngestSettings.KaraboSocket.SUB) {
                socket.subscribe(new byte[0]);
            }
            boolean asked = false;
            long idleSince = System.nanoTime();
            while (!stopping) {
                if (options.socket() == IngestSettings.KaraboSocket.REQ && !asked) {
                    socket.send("next".getBytes(StandardCharsets.US_ASCII));
                    asked = true;
                }
                byte[] first = socket.recv();
                if (first == null) {
                    if (handshake.justCompleted()) {
                        idleSince = System.nanoTime();
                    }
                    // a train read proves the connection even where the monitor's event was missed (it is sent
                    // on an inproc pipe that may attach after the handshake)
                    if (options.once() && onceIsOver(handshake.done() || trains > 0, System.nanoTime() - idleSince)) {
                        break;
                    }
                    continue;
                }
                List<byte[]> parts = new ArrayList<>();
                parts.add(first);
                while (socket.hasReceiveMore()) {
                    parts.add(socket.recv());
                }
                asked = false;
                idleSince = System.nanoTime();
                handle(parts);
                if (options.maxTrains() > 0 && trains >= options.maxTrains()) {
                    break;
                }
            }
            if (binner.open().isPresent()) {
                Scan open = binner.finish();
                deadLetter(null, open.metadata().get("lastTrainId"), ReasonCode.SCAN_INCOMPLETE, "scan " + open.scanId()
                        + " was still running when the adapter stopped (" + open.points() + " energy bins)");
            }
        } catch (RuntimeException e) {
            LOG.error("Karabo adapter stopped: {}", e.toString(), e);
        } finally {
            publisher.flush();
            done.countDown();
        }
    }

    /**
     * With --once, "nothing more" is a receive timeout counted from the ZeroMQ handshake, not from the start: a
     * cold JVM on a busy host can take seconds to connect, and those seconds say nothing about the bridge. A bridge
     * that never completes a handshake ends the run after {@value #CONNECT_LIMIT_MS} ms (or the receive timeout if
     * longer) with a warning.
     */
    private boolean onceIsOver(boolean connected, long idleNanos) {
        long idleMs = idleNanos / 1_000_000L;
        if (connected && idleMs > options.timeoutMs()) {
            LOG.info("no train for {} ms: the bridge has nothing more", options.timeoutMs());
            return true;
        }
        if (!connected && idleMs > Math.max(CONNECT_LIMIT_MS, options.timeoutMs())) {
            LOG.warn("no ZeroMQ handshake with {} in {} ms: is the bridge running?", options.endpoint(), idleMs);
            return true;
        }
        return false;
    }

    /** Watches a socket's handshake through a ZeroMQ monitor (owned by the adapter thread, like the socket). */
    private static final class Handshake {
        private final ZMQ.Socket events;
        private boolean done;

        Handshake(ZContext context, ZMQ.Socket socket) {
            // inproc names are per context, and each adapter has its own
            String address = "inproc://karabo-handshake";
            socket.monitor(address, ZMQ.EVENT_HANDSHAKE_PROTOCOL);
            events = context.createSocket(SocketType.PAIR);
            events.connect(address);
        }

        boolean done() {
            return done;
        }

        /** True once, at the first call after the handshake completed. */
        boolean justCompleted() {
            if (done) {
                return false;
            }
            for (ZMQ.Event e = ZMQ.Event.recv(events, ZMQ.DONTWAIT); e != null; e = ZMQ.Event.recv(events, ZMQ.DONTWAIT)) {
                done |= e.getEvent() == ZMQ.EVENT_HANDSHAKE_PROTOCOL;
            }
            return done;
        }
    }

    private void handle(List<byte[]> parts) {
        trains++;
        Train train;
        try {
            train = KaraboDecoder.decode(parts);
        } catch (MsgpackException e) {
            metrics.document("undecodable");
            deadLetter(parts, null, ReasonCode.UNDECODABLE_DOCUMENT, e.getMessage());
            return;
        }
        metrics.document("train");
        try {
            if (profile.mode() == Profile.KaraboMode.SPECTROMETER) {
                publisher.batch(spectrometer.key(), spectrometer.map(train));
            } else {
                var finished = binner.add(train);
                if (finished.isPresent()) {
                    Scan scan = finished.get();
                    Spectrum s = SpectrumBuilder.spectrum(scan, profile.experiment() + "-scan-" + scan.scanId());
                    publisher.spectrum(SpectrumBuilder.key(s), s);
                    metrics.run("emitted");
                }
            }
            if (Double.isFinite(train.timestamp())) {
                lagSeconds = Math.max(0, System.currentTimeMillis() / 1000.0 - train.timestamp());
            }
        } catch (IngestRejection e) {
            deadLetter(parts, Long.toString(train.trainId()), e.reason(), e.getMessage());
        }
    }

    private void deadLetter(List<byte[]> parts, String trainId, ReasonCode reason, String message) {
        ByteArrayOutputStream original = new ByteArrayOutputStream();
        if (parts != null) {
            parts.forEach(p -> original.write(p, 0, p.length));
        }
        long offset = trainId == null ? -1 : Long.parseLong(trainId);
        publisher.deadLetter(DeadLetters.of("karabo:" + options.endpoint(), -1, offset, null, original.toByteArray(),
                null, reason, message, SERVICE));
    }

    /** Stops reading (within {@value #POLL_MS} ms), flushes and closes the producer. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
