package io.xasstream.inference.loop;

import io.xasstream.common.metrics.XasMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot path from the spectra topic to a results topic, exactly once, as three stages with one owner each and
 * bounded hand-offs of batches between them:
 * <pre>
 *  {@link Poller} (this thread; the consumer) ──SynchronousQueue──► {@link Inferrer} (ONNX only)
 *       ▲   poll → decode → preprocess                                   │
 *       │                                                     ArrayBlockingQueue(4)
 *       └──── inbox: committed / dropped / aborted / failed ◄── {@link Committer} (the transactional producer)
 *                                                                encode → results, dead letters, offsets
 * </pre>
 * A record is answered exactly once or dead-lettered with its reason; nothing is dropped. The next batch grows while
 * the previous one is inferred and is handed over the moment the inferrer is free, so a lone spectrum goes straight
 * through and a backlog makes batches of {@code max.poll.records}. A full batch that cannot be handed over pauses the
 * partitions: at most {@link #MAX_IN_FLIGHT} batches are in memory and a slow model makes lag, not heap. A failed
 * transaction aborts and every partition is re-read from its last commit.
 */
public final class InferenceLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLoop.class);
    /** Batches waiting between inference and commit; several are committed in one transaction. */
    public static final int COMMIT_QUEUE = 4;
    /**
     * Most batches between poll and commit: one being inferred, a full commit queue, a transaction of a drained
     * queue plus one, and one being handed over. Memory is this many batches of {@code max.poll.records} at most.
     */
    public static final int MAX_IN_FLIGHT = 2 * COMMIT_QUEUE + 3;
    /** A clean stop commits what was already taken from Kafka within this; the rest is re-read later. */
    static final Duration DRAIN = Duration.ofSeconds(20);
    /** The inferrer and the committer finish what they hold within this once the pipeline's end reached them. */
    static final Duration STAGES = Duration.ofSeconds(5);
    /** Each Kafka client closes within this. */
    static final Duration CLIENT_CLOSE = Duration.ofSeconds(5);
    /** The longest {@link #stop()} waits: the drain, the stages and the two clients' closes, one after the other. */
    public static final Duration STOP_TIMEOUT = DRAIN.plus(STAGES).plus(CLIENT_CLOSE).plus(CLIENT_CLOSE);

    private final LoopSettings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final BlockingQueue<Handoff> toInfer = new SynchronousQueue<>();
    private final BlockingQueue<Handoff> toCommit = new ArrayBlockingQueue<>(COMMIT_QUEUE);
    /** Holds at most one notice per batch in flight, plus a stop and a failure of each of the two other stages. */
    private final BlockingQueue<Notice> inbox = new ArrayBlockingQueue<>(MAX_IN_FLIGHT + 4);
    private final Poller poller;
    private final Inferrer inferrer;
    private final Committer committer;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public InferenceLoop(LoopSettings settings, ModelSource models, XasMetrics metrics) {
        this(settings, models, Shadow.none(), metrics);
    }

    public InferenceLoop(LoopSettings settings, ModelSource models, Shadow shadow, XasMetrics metrics) {
        this(settings, models, shadow, metrics, new KafkaConsumer<>(settings.consumer(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), new KafkaProducer<>(settings.producer(), new ByteArraySerializer(),
                new ByteArraySerializer()));
    }

    /** With given clients (tests use Kafka's mock consumer and producer); the loop owns and closes them. */
    InferenceLoop(LoopSettings settings, ModelSource models, Shadow shadow, XasMetrics metrics,
                  Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
        this.settings = settings;
        this.consumer = consumer;
        AtomicInteger inFlight = new AtomicInteger();
        metrics.inFlightBatches(settings.role(), inFlight);
        metrics.bind(consumer);
        metrics.bind(producer);
        BlockingQueue<Fence> fences = new ArrayBlockingQueue<>(MAX_IN_FLIGHT + 4);
        this.poller = new Poller(settings, consumer, models, shadow, toInfer, inbox, fences, metrics, inFlight);
        this.inferrer = new Inferrer(toInfer, toCommit, models, shadow, e -> tell(new Notice.Failed(e)));
        this.committer = new Committer(producer, toCommit, fences, this::tell, new Outputs(settings, shadow), metrics,
                settings.role(), settings.output().name(), CLIENT_CLOSE);
    }

    /** A notice for the poller; a failure also wakes up its poll. */
    private void tell(Notice n) {
        if (!inbox.offer(n)) {
            throw new IllegalStateException("poller inbox full: " + n); // cannot be, see the inbox's capacity
        }
        if (n instanceof Notice.Failed || n instanceof Notice.Stop) {
            consumer.wakeup(); // the one consumer method meant for another thread
        }
    }

    @Override
    public void run() {
        Thread inferring = new Thread(inferrer, settings.role() + "-infer");
        Thread committing = new Thread(committer, settings.role() + "-commit");
        try {
            committer.initTransactions();
            inferring.start();
            committing.start();
            poller.run(DRAIN);
        } catch (RuntimeException | Error e) {
            poller.failed(e);
        } finally {
            endStages(inferring, committing);
            poller.readInbox(0); // a failure reported while the stages ended
            closeConsumer();
            poller.failure().ifPresent(InferenceLoop::log);
            stopped.countDown();
        }
    }

    /** Sends the end down the pipeline behind the batches in it and waits for both stages, within their budget. */
    private void endStages(Thread inferring, Thread committing) {
        if (committing.getState() == Thread.State.NEW) {
            toCommit.offer(Handoff.END);
            committer.run(); // never started (no transactions): it only closes its producer
            return;
        }
        Instant deadline = Instant.now().plus(STAGES);
        try {
            boolean taken = inferring.isAlive() && toInfer.offer(Handoff.END, STAGES.toMillis(), TimeUnit.MILLISECONDS);
            if (!taken) {
                toCommit.offer(Handoff.END); // the inferrer is gone: end the committer directly
            }
            join(inferring, deadline);
            join(committing, deadline.plus(CLIENT_CLOSE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t, Instant deadline) throws InterruptedException {
        long ms = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
        t.join(ms);
        if (t.isAlive()) {
            LOG.warn("{} did not finish within its stop budget; interrupting it", t.getName());
            t.interrupt();
            t.join(1_000);
        }
    }

    private void closeConsumer() {
        poller.stagesEnded();
        try {
            consumer.close(CLIENT_CLOSE);
        } catch (RuntimeException e) {
            LOG.warn("consumer close: {}", e.toString());
        }
        poller.closed();
    }

    private static void log(Throwable e) {
        if (e instanceof KafkaException) {
            LOG.error("inference loop stopped: {}", e.toString());
        } else {
            LOG.error("inference loop failed", e);
        }
    }

    /** Partitions currently assigned to this instance. */
    public Set<TopicPartition> assignment() {
        return poller.assignment();
    }

    /** Spectra answered or dead-lettered so far (committed). */
    public long answered() {
        return poller.answered();
    }

    /** True when a bounded run has processed everything up to its end offsets. */
    public boolean finished() {
        return poller.finished();
    }

    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    /** Why the loop stopped, if it failed; null otherwise. */
    public Throwable failure() {
        return poller.failure().orElse(null);
    }

    /**
     * Stops taking new records, lets the batches in flight commit and closes the clients; waits for {@link #run()} to
     * end, at most {@link #STOP_TIMEOUT}.
     */
    public void stop() throws InterruptedException {
        tell(new Notice.Stop());
        stopped.await(STOP_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    }
}
