package io.xasstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Archived topics stay readable: every schema is backward and forward compatible with all its committed versions. */
class SchemaCompatibilityTest {

    static List<Class<? extends SpecificRecordBase>> records() {
        return SchemaHistory.TOP_LEVEL;
    }

    @ParameterizedTest
    @MethodSource("records")
    void generatedSchemaIsTheNewestCommittedVersion(Class<? extends SpecificRecordBase> type) {
        List<Schema> history = SchemaHistory.versions(type);
        assertThat(history)
                .as("no committed snapshot for %s: run SchemaHistory.main (see schemas/README.md)", type.getName())
                .isNotEmpty();
        assertThat(history.get(history.size() - 1))
                .as("%s changed since its newest snapshot: if the change is compatible, add a snapshot "
                        + "(see schemas/README.md); the compatibility check then runs against every older one",
                        type.getName())
                .isEqualTo(SchemaHistory.current(type));
    }

    @ParameterizedTest
    @MethodSource("records")
    void currentSchemaReadsAndIsReadByEveryCommittedVersion(Class<? extends SpecificRecordBase> type) {
        Schema current = SchemaHistory.current(type);
        List<String> problems = new ArrayList<>();
        List<Schema> history = SchemaHistory.versions(type);
        for (int i = 0; i < history.size(); i++) {
            problems.addAll(incompatibilities(current, history.get(i), "v" + (i + 1)));
        }
        assertThat(problems).as("incompatible changes in %s", type.getName()).isEmpty();
    }

    @Test
    void removingAFieldWithoutDefaultIsCaughtAsForwardIncompatible() {
        // Given v1 of Spectrum, When a field without a default is removed in a "new" version,
        Schema v1 = SchemaHistory.versions(Spectrum.class).get(0);
        Schema withoutElement = withoutField(v1, "element");

        // Then an old reader can no longer read what the new writer writes.
        assertThat(incompatibilities(withoutElement, v1, "v1"))
                .anySatisfy(p -> assertThat(p).contains("forward").contains("element"));
    }

    @Test
    void addingAFieldWithoutDefaultIsCaughtAsBackwardIncompatible() {
        Schema v1 = SchemaHistory.versions(InferenceResult.class).get(0);
        List<Schema.Field> fields = new ArrayList<>();
        v1.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("newMandatory", Schema.create(Schema.Type.STRING), "no default", (Object) null));
        Schema v2 = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);

        assertThat(incompatibilities(v2, v1, "v1"))
                .anySatisfy(p -> assertThat(p).contains("backward").contains("newMandatory"));
    }

    /** Backward: the current schema reads data written with the old one. Forward: the old one reads current data. */
    static List<String> incompatibilities(Schema current, Schema old, String label) {
        List<String> problems = new ArrayList<>();
        var backward = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
        if (backward.getType() != SchemaCompatibilityType.COMPATIBLE) {
            problems.add("backward (new reads " + label + "): " + backward.getResult().getIncompatibilities());
        }
        var forward = SchemaCompatibility.checkReaderWriterCompatibility(old, current);
        if (forward.getType() != SchemaCompatibilityType.COMPATIBLE) {
            problems.add("forward (" + label + " reads new): " + forward.getResult().getIncompatibilities());
        }
        return problems;
    }

    private static Schema withoutField(Schema record, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        record.getFields().stream().filter(f -> !f.name().equals(name))
                .forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
