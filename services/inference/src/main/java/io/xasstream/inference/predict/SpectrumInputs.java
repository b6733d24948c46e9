package io.xasstream.inference.predict;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.SourceIds;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link SpectrumInput}s from the sources spectra arrive from. */
public final class SpectrumInputs {
    /** Experiment id of offline predictions (files on disk, no Kafka). */
    public static final String OFFLINE = "offline";

    private SpectrumInputs() {
    }

    /**
     * A spectrum file for offline prediction: the id is the file as given, the sample the header's name or the file.
     *
     * @param element   absorber, overriding the header (null: the header's)
     * @param edge      edge, overriding the header (null: the header's, else K)
     * @param calibrate use the reference-foil channel for energy calibration when the file has one
     */
    public static SpectrumInput fromFile(SpectrumFile f, String element, String edge, boolean calibrate,
                                         Instant now) {
        String el = element != null ? element : f.element().orElse(null);
        String ed = edge != null ? edge : f.edge().orElse("K");
        String sample = f.sampleName().orElse(f.source());
        Map<String, ConditionValue> conditions = new LinkedHashMap<>();
        f.conditions().forEach((k, v) -> conditions.put(k, new ConditionValue(v.value(), v.unit())));
        SourceIds source = SourceIds.newBuilder().setFacility("").setBeamline("").setExperimentId(OFFLINE)
                .setSampleId(sample).build();
        return new SpectrumInput(f.source(), RecordKeys.of(OFFLINE, sample), source, null,
                f.startTime().orElse(now), now, el, ed, f.energy(), f.mu(), calibrate ? f.referenceMu() : null,
                null, null, conditions);
    }
}
