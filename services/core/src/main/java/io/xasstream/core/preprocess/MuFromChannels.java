package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;

import java.util.Locale;

/** mu from raw detector channels, as beamlines define it: ln(i0/itrans) in transmission, ifluor/i0 in fluorescence. */
public final class MuFromChannels {
    private MuFromChannels() {}

    /**
     * Transmission mu = ln(i0 / itrans).
     *
     * @throws SpectrumRejectedException MISSING_FIELD, LENGTH_MISMATCH, NON_FINITE_VALUE (also for itrans &lt;= 0,
     *                                   where the logarithm is not finite) or NON_POSITIVE_I0
     */
    public static double[] transmission(double[] i0, double[] itrans) throws SpectrumRejectedException {
        check(i0, itrans, "itrans");
        double[] mu = new double[i0.length];
        for (int i = 0; i < mu.length; i++) {
            if (!(itrans[i] > 0)) {
                throw new SpectrumRejectedException(ReasonCode.NON_FINITE_VALUE, String.format(Locale.ROOT,
                        "itrans[%d] = %s: ln(i0/itrans) is not finite", i, itrans[i]));
            }
            mu[i] = Math.log(i0[i] / itrans[i]);
        }
        return mu;
    }

    /**
     * Fluorescence mu = ifluor / i0.
     *
     * @throws SpectrumRejectedException MISSING_FIELD, LENGTH_MISMATCH, NON_FINITE_VALUE or NON_POSITIVE_I0
     */
    public static double[] fluorescence(double[] i0, double[] ifluor) throws SpectrumRejectedException {
        check(i0, ifluor, "ifluor");
        double[] mu = new double[i0.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = ifluor[i] / i0[i];
        }
        return mu;
    }

    /**
     * Checks the incident-flux channel alone: present, finite and &gt; 0 everywhere.
     *
     * @throws SpectrumRejectedException MISSING_FIELD, NON_FINITE_VALUE or NON_POSITIVE_I0
     */
    public static void checkI0(double[] i0) throws SpectrumRejectedException {
        if (i0 == null || i0.length == 0) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "no i0 values");
        }
        SpectrumValidator.requireFinite("i0", i0);
        for (int i = 0; i < i0.length; i++) {
            if (!(i0[i] > 0)) {
                throw new SpectrumRejectedException(ReasonCode.NON_POSITIVE_I0,
                        String.format(Locale.ROOT, "i0[%d] = %s", i, i0[i]));
            }
        }
    }

    private static void check(double[] i0, double[] signal, String name) throws SpectrumRejectedException {
        checkI0(i0);
        if (signal == null || signal.length == 0) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "no " + name + " values");
        }
        if (signal.length != i0.length) {
            throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, String.format(Locale.ROOT,
                    "%d i0 values but %d %s values", i0.length, signal.length, name));
        }
        SpectrumValidator.requireFinite(name, signal);
    }
}
