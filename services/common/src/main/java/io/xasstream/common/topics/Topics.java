package io.xasstream.common.topics;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.serde.SerdeFactory;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.ingest.IngestCheckpoint;
import io.xasstream.schema.model.ModelAnnouncement;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The typed topic registry: every topic of xasstream, its key/value serdes and creation settings. */
public final class Topics {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,100}");

    /** Spectrum | SpectrumBatch, key experiment/sample. The archive that replay reads: long retention. */
    public final Topic<String, SpecificRecord> spectra;
    /** InferenceResult of the live models. */
    public final Topic<String, InferenceResult> results;
    /** InferenceResult of the shadow model, for comparison with the live one. */
    public final Topic<String, InferenceResult> resultsShadow;
    /** Dead letters: anything that could not be decoded, validated, routed or inferred. */
    public final Topic<String, RejectedSpectrum> rejected;
    /** Latest OperandoState per sample (compacted). */
    public final Topic<String, OperandoState> operandoState;
    /** Change-point alerts: the beamline-feedback channel. */
    public final Topic<String, Alert> alerts;
    /** ModelAnnouncement per model id (compacted): drives hot swaps. */
    public final Topic<String, ModelAnnouncement> models;
    /** IngestCheckpoint per source item (compacted): what the archive adapters have already published. */
    public final Topic<String, IngestCheckpoint> ingestCheckpoints;

    private final SerdeFactory serdes;
    private final Map<String, String> resultConfig;
    private final String prefix;

    public Topics(XasConfig config) {
        this(config, new SerdeFactory(config));
    }

    public Topics(XasConfig config, SerdeFactory serdes) {
        this.serdes = serdes;
        this.prefix = config.get(TopicSettings.PREFIX);
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(TopicSettings.PREFIX.name() + " '" + prefix + "' may hold only letters, "
                    + "digits, . _ - (at most 100)");
        }
        Serde<String> key = Serdes.String();
        String spectraRetention = String.valueOf(config.get(XasConfig.SPECTRA_RETENTION_MS));
        this.resultConfig = Map.of("retention.ms", String.valueOf(config.get(XasConfig.RESULTS_RETENTION_MS)));
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");

        spectra = new Topic<>(prefix + "xas.spectra", key, serdes.forAny(List.of(Spectrum.class, SpectrumBatch.class)),
                Map.of("retention.ms", spectraRetention, "max.message.bytes", String.valueOf(16 * 1024 * 1024)),
                "Spectrum | SpectrumBatch from beamlines, XFELs, `send` and the demo; the archive replay reads");
        results = new Topic<>(prefix + "xas.results", key, serdes.forType(InferenceResult.class), resultConfig,
                "InferenceResult per spectrum from the live models");
        resultsShadow = new Topic<>(prefix + "xas.results.shadow", key, serdes.forType(InferenceResult.class),
                resultConfig,
                "InferenceResult from the shadow model (comparison before promotion)");
        rejected = new Topic<>(prefix + "xas.rejected", key, serdes.forType(RejectedSpectrum.class), resultConfig,
                "RejectedSpectrum dead letters with reason code, stage and the original bytes");
        operandoState = new Topic<>(prefix + "xas.operando-state", key, serdes.forType(OperandoState.class), compacted,
                "OperandoState, latest per sample (compacted)");
        alerts = new Topic<>(prefix + "xas.alerts", key, serdes.forType(Alert.class), resultConfig,
                "Alert on detected changes (oxidation state, coordination, first-shell peak)");
        models = new Topic<>(prefix + "xas.models", Serdes.String(), serdes.forType(ModelAnnouncement.class), compacted,
                "ModelAnnouncement per model id (compacted); drives hot swaps");
        ingestCheckpoints = new Topic<>(prefix + "xas.ingest.checkpoints", Serdes.String(),
                serdes.forType(IngestCheckpoint.class), compacted,
                "IngestCheckpoint per source item (compacted): runs an archive adapter (ingest tiled) has handled");
    }

    /** The fixed topics, created at start-up. */
    public List<Topic<?, ?>> all() {
        return List.of(spectra, results, resultsShadow, rejected, operandoState, alerts, models, ingestCheckpoints);
    }

    /** A versioned results topic that a replay writes into, e.g. xas.results.fe-k-v2. */
    public Topic<String, InferenceResult> resultsFor(String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("'" + version + "' is not a valid version label "
                    + "(letters, digits, . _ -)");
        }
        return new Topic<>(results.name() + "." + version, Serdes.String(), serdes.forType(InferenceResult.class),
                resultConfig, "InferenceResult of a replay through model version " + version);
    }
}
