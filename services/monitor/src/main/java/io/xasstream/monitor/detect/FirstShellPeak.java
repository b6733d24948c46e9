package io.xasstream.monitor.detect;

import io.xasstream.schema.result.PdfEstimate;
import io.xasstream.schema.result.ScalarEstimate;
import java.util.List;

/**
 * The first-shell peak of a pseudo-PDF: the first local maximum of {@code pdf.mean} that reaches
 * {@link #MIN_RELATIVE_HEIGHT} of the curve's maximum (ripples at short distance are not a shell), refined by the
 * vertex of the parabola through it and its neighbours; its standard deviation propagates {@code pdf.std} of those
 * three points through the vertex formula.
 */
public final class FirstShellPeak {
    public static final double MIN_RELATIVE_HEIGHT = 0.1;

    private FirstShellPeak() {
    }

    /** @return position ± std in angstrom, or null when the curve has no interior maximum */
    public static ScalarEstimate of(PdfEstimate pdf) {
        if (pdf == null) {
            return null;
        }
        List<Float> r = pdf.getR();
        List<Float> g = pdf.getMean();
        List<Float> s = pdf.getStd();
        int n = Math.min(r.size(), g.size());
        if (n < 3) {
            return null;
        }
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            top = Math.max(top, g.get(i));
        }
        if (!(top > 0)) {
            return null;
        }
        for (int i = 1; i < n - 1; i++) {
            double y0 = g.get(i - 1);
            double y1 = g.get(i);
            double y2 = g.get(i + 1);
            if (y1 < MIN_RELATIVE_HEIGHT * top || y1 < y0 || y1 <= y2) {
                continue;
            }
            double step = (r.get(i + 1) - r.get(i - 1)) / 2.0;
            double d = y0 - 2 * y1 + y2; // < 0 at a maximum
            double num = 0.5 * (y0 - y2);
            double offset = d < 0 ? Math.max(-0.5, Math.min(0.5, num / d)) : 0;
            double var = 0;
            if (d < 0 && s.size() >= n) {
                double d0 = (0.5 * d - num) / (d * d);
                double d1 = 2 * num / (d * d);
                double d2 = (-0.5 * d - num) / (d * d);
                var = sq(d0 * s.get(i - 1)) + sq(d1 * s.get(i)) + sq(d2 * s.get(i + 1));
            }
            // never more precise than a tenth of the grid step
            double std = Math.max(Math.abs(step) * Math.sqrt(var), Math.abs(step) * 0.1);
            return ScalarEstimate.newBuilder().setMean(r.get(i) + offset * step).setStd(std)
                    .setUnit(Quantity.FIRST_SHELL_PEAK.unit()).setVerdict(pdf.getVerdict()).build();
        }
        return null;
    }

    private static double sq(double v) {
        return v * v;
    }
}
