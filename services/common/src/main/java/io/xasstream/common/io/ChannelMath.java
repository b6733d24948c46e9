package io.xasstream.common.io;

/** mu from detector channels, as beamlines derive it: ln(i0/itrans) in transmission, ifluor/i0 in fluorescence. */
public final class ChannelMath {
    private ChannelMath() {
    }

    public static double[] transmission(double[] i0, double[] itrans) {
        double[] mu = new double[i0.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = Math.log(i0[i] / itrans[i]);
        }
        return mu;
    }

    public static double[] fluorescence(double[] i0, double[] ifluor) {
        double[] mu = new double[i0.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = ifluor[i] / i0[i];
        }
        return mu;
    }

    /** Reference-foil mu behind the sample: ln(itrans/irefer). */
    public static double[] reference(double[] itrans, double[] irefer) {
        return transmission(itrans, irefer);
    }
}
