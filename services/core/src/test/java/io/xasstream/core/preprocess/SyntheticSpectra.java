package io.xasstream.core.preprocess;

/** Made-up K-edge spectra for unit tests: a sloping pre-edge, an arctan edge and a gently curving post-edge. */
final class SyntheticSpectra {
    private SyntheticSpectra() {}

    /** Energies from {@code start} to {@code stop} (inclusive) in steps of {@code step} eV. */
    static double[] energies(double start, double stop, double step) {
        int n = (int) Math.round((stop - start) / step) + 1;
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = start + i * step;
        }
        return e;
    }

    /** mu(E) with an edge of height {@code jump} at {@code edge} eV (arctan, 1.5 eV half-width). */
    static double[] edgeMu(double[] e, double edge, double jump) {
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            double x = e[i] - edge;
            double pre = 0.3 - 2e-4 * x;
            double step = jump * (0.5 + Math.atan(x / 1.5) / Math.PI);
            double post = x > 0 ? jump * (-1.5e-4 * x + 6e-8 * x * x) : 0;
            mu[i] = pre + step + post + 0.05 * jump * Math.exp(-x * x / 8.0) * (x > 0 ? 1 : 0);
        }
        return mu;
    }

    /** A Fe K-edge spectrum: 6950 … 7600 eV every 2 eV (326 points), edge at 7112 eV, jump 1.2. */
    static double[] feEnergy() {
        return energies(6950, 7600, 2);
    }

    static double[] feMu() {
        return edgeMu(feEnergy(), 7112.0, 1.2);
    }
}
