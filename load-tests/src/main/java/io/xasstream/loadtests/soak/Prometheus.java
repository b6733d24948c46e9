package io.xasstream.loadtests.soak;

import java.util.ArrayList;
import java.util.List;

/** The few numbers the soak reads from a Prometheus text exposition (the services' /metrics). */
final class Prometheus {
    private Prometheus() {
    }

    /** Values of every sample of {@code metric} whose labels contain each of {@code labels} (e.g. area="heap"). */
    static List<Double> values(String text, String metric, String... labels) {
        List<Double> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, Math.max(0, space));
            if (!name.equals(metric) || space < 0) {
                continue;
            }
            String labelText = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            boolean all = true;
            for (String l : labels) {
                all &= labelText.contains(l);
            }
            if (all) {
                try {
                    out.add(Double.parseDouble(line.substring(space + 1).trim()));
                } catch (NumberFormatException e) {
                    // NaN or a malformed value: not a number the soak can use
                }
            }
        }
        return out;
    }

    static double sum(String text, String metric, String... labels) {
        return values(text, metric, labels).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The largest value, or NaN when there is none. */
    static double max(String text, String metric, String... labels) {
        return values(text, metric, labels).stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NaN);
    }
}
