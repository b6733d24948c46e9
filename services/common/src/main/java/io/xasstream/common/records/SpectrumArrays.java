package io.xasstream.common.records;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.RegularEnergyAxis;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.avro.generic.PrimitivesArrays;

/** The arrays inside a Spectrum or SpectrumBatch record: its energy axis, its double lists, one matrix row. */
public final class SpectrumArrays {
    private SpectrumArrays() {
    }

    /** The energies (eV) of an explicit or regular axis. */
    public static double[] energy(Object axis) throws SpectrumRejectedException {
        if (axis instanceof ExplicitEnergyAxis e) {
            if (e.getValuesEv().isEmpty()) {
                throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "empty energy axis");
            }
            return doubles(e.getValuesEv());
        }
        if (axis instanceof RegularEnergyAxis r) {
            if (r.getCount() <= 0 || !(r.getStepEv() > 0) || !Double.isFinite(r.getStartEv())) {
                throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "regular energy axis needs count > 0, "
                        + "step > 0 and a finite start (got " + r.getCount() + ", " + r.getStepEv() + ", "
                        + r.getStartEv() + ")");
            }
            if (r.getCount() > 1_000_000) {
                throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, "regular energy axis of "
                        + r.getCount() + " points");
            }
            double[] e = new double[r.getCount()];
            for (int i = 0; i < e.length; i++) {
                e[i] = r.getStartEv() + i * r.getStepEv();
            }
            return e;
        }
        throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "no energy axis");
    }

    /** A decoded array&lt;double&gt; as primitives (a null element becomes NaN). */
    public static double[] doubles(List<Double> values) {
        if (values instanceof PrimitivesArrays.DoubleArray primitive) {
            // the codec's direct reader: no unboxing per point (a null element cannot occur in it)
            double[] out = new double[primitive.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = primitive.getDouble(i);
            }
            return out;
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            Double v = values.get(i);
            out[i] = v == null ? Double.NaN : v;
        }
        return out;
    }

    /** Row {@code row} of a rows x cols float32 little-endian matrix, or null when the matrix is absent. */
    public static double[] row(ByteBuffer matrix, int row, int rows, int cols) throws SpectrumRejectedException {
        if (matrix == null) {
            return null;
        }
        ByteBuffer b = matrix.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() != (long) rows * cols * 4) {
            throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, "matrix has " + b.remaining()
                    + " bytes, expected " + rows + " x " + cols + " float32 = " + (long) rows * cols * 4);
        }
        double[] out = new double[cols];
        int base = b.position() + row * cols * 4;
        for (int i = 0; i < cols; i++) {
            out[i] = b.getFloat(base + i * 4);
        }
        return out;
    }
}
