package io.xasstream.inference.loop;

import io.xasstream.inference.predict.SpectrumInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The batch the poller is filling; only the poller touches it, until it is sealed and handed over. */
final class Filling implements SpectrumDecoder.Sink {
    private final int epoch;
    private final ModelSet.Preparation live;
    private final Optional<ModelSet.Preparation> shadow;
    private final List<ConsumerRecord<byte[], byte[]>> origins = new ArrayList<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private int records;

    Filling(int epoch, ModelSet.Preparation live, Optional<ModelSet.Preparation> shadow) {
        this.epoch = epoch;
        this.live = live;
        this.shadow = shadow;
    }

    /** A record taken into the batch: committing the batch commits past it. */
    void taken(ConsumerRecord<byte[], byte[]> r) {
        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        records++;
    }

    @Override
    public void spectrum(SpectrumInput input, ConsumerRecord<byte[], byte[]> origin) {
        live.add(input);
        shadow.ifPresent(s -> s.add(input));
        origins.add(origin);
    }

    @Override
    public void refused(Refusal refusal) {
        refusals.add(refusal);
    }

    /** Spectra in the batch. */
    int size() {
        return live.size();
    }

    boolean full(int maxBatch) {
        return Math.max(live.size(), records) >= maxBatch;
    }

    /**
     * The batch as handed over. The lists are read-only views, not copies: a batch may be offered many times before
     * the inferrer takes it, and once taken the poller never touches this filling again.
     */
    PolledBatch seal(ConsumerGroupMetadata group) {
        return new PolledBatch(epoch, live, shadow, Collections.unmodifiableList(origins),
                Collections.unmodifiableList(refusals), Collections.unmodifiableMap(offsets), group);
    }
}
