package io.xasstream.inference.fe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The structure labels of issue 4, recomputed in Java from an xyz file exactly as defined there (and in
 * models/training/fe_k/labels.py): G2 wACSF curve, first-shell CN, first-shell distance.
 */
final class StructureLabels {
    static final double R_CUT = 6.0;
    static final int N_G2 = 32;
    static final double CN_FACTOR = 1.15;
    static final double R_COV_FE = 1.32;

    /** Cordero et al., Dalton Trans. 2008, 2832 (C sp3; Mn, Fe, Co low spin), index = Z. */
    private static final double[] CORDERO = {Double.NaN, 0.31, 0.28, 1.28, 0.96, 0.84, 0.76, 0.71, 0.66, 0.57, 0.58,
        1.66, 1.41, 1.21, 1.11, 1.07, 1.05, 1.02, 1.06, 2.03, 1.76, 1.70, 1.60, 1.53, 1.39, 1.39, 1.32, 1.26, 1.24,
        1.32, 1.22, 1.22, 1.20, 1.19, 1.20, 1.20, 1.16, 2.20, 1.95, 1.90, 1.75, 1.64, 1.54, 1.47, 1.46, 1.42, 1.39,
        1.45, 1.44, 1.42, 1.39, 1.39, 1.38, 1.39, 1.40, 2.44, 2.15, 2.07, 2.04, 2.03, 2.01, 1.99, 1.98, 1.98, 1.96,
        1.94, 1.92, 1.92, 1.89, 1.90, 1.87, 1.87, 1.75, 1.70, 1.62, 1.51, 1.44, 1.41, 1.36, 1.36, 1.32, 1.45, 1.46,
        1.48, 1.40, 1.50, 1.50, 2.60, 2.21, 2.15, 2.06, 2.00, 1.96, 1.90, 1.87, 1.80, 1.69};

    record Labels(double[] g2, int cn, double distance) {
    }

    private StructureLabels() {
    }

    static double[] mu() {
        double[] mu = new double[N_G2];
        for (int k = 0; k < N_G2; k++) {
            mu[k] = 1.5 + k * (5.5 - 1.5) / (N_G2 - 1);
        }
        return mu;
    }

    static Labels fromXyz(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int n = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
        int[] z = new int[n];
        double[][] xyz = new double[n][3];
        int fe = -1;
        for (int i = 0; i < n; i++) {
            String[] t = lines.get(2 + i).trim().split("\\s+");
            z[i] = (int) Double.parseDouble(t[0]);
            for (int c = 0; c < 3; c++) {
                xyz[i][c] = Double.parseDouble(t[1 + c]);
            }
            if (fe < 0 && z[i] == 26) {
                fe = i;
            }
        }
        double[] mu = mu();
        double eta = 1.0 / (2.0 * Math.pow(mu[1] - mu[0], 2));
        double[] g2 = new double[N_G2];
        int cn = 0;
        double dmin = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j == fe) {
                continue;
            }
            double dx = xyz[j][0] - xyz[fe][0];
            double dy = xyz[j][1] - xyz[fe][1];
            double dz = xyz[j][2] - xyz[fe][2];
            double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
            if (r < R_CUT) {
                double fc = 0.5 * (Math.cos(Math.PI * r / R_CUT) + 1.0);
                for (int k = 0; k < N_G2; k++) {
                    g2[k] += z[j] * fc * Math.exp(-eta * (r - mu[k]) * (r - mu[k]));
                }
            }
            if (z[j] != 1) {
                dmin = Math.min(dmin, r);
                if (r <= CN_FACTOR * (R_COV_FE + CORDERO[z[j]])) {
                    cn++;
                }
            }
        }
        return new Labels(g2, cn, dmin);
    }
}
