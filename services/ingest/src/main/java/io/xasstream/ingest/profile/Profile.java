package io.xasstream.ingest.profile;

import java.util.List;
import java.util.Map;

/**
 * How a facility's documents map onto our {@code Spectrum}: which columns are energy, i0, itrans, fluorescence
 * and reference, where element, edge, sample and experiment are in the start metadata, which fields are operando
 * conditions, and (for the Karabo bridge) which sources and paths hold the detector, the XGM and the mono.
 *
 * <p>Paths are dotted with list indices ({@code XDI.Element.symbol}, {@code motors[0]}). An energy candidate
 * prefixed {@code start:} names a path in the start document whose value is the energy column's name
 * ({@code start:hints.dimensions}, {@code start:motors[0]}).
 *
 * @param name      a label for logs and metadata
 * @param stream    the event stream holding the scan (Bluesky: {@code primary})
 * @param energy    energy column candidates, first present wins
 * @param energyUnit eV or keV, used when the descriptor does not give the column's units
 * @param ifluor    fluorescence channels, summed; used when the run has no itrans column
 * @param conditions operando conditions by name
 * @param metadata  start-document paths copied into the spectrum's metadata
 */
public record Profile(String name, String facility, String beamline, String stream, List<String> energy,
                      String energyUnit, String i0, String itrans, String irefer, List<String> ifluor,
                      List<String> element, List<String> edge, String edgeDefault, List<String> sample,
                      String sampleDefault, List<String> experiment, String experimentDefault,
                      Map<String, Condition> conditions, List<String> metadata, Karabo karabo, Tiled tiled) {

    /** Prefix of an energy candidate that is looked up in the start document. */
    public static final String START_PREFIX = "start:";

    /**
     * An operando condition: the mean of the first present field of a stream over the run.
     *
     * @param unit used when the descriptor gives none ("" for none at all)
     */
    public record Condition(String stream, List<String> fields, String unit) {
    }

    /** Where a Karabo value lives: a source (device/output channel) and a flattened key path. */
    public record Source(String source, String path) {
        public boolean present() {
            return source != null && !source.isBlank() && path != null && !path.isBlank();
        }
    }

    /** Karabo bridge modes. */
    public enum KaraboMode { SPECTROMETER, SCAN }

    /**
     * The Karabo bridge mapping.
     *
     * @param calibration pixel → eV polynomial coefficients c0, c1, c2 ... (eV = c0 + c1·p + c2·p² ...)
     * @param signal      itrans or ifluor: what the spectrometer / scan detector measures
     * @param pulseIds    optional per-pulse ids in the detector source (default 0, 1, 2 ...)
     * @param scanId      a value that identifies the scan; a change ends the scan (scan mode)
     * @param binEv       energy bin width of scan mode
     */
    public record Karabo(KaraboMode mode, String facility, String beamline, String experiment, String sample,
                         String element, String edge,
                         Source spectrometer, Source pulseIds, List<Double> calibration, String signal, Source xgm,
                         Source monoEnergy, String energyUnit, Source scanDetector, Source scanId, double binEv,
                         Map<String, Source> conditions) {
    }

    /**
     * The Tiled layout of a Bluesky run.
     *
     * @param table path of the event table below a run and stream, e.g. {@code internal} for
     *              {@code <run>/primary/internal}; empty for a stream that is itself the table
     */
    public record Tiled(String table) {
    }
}
