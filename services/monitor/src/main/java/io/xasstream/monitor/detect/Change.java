package io.xasstream.monitor.detect;

/**
 * A change a detector decided on: the level before and after (mean ± standard error), the classes for class
 * quantities, where the change began (the first point of the CUSUM run) and the point that triggered it.
 */
public record Change(Quantity quantity, double fromMean, double fromStd, double toMean, double toStd,
                     String fromClass, String toClass, long changeSeq, long detectedSeq, double confidence,
                     String method) {

    /** Probability that the two levels differ, from their standard errors: erf(|Δ| / (√2 σΔ)). */
    static double confidence(double fromMean, double fromStd, double toMean, double toStd) {
        double s = Math.sqrt(fromStd * fromStd + toStd * toStd);
        if (!(s > 0)) {
            return 1.0;
        }
        return erf(Math.abs(toMean - fromMean) / (Math.sqrt(2) * s));
    }

    /** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for a confidence. */
    static double erf(double x) {
        double t = 1.0 / (1.0 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
