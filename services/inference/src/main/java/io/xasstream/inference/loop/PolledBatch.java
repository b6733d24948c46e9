package io.xasstream.inference.loop;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A batch as the poller hands it over: the spectra prepared for the live (and shadow) models, the record each came
 * from (same order), the records refused while decoding, and the offsets the batch completes. The poller never
 * touches it again.
 *
 * @param epoch the poller's epoch when the batch was started; the committer drops batches of a rewound epoch
 */
record PolledBatch(int epoch, ModelSet.Preparation live, Optional<ModelSet.Preparation> shadow,
                   List<ConsumerRecord<byte[], byte[]>> origins, List<Refusal> refusals,
                   Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) implements Handoff {
}
