package io.xasstream.monitor.compare;

import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.PdfEstimate;
import java.util.Arrays;
import java.util.List;

/** What the comparison needs of one result, small enough to hold a whole topic's worth. */
record ResultDigest(String key, String spectrumId, String oxidation, double oxidationExpected, String cn,
                    double cnExpected, double firstShell, float[] pdfR, float[] pdfMean) {

    static ResultDigest of(InferenceResult r) {
        ClassEstimate ox = r.getOxidationState();
        ClassEstimate cn = r.getCoordinationNumber();
        PdfEstimate pdf = r.getPdf();
        return new ResultDigest(r.getKey(), r.getSpectrumId(),
                ox == null ? null : ox.getPredicted(), ox == null ? Double.NaN : ox.getExpectedValue(),
                cn == null ? null : cn.getPredicted(), cn == null ? Double.NaN : cn.getExpectedValue(),
                r.getFirstShellDistance() == null ? Double.NaN : r.getFirstShellDistance().getMean(),
                pdf == null ? null : floats(pdf.getR()), pdf == null ? null : floats(pdf.getMean()));
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /**
     * Mean |Δ| between two pseudo-PDFs over the first one's grid (the second interpolated linearly where the
     * grids differ; points outside the second grid are left out); NaN when either has none.
     */
    static double meanAbsPdfDelta(ResultDigest a, ResultDigest b) {
        if (a.pdfMean == null || b.pdfMean == null || a.pdfMean.length == 0 || b.pdfMean.length == 0) {
            return Double.NaN;
        }
        boolean sameGrid = Arrays.equals(a.pdfR, b.pdfR) && a.pdfMean.length == b.pdfMean.length;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < a.pdfMean.length; i++) {
            double other;
            if (sameGrid) {
                other = b.pdfMean[i];
            } else {
                other = interpolate(b.pdfR, b.pdfMean, a.pdfR[i]);
                if (Double.isNaN(other)) {
                    continue;
                }
            }
            sum += Math.abs(a.pdfMean[i] - other);
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double interpolate(float[] r, float[] g, double x) {
        int n = Math.min(r.length, g.length);
        if (n == 0 || x < r[0] || x > r[n - 1]) {
            return Double.NaN;
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (r[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if (r[hi] == r[lo]) {
            return g[lo];
        }
        double t = (x - r[lo]) / (r[hi] - r[lo]);
        return g[lo] + t * (g[hi] - g[lo]);
    }
}
