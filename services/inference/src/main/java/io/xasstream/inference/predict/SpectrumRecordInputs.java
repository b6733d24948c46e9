package io.xasstream.inference.predict;

import io.xasstream.common.records.SpectrumArrays;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.preprocess.MuFromChannels;
import io.xasstream.schema.common.XfelPulse;
import io.xasstream.schema.spectrum.RawChannels;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Avro spectra as they arrive on the topic → {@link SpectrumInput}s (mu derived from raw channels as beamlines do). */
public final class SpectrumRecordInputs {
    private SpectrumRecordInputs() {
    }

    /** One input, or the reason the record cannot be one (missing or inconsistent arrays, bad channels). */
    public static SpectrumInput from(Spectrum s, Instant receivedAt) throws SpectrumRejectedException {
        double[] energy = energy(s.getEnergy());
        double[] mu;
        double[] reference = null;
        if (s.getMu() != null) {
            mu = doubles(s.getMu());
            if (s.getReferenceMu() != null) {
                reference = doubles(s.getReferenceMu());
                requireLength("referenceMu", reference.length, energy.length);
            }
        } else if (s.getChannels() != null) {
            RawChannels c = s.getChannels();
            double[] i0 = doubles(c.getI0());
            requireLength("i0", i0.length, energy.length);
            if (c.getItrans() != null) {
                double[] it = doubles(c.getItrans());
                mu = MuFromChannels.transmission(i0, it);
                if (c.getIrefer() != null) {
                    reference = MuFromChannels.transmission(it, doubles(c.getIrefer()));
                }
            } else if (c.getIfluor() != null) {
                mu = MuFromChannels.fluorescence(i0, doubles(c.getIfluor()));
            } else {
                throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "channels carry i0 but neither itrans "
                        + "nor ifluor");
            }
        } else {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "neither mu nor raw channels");
        }
        requireLength("mu", mu.length, energy.length);
        requireElement(s.getElement());
        return new SpectrumInput(s.getSpectrumId(), RecordKeys.of(s.getSource().getExperimentId(),
                s.getSource().getSampleId()), s.getSource(), s.getXfel(), s.getAcquiredAt(), receivedAt, s.getElement(),
                s.getEdge().name(), energy, mu, reference, s.getE0Ev(), s.getEnergyShiftEv(), s.getConditions());
    }

    /**
     * The rows of a column-wise batch, each an input or a rejection; a batch whose shape is inconsistent rejects
     * as a whole (the exception).
     */
    public static List<Row> from(SpectrumBatch b, Instant receivedAt) throws SpectrumRejectedException {
        double[] energy = energy(b.getEnergy());
        int n = b.getCount();
        int p = energy.length;
        if (n <= 0 || b.getSpectrumIds().size() != n || b.getAcquiredAt().size() != n
                || (b.getPulseIds() != null && b.getPulseIds().size() != n)) {
            throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, "batch of count " + n + " has "
                    + b.getSpectrumIds().size() + " ids and " + b.getAcquiredAt().size() + " times");
        }
        requireElement(b.getElement());
        float[][] mu = matrix("mu", b.getMu(), n, p);
        float[][] i0 = matrix("i0", b.getI0(), n, p);
        float[][] it = matrix("itrans", b.getItrans(), n, p);
        float[][] fl = matrix("ifluor", b.getIfluor(), n, p);
        float[][] ir = matrix("irefer", b.getIrefer(), n, p);
        if (mu == null && (i0 == null || (it == null && fl == null))) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "batch has neither mu nor i0 with "
                    + "itrans/ifluor");
        }
        String key = RecordKeys.of(b.getSource().getExperimentId(), b.getSource().getSampleId());
        List<Row> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            String id = b.getSpectrumIds().get(r);
            try {
                double[] m;
                double[] ref = null;
                if (mu != null) {
                    m = toDoubles(mu[r]);
                } else if (it != null) {
                    m = MuFromChannels.transmission(toDoubles(i0[r]), toDoubles(it[r]));
                    if (ir != null) {
                        ref = MuFromChannels.transmission(toDoubles(it[r]), toDoubles(ir[r]));
                    }
                } else {
                    m = MuFromChannels.fluorescence(toDoubles(i0[r]), toDoubles(fl[r]));
                }
                XfelPulse pulse = b.getTrainId() == null ? null : new XfelPulse(b.getTrainId(),
                        b.getPulseIds() == null ? r : b.getPulseIds().get(r));
                rows.add(new Row(id, new SpectrumInput(id, key, b.getSource(), pulse, b.getAcquiredAt().get(r),
                        receivedAt, b.getElement(), b.getEdge().name(), energy, m, ref, b.getE0Ev(),
                        b.getEnergyShiftEv(), b.getConditions()), null));
            } catch (SpectrumRejectedException e) {
                rows.add(new Row(id, null, e));
            }
        }
        return rows;
    }

    /** One row of a batch: an input, or why it is not one. */
    public record Row(String spectrumId, SpectrumInput input, SpectrumRejectedException rejection) {
    }

    static double[] energy(Object axis) throws SpectrumRejectedException {
        return SpectrumArrays.energy(axis);
    }

    private static void requireElement(String element) throws SpectrumRejectedException {
        if (element == null || element.isBlank()) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "no element");
        }
    }

    private static void requireLength(String name, int length, int points) throws SpectrumRejectedException {
        if (length == 0) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "empty " + name);
        }
        if (length != points) {
            throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, length + " " + name + " values for "
                    + points + " energies");
        }
    }

    private static float[][] matrix(String name, ByteBuffer bytes, int rows, int cols)
            throws SpectrumRejectedException {
        if (bytes == null) {
            return null;
        }
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() != (long) rows * cols * 4) {
            throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, name + " has " + b.remaining()
                    + " bytes, expected " + rows + " x " + cols + " float32 = " + (long) rows * cols * 4);
        }
        float[][] m = new float[rows][cols];
        var fb = b.asFloatBuffer();
        for (int r = 0; r < rows; r++) {
            fb.get(m[r]);
        }
        return m;
    }

    private static double[] doubles(List<Double> values) {
        return SpectrumArrays.doubles(values);
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
