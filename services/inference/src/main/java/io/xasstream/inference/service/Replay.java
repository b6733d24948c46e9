package io.xasstream.inference.service;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.loop.Bounds;
import io.xasstream.inference.loop.InferenceLoop;
import io.xasstream.inference.loop.LoopSettings;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.SessionSettings;
import io.xasstream.schema.result.InferenceResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Replays the archived spectra topic through a chosen model version into a versioned results topic, with its own
 * consumer group and transactional id: exactly once, repeatable (a second run with the same bounds adds nothing),
 * and never touching the live service's offsets.
 */
public final class Replay {
    /** Where a replay starts or stops: an instant (acquisition log time) or an offset in every partition. */
    public record Bound(Instant time, Long offset) {
        public static Bound parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            if (text.matches("\\d+")) {
                return new Bound(null, Long.parseLong(text));
            }
            if (text.equals("earliest")) {
                return new Bound(null, 0L);
            }
            return new Bound(Instant.parse(text), null);
        }
    }

    /** What a replay will do, decided before it starts. */
    public record Plan(String modelRef, Path manifest, Topic<String, InferenceResult> output, String groupId,
                       Map<TopicPartition, Long> start, Map<TopicPartition, Long> until) {
        public long total() {
            long t = 0;
            for (Map.Entry<TopicPartition, Long> e : until.entrySet()) {
                t += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L));
            }
            return t;
        }
    }

    private Replay() {
    }

    /**
     * Works out the offsets: a first run starts at {@code from} (committing it for its own group), a repeated run
     * continues from the group's committed offsets; {@code until} defaults to the end of the topic now.
     */
    public static Plan plan(XasConfig cfg, Topics topics, KafkaClients clients, String modelRef, Path manifest,
                            String outputVersion, Bound from, Bound until) throws Exception {
        Topic<String, InferenceResult> output = topics.resultsFor(outputVersion);
        String group = "xasstream-replay-" + output.name();
        try (Admin admin = clients.admin()) {
            TopicAdmin.ensure(admin, List.of(output), cfg);
            List<TopicPartition> partitions = admin.describeTopics(List.of(topics.spectra.name())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topics.spectra.name()).partitions().stream()
                    .map(p -> new TopicPartition(topics.spectra.name(), p.partition())).toList();
            Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> end = new HashMap<>(latest);
            if (until != null) {
                Map<TopicPartition, Long> u = bound(admin, partitions, until, latest);
                u.forEach((tp, o) -> end.put(tp, Math.min(o, latest.get(tp))));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> start = new HashMap<>();
            if (committed.isEmpty()) {
                Map<TopicPartition, Long> s = from == null ? earliest : bound(admin, partitions, from, latest);
                Map<TopicPartition, OffsetAndMetadata> initial = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    long o = Math.max(earliest.get(tp), Math.min(s.get(tp), latest.get(tp)));
                    start.put(tp, o);
                    initial.put(tp, new OffsetAndMetadata(o));
                }
                admin.alterConsumerGroupOffsets(group, initial).all().get(30, TimeUnit.SECONDS);
            } else {
                for (TopicPartition tp : partitions) {
                    start.put(tp, committed.containsKey(tp) ? committed.get(tp).offset() : earliest.get(tp));
                }
            }
            return new Plan(modelRef, manifest, output, group, start, end);
        }
    }

    /**
     * Loads the chosen model version and starts the loop to the plan's end, on its own threads.
     *
     * @throws IOException when the manifest does not hold the chosen model or cannot be loaded
     */
    public static Running start(XasConfig cfg, Topics topics, KafkaClients clients, XasMetrics metrics, Plan plan)
            throws IOException {
        ModelRegistry registry = ModelRegistry.load(plan.manifest(), SessionSettings.from(cfg));
        if (registry.models().stream().noneMatch(m -> m.entry().ref().equals(plan.modelRef()))) {
            registry.close();
            throw new IOException(plan.manifest() + " holds no model " + plan.modelRef() + " (it has "
                    + registry.models().stream().map(m -> m.entry().ref()).toList() + ")");
        }
        PredictorHolder holder = new PredictorHolder(registry, Clock.systemUTC(), InferenceService.runTimer(metrics));
        if (plan.total() == 0) {
            return new Running(null, holder);
        }
        Properties consumer = clients.consumer("replay", plan.groupId());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(cfg.get(InferenceSettings.MAX_BATCH)));
        LoopSettings settings = LoopSettings.builder().consumer(consumer)
                .producer(clients.transactionalProducer("replay", plan.groupId())).input(topics.spectra)
                .output(plan.output()).rejected(topics.rejected).maxMessageBytes(cfg.get(XasConfig.MAX_MESSAGE_BYTES))
                .maxWait(Duration.ofMillis(50)).role("replay").bounds(Bounds.until(plan.until())).build();
        return new Running(new InferenceLoop(settings, holder, metrics), holder);
    }

    /** A replay under way: its loop on a thread of its own, ending at the plan's end. */
    public static final class Running implements AutoCloseable {
        private final InferenceLoop loop;
        private final PredictorHolder holder;
        private final CompletableFuture<Long> end = new CompletableFuture<>();
        private final Thread thread;

        private Running(InferenceLoop loop, PredictorHolder holder) {
            this.loop = loop;
            this.holder = holder;
            if (loop == null) {
                thread = null;
                end.complete(0L); // nothing to replay
                return;
            }
            thread = new Thread(() -> {
                loop.run();
                if (loop.finished()) {
                    end.complete(loop.answered());
                } else {
                    end.completeExceptionally(new IOException("replay stopped before its end: " + loop.failure()));
                }
            }, "replay-poll");
            thread.start();
        }

        /** Completes with the spectra answered once the plan's end is reached; fails when the loop stopped before. */
        public CompletableFuture<Long> end() {
            return end;
        }

        public long answered() {
            return loop == null ? 0 : loop.answered();
        }

        /** Stops the loop if it still runs (within its stop budget) and closes the models. */
        @Override
        public void close() {
            try {
                if (thread != null && thread.isAlive()) {
                    loop.stop();
                    thread.join(1_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holder.close();
            }
        }
    }

    private static Map<TopicPartition, Long> bound(Admin admin, List<TopicPartition> partitions, Bound b,
                                                   Map<TopicPartition, Long> latest) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (b.offset() != null) {
            partitions.forEach(tp -> out.put(tp, b.offset()));
            return out;
        }
        Map<TopicPartition, Long> byTime = offsets(admin, partitions, OffsetSpec.forTimestamp(b.time().toEpochMilli()));
        partitions.forEach(tp -> {
            long o = byTime.get(tp);
            out.put(tp, o < 0 ? latest.get(tp) : o); // -1: no record at or after that time
        });
        return out;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
