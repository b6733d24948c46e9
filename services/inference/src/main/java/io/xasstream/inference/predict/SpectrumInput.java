package io.xasstream.inference.predict;

import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.common.XfelPulse;
import java.time.Instant;
import java.util.Map;

/**
 * One spectrum to answer: identity, absorber, mu(E) on its energies, optional reference-foil mu, optional fixed E0
 * or known calibration shift, and the operando conditions carried into the result.
 */
public record SpectrumInput(String spectrumId, String key, SourceIds source, XfelPulse xfel, Instant acquiredAt,
                            Instant receivedAt, String element, String edge, double[] energy, double[] mu,
                            double[] referenceMu, Double e0, Double energyShift,
                            Map<String, ConditionValue> conditions) {
}
