package io.xasstream.common.records;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.MeasurementMode;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.RawChannels;
import io.xasstream.schema.spectrum.Spectrum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the Avro {@link Spectrum} a beamline would publish from a spectrum file and the ids it belongs to. */
public final class SpectrumRecords {
    private SpectrumRecords() {
    }

    /**
     * Identity and context of a published spectrum; element/edge override the file header when set.
     *
     * @param conditions extra or overriding operando conditions (name → value + unit)
     */
    public record Context(String spectrumId, String facility, String beamline, String experimentId, String sampleId,
                          String scanId, String element, String edge, Instant acquiredAt,
                          Map<String, SpectrumFile.Condition> conditions, Map<String, String> metadata) {
    }

    /**
     * Raw channels are sent when the file has i0 with itrans or ifluor (as a beamline publishes them); otherwise mu.
     *
     * @throws IllegalArgumentException when neither the file nor the context names the element
     */
    public static Spectrum fromFile(SpectrumFile file, Context ctx) {
        String element = ctx.element() != null ? ctx.element() : file.element().orElseThrow(() ->
                new IllegalArgumentException(file.source() + ": no element in the header; give --element"));
        String edgeText = ctx.edge() != null ? ctx.edge() : file.edge().orElse("K");

        Map<String, ConditionValue> conditions = new LinkedHashMap<>();
        file.conditions().forEach((k, v) -> conditions.put(k, new ConditionValue(v.value(), v.unit())));
        if (ctx.conditions() != null) {
            ctx.conditions().forEach((k, v) -> conditions.put(k, new ConditionValue(v.value(), v.unit())));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("file", file.source());
        metadata.put("muSource", file.muSource());
        file.sampleName().ifPresent(s -> metadata.put("sampleName", s));
        if (ctx.metadata() != null) {
            metadata.putAll(ctx.metadata());
        }

        Map<String, double[]> ch = file.channels();
        boolean raw = ch.containsKey("i0") && (ch.containsKey("itrans") || ch.containsKey("ifluor"))
                && !file.muSource().matches("(?i)mu.*|norm.*");
        RawChannels channels = null;
        if (raw) {
            channels = RawChannels.newBuilder()
                    .setI0(list(ch.get("i0")))
                    .setItrans(ch.containsKey("itrans") ? list(ch.get("itrans")) : null)
                    .setIfluor(ch.containsKey("ifluor") && !ch.containsKey("itrans") ? list(ch.get("ifluor")) : null)
                    .setIrefer(ch.containsKey("irefer") && ch.containsKey("itrans") ? list(ch.get("irefer")) : null)
                    .build();
        }
        return Spectrum.newBuilder()
                .setSpectrumId(ctx.spectrumId())
                .setSource(SourceIds.newBuilder()
                        .setFacility(nullToEmpty(ctx.facility()))
                        .setBeamline(nullToEmpty(ctx.beamline()))
                        .setExperimentId(ctx.experimentId())
                        .setSampleId(ctx.sampleId())
                        .setScanId(ctx.scanId())
                        .build())
                .setAcquiredAt(ctx.acquiredAt())
                .setElement(element)
                .setEdge(edge(edgeText))
                .setMode(mode(file.mode()))
                .setEnergy(new ExplicitEnergyAxis(list(file.energy())))
                .setMu(raw ? null : list(file.mu()))
                .setChannels(channels)
                .setReferenceMu(!raw && file.referenceMu() != null ? list(file.referenceMu()) : null)
                .setConditions(new LinkedHashMap<>(conditions))
                .setMetadata(metadata)
                .build();
    }

    public static AbsorptionEdge edge(String text) {
        try {
            return AbsorptionEdge.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return AbsorptionEdge.UNKNOWN;
        }
    }

    private static MeasurementMode mode(SpectrumFile.Mode mode) {
        return switch (mode) {
            case TRANSMISSION -> MeasurementMode.TRANSMISSION;
            case FLUORESCENCE -> MeasurementMode.FLUORESCENCE;
            case UNKNOWN -> MeasurementMode.UNKNOWN;
        };
    }

    private static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
