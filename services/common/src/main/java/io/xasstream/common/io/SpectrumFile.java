package io.xasstream.common.io;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One spectrum read from a file: energies (eV), mu(E) as the beamline would derive it, the raw channels when the
 * file has them, the reference-foil mu when there is a reference channel, and what the header said.
 *
 * @param source      the file name as given on the command line
 * @param energy      energies in eV, in file order
 * @param mu          mu(E), one value per energy
 * @param muSource    how mu was obtained, e.g. "mutrans" or "ln(i0/itrans)"
 * @param channels    raw detector channels by canonical name (i0, itrans, ifluor, irefer); empty if none
 * @param referenceMu reference-foil mu = ln(itrans/irefer), or null
 * @param element     absorber symbol from the header, if any
 * @param edge        edge from the header (K, L3, ...), if any
 * @param sampleName  Sample.name from the header, if any
 * @param mode        transmission / fluorescence / unknown, from the columns used
 * @param startTime   Scan.start_time, if parseable
 * @param conditions  operando conditions from the header (Sample.temperature ...), value + unit
 * @param header      every header field as "Namespace.tag" to value
 */
public record SpectrumFile(String source, double[] energy, double[] mu, String muSource,
                           Map<String, double[]> channels, double[] referenceMu,
                           Optional<String> element, Optional<String> edge, Optional<String> sampleName,
                           Mode mode, Optional<Instant> startTime, Map<String, Condition> conditions,
                           Map<String, String> header) {

    /** How mu was measured. */
    public enum Mode { TRANSMISSION, FLUORESCENCE, UNKNOWN }

    /** An operando condition read from the header. */
    public record Condition(double value, String unit) {
    }

    public int points() {
        return energy.length;
    }
}
