package io.xasstream.ingest.mapping;

import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.RawChannels;
import io.xasstream.schema.spectrum.Spectrum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** {@link Scan} → the Avro {@link Spectrum} every adapter publishes: raw channels, so mu is derived downstream. */
public final class SpectrumBuilder {
    private SpectrumBuilder() {
    }

    /** @param spectrumId deterministic (the run uid), so a replayed source yields the same ids */
    public static Spectrum spectrum(Scan scan, String spectrumId) {
        return Spectrum.newBuilder()
                .setSpectrumId(spectrumId)
                .setSource(SourceIds.newBuilder()
                        .setFacility(scan.facility() == null ? "" : scan.facility())
                        .setBeamline(scan.beamline() == null ? "" : scan.beamline())
                        .setExperimentId(scan.experimentId())
                        .setSampleId(scan.sampleId())
                        .setScanId(scan.scanId())
                        .build())
                .setAcquiredAt(scan.acquiredAt())
                .setElement(scan.element())
                .setEdge(SpectrumRecords.edge(scan.edge()))
                .setMode(scan.mode())
                .setEnergy(new ExplicitEnergyAxis(list(scan.energy())))
                .setChannels(RawChannels.newBuilder()
                        .setI0(list(scan.i0()))
                        .setItrans(scan.itrans() == null ? null : list(scan.itrans()))
                        .setIfluor(scan.ifluor() == null ? null : list(scan.ifluor()))
                        .setIrefer(scan.irefer() == null ? null : list(scan.irefer()))
                        .build())
                .setConditions(new LinkedHashMap<>(scan.conditions()))
                .setMetadata(new LinkedHashMap<>(scan.metadata()))
                .build();
    }

    /** The record key of a spectrum: experiment/sample. */
    public static String key(Spectrum s) {
        return RecordKeys.of(s.getSource().getExperimentId(), s.getSource().getSampleId());
    }

    static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
