package io.xasstream.common.serde;

import io.xasstream.common.config.XasConfig;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Builds the Avro serdes in the framing the configuration selects (single-object by default, or Confluent). */
public final class SerdeFactory {
    private final XasConfig config;
    private volatile SchemaRegistryClient registry;

    public SerdeFactory(XasConfig config) {
        this.config = config;
    }

    public <T extends SpecificRecord> AvroSerde<T> forType(Class<T> type) {
        return switch (config.get(XasConfig.SERDE_FORMAT)) {
            case SINGLE_OBJECT -> new AvroSerde<>(SingleObjectCodec.of(type));
            case CONFLUENT -> new AvroSerde<>(new ConfluentWireCodec<T>(registry(), List.of(type)));
        };
    }

    /** For topics that carry several record types. */
    public AvroSerde<SpecificRecord> forAny(List<Class<? extends SpecificRecord>> types) {
        return switch (config.get(XasConfig.SERDE_FORMAT)) {
            case SINGLE_OBJECT -> new AvroSerde<>(SingleObjectCodec.ofAny(types));
            case CONFLUENT -> new AvroSerde<>(new ConfluentWireCodec<>(registry(), types));
        };
    }

    private SchemaRegistryClient registry() {
        if (registry == null) {
            synchronized (this) {
                if (registry == null) {
                    registry = new HttpSchemaRegistryClient(config.get(XasConfig.REGISTRY_URL),
                            config.get(XasConfig.REGISTRY_AUTH));
                }
            }
        }
        return registry;
    }
}
