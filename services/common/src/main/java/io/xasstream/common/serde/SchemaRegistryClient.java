package io.xasstream.common.serde;

import java.util.Optional;
import org.apache.avro.Schema;

/** The two schema-registry calls the Confluent wire format needs. */
public interface SchemaRegistryClient {
    /** Registers (or finds) the schema under the subject and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id, empty when the registry does not know it. */
    Optional<Schema> byId(int id);
}
