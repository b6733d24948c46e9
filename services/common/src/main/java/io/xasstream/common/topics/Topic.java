package io.xasstream.common.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its serdes and the configuration it is created with: the only way code names a topic.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Topic<K, V> {
    private final String name;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final Map<String, String> topicConfig;
    private final String description;

    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> topicConfig,
                 String description) {
        this.name = Objects.requireNonNull(name);
        this.keySerde = Objects.requireNonNull(keySerde);
        this.valueSerde = Objects.requireNonNull(valueSerde);
        this.topicConfig = Map.copyOf(topicConfig);
        this.description = description;
    }

    public String name() {
        return name;
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    /** Broker-side topic configuration (cleanup.policy, retention.ms ...) used when the topic is created. */
    public Map<String, String> topicConfig() {
        return topicConfig;
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name;
    }
}
