package io.xasstream.ingest.karabo;

import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.mapping.IngestRejection;
import io.xasstream.ingest.msgpack.MsgpackException;
import io.xasstream.ingest.msgpack.NdArray;
import io.xasstream.ingest.profile.Profile;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.MeasurementMode;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.RegularEnergyAxis;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spectrometer mode: the per-pulse spectra of one train (pulses × pixels) → one {@link SpectrumBatch} with the
 * train id, the pulse ids, the pixel → eV calibration as energy axis, i0 per pulse from the XGM (the same value
 * across a row's pixels) and the detector rows as itrans or ifluor.
 */
public final class SpectrometerMapper {
    private final Profile.Karabo profile;

    public SpectrometerMapper(Profile.Karabo profile) {
        this.profile = profile;
    }

    /**
     * @throws IngestRejection MISSING_COLUMN (no detector array, no XGM value for every pulse),
     *                         UNDECODABLE_DOCUMENT (an array of an unusable dtype)
     */
    public SpectrumBatch map(Train train) throws IngestRejection {
        try {
            NdArray det = train.value(profile.spectrometer()).filter(NdArray.class::isInstance).map(NdArray.class::cast)
                    .orElseThrow(() -> missing(train, "spectrometer " + profile.spectrometer()));
            if (det.shape().length > 2 || det.size() == 0) {
                throw new IngestRejection(ReasonCode.MISSING_COLUMN, "train " + train.trainId() + ": spectrometer "
                        + "array has shape " + Arrays.toString(det.shape()) + ", not pulses x pixels");
            }
            int pulses = det.rows();
            int pixels = det.columns();
            double[] counts = det.toDoubles();
            double[] xgm = train.numbers(profile.xgm()).orElseThrow(() -> missing(train, "XGM " + profile.xgm()));
            if (xgm.length < pulses) {
                throw new IngestRejection(ReasonCode.MISSING_COLUMN, "train " + train.trainId() + ": XGM has "
                        + xgm.length + " values for " + pulses + " pulses");
            }
            int[] pulseIds = pulseIds(train, pulses);
            float[] i0 = new float[pulses * pixels];
            float[] signal = new float[pulses * pixels];
            for (int p = 0; p < pulses; p++) {
                for (int x = 0; x < pixels; x++) {
                    i0[p * pixels + x] = (float) xgm[p];
                    signal[p * pixels + x] = (float) counts[p * pixels + x];
                }
            }
            List<String> ids = new ArrayList<>(pulses);
            List<Instant> times = new ArrayList<>(pulses);
            List<Integer> pulseList = new ArrayList<>(pulses);
            Instant at = KaraboTime.instant(train.timestamp());
            for (int p = 0; p < pulses; p++) {
                ids.add(profile.experiment() + "-" + train.trainId() + "-" + pulseIds[p]);
                times.add(at);
                pulseList.add(pulseIds[p]);
            }
            boolean fluor = profile.signal().equals("ifluor");
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("source", "karabo:" + profile.spectrometer().source());
            metadata.put("mode", "spectrometer");
            return SpectrumBatch.newBuilder()
                    .setBatchId(profile.experiment() + "-train-" + train.trainId())
                    .setSource(ids())
                    .setTrainId(train.trainId())
                    .setElement(profile.element())
                    .setEdge(SpectrumRecords.edge(profile.edge()))
                    .setMode(fluor ? MeasurementMode.FLUORESCENCE : MeasurementMode.TRANSMISSION)
                    .setEnergy(axis(pixels))
                    .setCount(pulses)
                    .setSpectrumIds(ids)
                    .setAcquiredAt(times)
                    .setPulseIds(pulseList)
                    .setI0(floats(i0))
                    .setItrans(fluor ? null : floats(signal))
                    .setIfluor(fluor ? floats(signal) : null)
                    .setConditions(conditions(train, profile))
                    .setMetadata(metadata)
                    .build();
        } catch (MsgpackException e) {
            throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, "train " + train.trainId() + ": "
                    + e.getMessage());
        }
    }

    /** The record key of every batch of this profile. */
    public String key() {
        return RecordKeys.of(profile.experiment(), profile.sample());
    }

    private SourceIds ids() {
        return SourceIds.newBuilder().setFacility(profile.facility()).setBeamline(profile.beamline())
                .setExperimentId(profile.experiment()).setSampleId(profile.sample()).setScanId(null).build();
    }

    private int[] pulseIds(Train train, int pulses) throws MsgpackException {
        int[] ids = new int[pulses];
        double[] given = profile.pulseIds().present() ? train.numbers(profile.pulseIds()).orElse(null) : null;
        for (int p = 0; p < pulses; p++) {
            ids[p] = given != null && p < given.length ? (int) given[p] : p;
        }
        return ids;
    }

    /** eV = c0 + c1·p + c2·p² ...: linear calibrations travel as a regular axis (three numbers). */
    Object axis(int pixels) throws IngestRejection {
        List<Double> c = profile.calibration();
        if (c.size() <= 2) {
            double step = c.size() < 2 ? 1.0 : c.get(1);
            if (!(step > 0)) {
                throw new IngestRejection(ReasonCode.NON_MONOTONIC_ENERGY, "calibration " + c + " is not increasing");
            }
            return new RegularEnergyAxis(c.get(0), step, pixels);
        }
        List<Double> e = new ArrayList<>(pixels);
        for (int p = 0; p < pixels; p++) {
            double v = 0;
            for (int k = c.size() - 1; k >= 0; k--) {
                v = v * p + c.get(k);
            }
            e.add(v);
        }
        return new ExplicitEnergyAxis(e);
    }

    static Map<String, ConditionValue> conditions(Train train, Profile.Karabo profile) throws MsgpackException {
        Map<String, ConditionValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, Profile.Source> c : profile.conditions().entrySet()) {
            var v = train.numbers(c.getValue());
            if (v.isPresent() && v.get().length > 0) {
                out.put(c.getKey(), new ConditionValue(v.get()[0], ""));
            }
        }
        return out;
    }

    private static IngestRejection missing(Train train, String what) {
        return new IngestRejection(ReasonCode.MISSING_COLUMN, "train " + train.trainId() + " has no " + what);
    }

    static ByteBuffer floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        b.flip();
        return b;
    }
}
