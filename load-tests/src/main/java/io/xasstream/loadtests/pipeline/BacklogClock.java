package io.xasstream.loadtests.pipeline;

import java.time.Duration;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Times a reader through a backlog's answers as {@link PipelineBenchmark} times the pipeline's: from the first poll
 * that returns records (those untimed: start-up is not throughput) to the last.
 */
final class BacklogClock {
    private long first;
    private long untimed;
    private long seen;

    /** One poll of the reader; true when it was the first to bring records (the clock starts now). */
    boolean poll(KafkaConsumer<?, ?> reader) {
        int n = reader.poll(Duration.ofMillis(100)).count();
        seen += n;
        if (n > 0 && first == 0) {
            first = System.nanoTime();
            untimed = n;
            return true;
        }
        return false;
    }

    long seen() {
        return seen;
    }

    /** Records after the first poll's. */
    long timed() {
        return seen - untimed;
    }

    double perSecond() {
        return timed() / ((System.nanoTime() - first) / 1e9);
    }
}
