package io.xasstream.ingest.mapping;

import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.MeasurementMode;
import java.time.Instant;
import java.util.Map;

/**
 * One scan mapped out of a source, ready to become a {@code Spectrum}: ids, absorber, energies (eV, increasing as
 * measured or reversed) and the raw channels (itrans or ifluor; irefer only with itrans).
 */
public record Scan(String scanId, String facility, String beamline, String experimentId, String sampleId,
                   String element, String edge, MeasurementMode mode, Instant acquiredAt, double[] energy,
                   double[] i0, double[] itrans, double[] ifluor, double[] irefer,
                   Map<String, ConditionValue> conditions, Map<String, String> metadata) {

    public int points() {
        return energy.length;
    }
}
