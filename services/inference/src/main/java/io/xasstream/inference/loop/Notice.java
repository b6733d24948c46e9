package io.xasstream.inference.loop;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** What the other stages (and {@code stop()}) tell the poller, through its bounded inbox. */
sealed interface Notice {
    /** A transaction committed: the next offset per partition, the batches and the spectra it settled. */
    record Committed(Map<TopicPartition, Long> nextOffsets, int batches, long spectra) implements Notice {
    }

    /** Batches of a rewound epoch that were not committed. */
    record Dropped(int batches) implements Notice {
    }

    /** A transaction aborted: re-read every partition from its last commit (the committer waits for the fence). */
    record Aborted(int batches) implements Notice {
    }

    /** A stage failed: the loop stops. */
    record Failed(Throwable cause) implements Notice {
    }

    /** Stop taking records, commit what is in flight, close. */
    record Stop() implements Notice {
    }
}
