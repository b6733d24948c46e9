package io.xasstream.schema;

import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.ingest.IngestCheckpoint;
import io.xasstream.schema.model.ModelAnnouncement;
import io.xasstream.schema.monitor.StoredSampleState;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Every committed version of every top-level record schema, oldest first; the newest must equal the generated one.
 *
 * <p>Snapshots live in {@code schemas/src/main/resources/io/xasstream/schema/history/<FullName>/v<N>.avsc} and
 * travel in the jar, so that decoders can read archived messages written with any earlier version.
 * Run {@code main} with the repository's {@code schemas} directory to add a snapshot after a (compatible) change.
 */
public final class SchemaHistory {
    /** The records that travel on topics (a state store's changelog is a topic too). */
    public static final List<Class<? extends SpecificRecordBase>> TOP_LEVEL = List.of(
            Spectrum.class, SpectrumBatch.class, InferenceResult.class, RejectedSpectrum.class,
            OperandoState.class, Alert.class, ModelAnnouncement.class, StoredSampleState.class,
            IngestCheckpoint.class);

    private static final String ROOT = "io/xasstream/schema/history/";

    private SchemaHistory() {
    }

    /** The schema a generated class was built from. */
    public static Schema current(Class<? extends SpecificRecord> type) {
        try {
            return (Schema) type.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type + " is not a generated Avro class", e);
        }
    }

    /** Committed versions of a record schema, v1 first; empty when none is committed. */
    public static List<Schema> versions(Class<? extends SpecificRecord> type) {
        return versions(current(type).getFullName());
    }

    /** Committed versions of the record with this full name, v1 first. */
    public static List<Schema> versions(String fullName) {
        List<Schema> out = new ArrayList<>();
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int v = 1; ; v++) {
            try (InputStream in = loader.getResourceAsStream(ROOT + fullName + "/v" + v + ".avsc")) {
                if (in == null) {
                    return out;
                }
                out.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Writes a new snapshot for every record whose generated schema differs from its newest committed version.
     * Usage: {@code SchemaHistory <path to schemas/src/main/resources>}.
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "schemas/src/main/resources").resolve(ROOT);
        for (Class<? extends SpecificRecordBase> type : TOP_LEVEL) {
            Schema schema = current(type);
            List<Schema> history = versions(type);
            if (!history.isEmpty() && history.get(history.size() - 1).equals(schema)) {
                continue;
            }
            Path file = root.resolve(schema.getFullName()).resolve("v" + (history.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, schema.toString(true) + "\n");
            System.out.println("wrote " + file);
        }
    }
}
