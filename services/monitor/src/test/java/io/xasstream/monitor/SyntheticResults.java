package io.xasstream.monitor;

import io.xasstream.common.topics.RecordKeys;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.PdfEstimate;
import io.xasstream.schema.result.Preprocessing;
import io.xasstream.schema.result.ScalarEstimate;
import io.xasstream.schema.result.Timings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Inference results of a Cu sample as an ensemble model would give them: class probabilities near the true phase
 * fractions with noise and an ensemble spread per class, the expected value and spread computed from them as the
 * inference service does, a first-shell distance with noise and a reported standard deviation, and now and then
 * an out-of-distribution result whose numbers are garbage.
 */
final class SyntheticResults {
    static final List<String> OXIDATION_CLASSES = List.of("0", "+1", "+2");
    static final List<String> CN_CLASSES = List.of("2", "4", "12");
    /** First-shell distance of Cu0 (fcc Cu), Cu+ (Cu2O), Cu2+ (CuO), angstrom. */
    static final double[] SHELL = {2.56, 1.87, 1.96};

    final String experiment;
    final String sample;
    final Random random;
    /** Standard deviation of the noise on each class probability. */
    double probabilityNoise = 0.03;
    /** How much of the probability a perfect model would give the true phases (the rest spread over others). */
    double sharpness = 0.9;
    /** Spectrum-to-spectrum scatter of the regressed distance, and the ensemble standard deviation it reports. */
    double distanceScatter = 0.008;
    double distanceStd = 0.025;
    double oodRate = 0.04;
    Instant start = Instant.parse("2026-05-20T14:03:11Z");
    long periodMs = 2000;

    SyntheticResults(String experiment, String sample, long seed) {
        this.experiment = experiment;
        this.sample = sample;
        this.random = new Random(seed);
    }

    String key() {
        return RecordKeys.of(experiment, sample);
    }

    /**
     * The result of spectrum {@code index} of a sample whose phases Cu0, Cu+, Cu2+ have the given fractions.
     */
    InferenceResult result(int index, double f0, double f1, double f2, Map<String, ConditionValue> conditions) {
        boolean ood = random.nextDouble() < oodRate;
        double[] fractions = {f0, f1, f2};
        double[] cnFractions = {f1, f2, f0}; // CN 2 (Cu2O), 4 (CuO), 12 (Cu)
        ClassEstimate ox = classes(OXIDATION_CLASSES, model(fractions, ood));
        ClassEstimate cn = classes(CN_CLASSES, model(cnFractions, ood));
        double distance = 0;
        for (int i = 0; i < 3; i++) {
            distance += fractions[i] * SHELL[i];
        }
        distance += random.nextGaussian() * distanceScatter + (ood ? random.nextGaussian() * 0.5 : 0);
        double distanceSd = distanceStd * (0.8 + 0.4 * random.nextDouble());
        Instant acquired = start.plusMillis(index * periodMs);
        String id = String.format("%s-%05d", sample, index);
        return InferenceResult.newBuilder()
                .setSpectrumId(id)
                .setKey(key())
                .setSource(SourceIds.newBuilder().setFacility("ESRF").setBeamline("BM23").setExperimentId(experiment)
                        .setSampleId(sample).setScanId(null).build())
                .setElement("Cu")
                .setEdge(AbsorptionEdge.K)
                .setModels(List.of(ModelRef.newBuilder().setTask("oxidation_state").setId("cu-k-ox").setVersion("1")
                        .setSha256("0".repeat(64)).build()))
                .setPreprocessing(Preprocessing.newBuilder().setE0Ev(8979).setE0Method("derivative").setEdgeStep(1.0)
                        .setGridId("cu-k-256").build())
                .setFirstShellDistance(ScalarEstimate.newBuilder().setMean(distance).setStd(distanceSd).setUnit("Å")
                        .build())
                .setCoordinationNumber(cn)
                .setOxidationState(ox)
                .setOod(OodEstimate.newBuilder().setScore(ood ? 3.5 : 0.4 + 0.2 * random.nextDouble())
                        .setThreshold(2.0).setFlagged(ood).build())
                .setConditions(new LinkedHashMap<>(conditions))
                .setTimings(Timings.newBuilder().setAcquiredAt(acquired).setReceivedAt(acquired.plusMillis(20))
                        .setInferredAt(acquired.plusMillis(25)).build())
                .build();
    }

    /** Probabilities and their ensemble spread for true fractions (OOD: anything at all). */
    private double[][] model(double[] fractions, boolean ood) {
        int m = fractions.length;
        double[] p = new double[m];
        double[] sd = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            double clean = ood ? random.nextDouble() : sharpness * fractions[i] + (1 - sharpness) / m;
            p[i] = Math.max(0.002, clean + random.nextGaussian() * probabilityNoise);
            total += p[i];
        }
        for (int i = 0; i < m; i++) {
            p[i] /= total;
            sd[i] = 0.01 + 0.08 * Math.sqrt(p[i] * (1 - p[i])) * (0.7 + 0.6 * random.nextDouble());
        }
        return new double[][] {p, sd};
    }

    /** As the inference service computes it: argmax, expected value and spread over the numeric class values. */
    static ClassEstimate classes(List<String> labels, double[][] model) {
        double[] p = model[0];
        int best = 0;
        double mean = 0;
        for (int i = 0; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
            mean += p[i] * Double.parseDouble(labels.get(i));
        }
        double var = 0;
        List<Float> probs = new ArrayList<>();
        List<Float> sds = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            double d = Double.parseDouble(labels.get(i)) - mean;
            var += p[i] * d * d;
            probs.add((float) p[i]);
            sds.add((float) model[1][i]);
        }
        return ClassEstimate.newBuilder().setClasses(labels).setProbabilities(probs).setProbabilityStd(sds)
                .setPredicted(labels.get(best)).setExpectedValue(mean).setStd(Math.sqrt(var)).build();
    }

    static Map<String, ConditionValue> temperature(double celsius) {
        return Map.of("temperature", ConditionValue.newBuilder().setValue(celsius).setUnit("C").build());
    }

    /** One row of the demo's ground truth (services/app/.../demo/cu-reduction/series.csv). */
    record TruthRow(int index, double temperature, Instant time, double f2, double f1, double f0,
                    double meanOxidationState, String dominantPhase) {
    }

    static List<TruthRow> cuReductionTruth() throws IOException {
        Path csv = Path.of(System.getProperty("xasstream.repo.root", "../.."),
                "services/app/src/main/resources/demo/cu-reduction/series.csv");
        List<String> lines;
        if (Files.exists(csv)) {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } else {
            try (InputStream in = SyntheticResults.class.getResourceAsStream("/demo/cu-reduction/series.csv")) {
                if (in == null) {
                    throw new IOException("series.csv of the Cu-reduction demo not found at " + csv);
                }
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        }
        List<String> header = List.of(lines.get(0).split(","));
        List<TruthRow> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.split(",");
            rows.add(new TruthRow(Integer.parseInt(c[header.indexOf("index")]),
                    Double.parseDouble(c[header.indexOf("temperature_C")]),
                    Instant.parse(c[header.indexOf("time")]),
                    Double.parseDouble(c[header.indexOf("fraction_cu2")]),
                    Double.parseDouble(c[header.indexOf("fraction_cu1")]),
                    Double.parseDouble(c[header.indexOf("fraction_cu0")]),
                    Double.parseDouble(c[header.indexOf("mean_oxidation_state")]),
                    c[header.indexOf("dominant_phase")]));
        }
        return rows;
    }

    /** A pseudo-PDF: Gaussian shells at the given distances and weights, with per-point std. */
    static PdfEstimate pdf(double[] centres, double[] weights, double width, double noise, Random random) {
        List<Float> r = new ArrayList<>();
        List<Float> g = new ArrayList<>();
        List<Float> s = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            double x = 0.5 + i * 0.04;
            double y = 0;
            for (int j = 0; j < centres.length; j++) {
                y += weights[j] * Math.exp(-0.5 * Math.pow((x - centres[j]) / width, 2));
            }
            r.add((float) x);
            g.add((float) (y + (random == null ? 0 : random.nextGaussian() * noise)));
            s.add((float) noise);
        }
        return PdfEstimate.newBuilder().setR(r).setMean(g).setStd(s).build();
    }
}
