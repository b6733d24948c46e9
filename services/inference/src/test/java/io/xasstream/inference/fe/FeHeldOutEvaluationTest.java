package io.xasstream.inference.fe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.predict.Outcome;
import io.xasstream.inference.predict.Predictor;
import io.xasstream.inference.predict.SpectrumInput;
import io.xasstream.inference.predict.SpectrumInputs;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 evaluation, in Java through ONNX Runtime, on the 250 published held-out pairs (../shared, GPL-3 data,
 * never copied): pseudo-PDF error, first-shell distance, CN accuracy and calibration against a k-nearest-neighbour
 * baseline computed here on the same inputs. Prints the table with each goal met or not.
 */
@Tag("shared")
class FeHeldOutEvaluationTest {
    private static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));
    private static final Path DATA = Path.of(System.getProperty("xasstream.shared.data", "../../../shared/data"),
            "xanesnet-fe-k");

    record Pair(String name, Path xanes, Path xyz) {
    }

    @Test
    void heldOutMetricsAreCalibratedAndReproduceTheTrainingPipelinesNumbers() throws Exception {
        try (ModelRegistry registry = ModelRegistry.load(ROOT.resolve("models/manifest.json"), ExecutionDevice.CPU,
                0)) {
            LoadedModel pdfModel = registry.byId("fe-k-pdf").orElseThrow();
            List<Pair> test = pairs("test");
            List<Pair> train = pairs("train");
            assertThat(test).hasSize(250);
            assertThat(train).hasSize(4079);

            // model predictions through the same code path as the service
            Predictor predictor = new Predictor(registry, Clock.systemUTC());
            List<SpectrumInput> inputs = new ArrayList<>();
            for (Pair p : test) {
                SpectrumFile sf = SpectrumFileReader.read(p.xanes(), p.name());
                inputs.add(SpectrumInputs.fromFile(sf, "Fe", "K", false, Instant.now()));
            }
            List<Outcome> outcomes = predictor.predict(inputs);
            assertThat(outcomes).allMatch(Outcome::isResult);
            // Fe CN and PDF have a second model each (m3d-fe-k-*, oxides and metals): every complex here must still be
            // answered by the models this evaluation is about
            assertThat(outcomes).allSatisfy(o -> assertThat(o.result().getModels()).extracting(ModelRef::getId)
                    .contains("fe-k-pdf", "fe-k-cn").doesNotContain("m3d-fe-k-pdf", "m3d-fe-k-cn"));

            int n = test.size();
            double[][] y = new double[n][];
            double[][] yhat = new double[n][];
            double[][] ystd = new double[n][];
            double[] dist = new double[n];
            double[] distHat = new double[n];
            double[] distStd = new double[n];
            int[] cn = new int[n];
            int[] cnHat = new int[n];
            double[] conf = new double[n];
            for (int i = 0; i < n; i++) {
                StructureLabels.Labels l = StructureLabels.fromXyz(test.get(i).xyz());
                InferenceResult r = outcomes.get(i).result();
                y[i] = l.g2();
                yhat[i] = floats(r.getPdf().getMean());
                ystd[i] = floats(r.getPdf().getStd());
                dist[i] = l.distance();
                distHat[i] = r.getFirstShellDistance().getMean();
                distStd[i] = r.getFirstShellDistance().getStd();
                cn[i] = l.cn();
                ClassEstimate c = r.getCoordinationNumber();
                cnHat[i] = (int) Math.round(Double.parseDouble(c.getPredicted()));
                conf[i] = c.getProbabilities().stream().mapToDouble(Float::doubleValue).max().orElse(0);
            }

            Knn knn = knn(registry, pdfModel, train, test);
            double[][] knnY = knn.y();
            double[] knnDist = knn.distance();
            int[] knnCn = knn.cn();
            int kPdf = knn.kPdf();
            int kDist = knn.kDist();
            int kCn = knn.kCn();

            double[] errA = new double[n];
            double[] errB = new double[n];
            double[] knnA = new double[n];
            double[] knnB = new double[n];
            long inside = 0;
            long total = 0;
            long distInside = 0;
            for (int i = 0; i < n; i++) {
                errA[i] = errorA(y[i], yhat[i]);
                errB[i] = errorB(y[i], yhat[i]);
                knnA[i] = errorA(y[i], knnY[i]);
                knnB[i] = errorB(y[i], knnY[i]);
                for (int k = 0; k < y[i].length; k++) {
                    inside += Math.abs(y[i][k] - yhat[i][k]) <= 2 * ystd[i][k] ? 1 : 0;
                    total++;
                }
                distInside += Math.abs(dist[i] - distHat[i]) <= 2 * distStd[i] ? 1 : 0;
            }
            double maeModel = mae(dist, distHat);
            double maeKnn = mae(dist, knnDist);
            double exact = fraction(cn, cnHat, 0);
            double within1 = fraction(cn, cnHat, 1);
            double ece = ece(conf, cn, cnHat);
            double coverage = (double) inside / total;
            double distCoverage = (double) distInside / n;

            double kMaeKnn = maeKnn;
            boolean pdfMet = median(errA) <= 0.7 * median(knnA);
            boolean distMet = maeModel <= 0.7 * kMaeKnn;
            System.out.println();
            System.out.println("Fe K-edge held-out evaluation (250 published test pairs), Java + ONNX Runtime");
            System.out.println("| metric | model | kNN | goal | met |");
            System.out.println("|---|---|---|---|---|");
            row("pseudo-PDF error (a) 100·Σ|ŷ−y|/Σ|y|, median (IQR) %", medIqr(errA), medIqr(knnA),
                    "≤ 0.7 × kNN median", pdfMet);
            row("pseudo-PDF error (b) 100·√Σ(y−ŷ)²/Σŷ, median (IQR) %", medIqr(errB), medIqr(knnB),
                    "review AEGAN 3.3 (2.7) % (its exact metric is not published)", null);
            row("first-shell distance MAE Å", fmt(maeModel), fmt(maeKnn), "≤ 0.7 × kNN", distMet);
            row("CN exact", fmt(exact), fmt(fraction(cn, knnCn, 0)), "≥ 0.90", exact >= 0.90);
            row("CN within ±1", fmt(within1), fmt(fraction(cn, knnCn, 1)), "≥ 0.98", within1 >= 0.98);
            row("G2 values within ±2σ", fmt(coverage), "", "0.90 … 0.98", coverage >= 0.90 && coverage <= 0.98);
            row("distance within ±2σ", fmt(distCoverage), "", "0.90 … 0.98",
                    distCoverage >= 0.90 && distCoverage <= 0.98);
            row("CN expected calibration error", fmt(ece), "", "≤ 0.05", ece <= 0.05);
            System.out.printf(Locale.ROOT, "kNN k: pdf %d, distance %d, CN %d%n", kPdf, kDist, kCn);

            // Gates: the calibration goals (met by these models), and that the Java serving path reproduces the
            // training pipeline's own held-out numbers from the manifest. The accuracy goals of issue 4 that these
            // models do not meet yet are reported above ("met" column), not asserted: the issue stays open.
            assertThat(coverage).as("G2 2-sigma coverage").isBetween(0.90, 0.98);
            assertThat(distCoverage).as("distance 2-sigma coverage").isBetween(0.90, 0.98);
            assertThat(ece).as("CN ECE").isLessThanOrEqualTo(0.05);
            assertReproducesThePipeline(registry, pdfModel, median(errA), maeModel, exact);
        }
    }

    /** The Java serving path measures what the training pipeline measured (the manifest's held-out metrics). */
    private static void assertReproducesThePipeline(ModelRegistry registry, LoadedModel pdfModel, double medianErrA,
                                                    double maeModel, double exact) {
        var heldPdf = pdfModel.entry().metrics().path("heldout");
        var heldCn = registry.byId("fe-k-cn").orElseThrow().entry().metrics().path("heldout");
        assertThat(medianErrA).as("PDF error (a) as the training pipeline measured it")
                .isCloseTo(heldPdf.path("pdfErrorA").path("median").asDouble(), within(0.5));
        assertThat(maeModel).as("distance MAE as the training pipeline measured it")
                .isCloseTo(heldPdf.path("distanceMae").asDouble(), within(0.002));
        assertThat(exact).as("CN exact as the training pipeline measured it")
                .isCloseTo(heldCn.path("exact").asDouble(), within(0.02));
    }

    /** The k-nearest-neighbour answers of the test pairs and the k of each task. */
    private record Knn(double[][] y, double[] distance, int[] cn, int kPdf, int kDist, int kCn) {
    }

    private static Knn knn(ModelRegistry registry, LoadedModel pdfModel, List<Pair> train, List<Pair> test)
            throws Exception {
        // k-nearest-neighbour baseline on the same model inputs (Java preprocessing), k from the manifest; it
        // searches all 4,079 training pairs (the Python pipeline's baseline searches its training split without
        // the validation part, so this one is a little stronger)
        // k of each task as chosen on validation by the training pipeline (manifest metrics.knnHeldout.k)
        var knnK = pdfModel.entry().metrics().path("knnHeldout").path("k");
        int kPdf = knnK.path("pdf").asInt();
        int kDist = knnK.path("distance").asInt();
        int kCn = registry.byId("fe-k-cn").orElseThrow().entry().metrics().path("knnHeldout")
                .path("k").asInt();
        assertThat(List.of(kPdf, kDist, kCn)).as("k from the manifest").allMatch(k -> k > 0);
        double[][] xtr = new double[train.size()][];
        StructureLabels.Labels[] ltr = new StructureLabels.Labels[train.size()];
        for (int i = 0; i < train.size(); i++) {
            xtr[i] = input(pdfModel, train.get(i).xanes(), train.get(i).name());
            ltr[i] = StructureLabels.fromXyz(train.get(i).xyz());
        }
        int n = test.size();
        double[][] knnY = new double[n][];
        double[] knnDist = new double[n];
        int[] knnCn = new int[n];
        for (int i = 0; i < n; i++) {
            int[] nb = nearest(xtr, input(pdfModel, test.get(i).xanes(), test.get(i).name()),
                    Math.max(kPdf, Math.max(kDist, kCn)));
            knnY[i] = new double[StructureLabels.N_G2];
            for (int j = 0; j < kPdf; j++) {
                for (int k = 0; k < StructureLabels.N_G2; k++) {
                    knnY[i][k] += ltr[nb[j]].g2()[k] / kPdf;
                }
            }
            for (int j = 0; j < kDist; j++) {
                knnDist[i] += ltr[nb[j]].distance() / kDist;
            }
            knnCn[i] = vote(ltr, nb, kCn);
        }
        return new Knn(knnY, knnDist, knnCn, kPdf, kDist, kCn);
    }

    private static double[] input(LoadedModel model, Path file, String name) throws Exception {
        SpectrumFile sf = SpectrumFileReader.read(file, name);
        return Preprocessor.preprocess(sf.energy(), sf.mu(), "Fe", Edge.K, model.spec()).modelInput();
    }

    private static int[] nearest(double[][] xtr, double[] q, int k) {
        Integer[] idx = new Integer[xtr.length];
        double[] d = new double[xtr.length];
        for (int i = 0; i < xtr.length; i++) {
            idx[i] = i;
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                s += (xtr[i][j] - q[j]) * (xtr[i][j] - q[j]);
            }
            d[i] = s;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(d[a], d[b]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Majority vote; ties go to the class of the nearer neighbour (as the Python baseline). */
    private static int vote(StructureLabels.Labels[] l, int[] nb, int k) {
        Map<Integer, double[]> votes = new HashMap<>();
        for (int j = 0; j < k; j++) {
            double[] v = votes.computeIfAbsent(l[nb[j]].cn(), c -> new double[1]);
            v[0] += 1 + 1e-3 / (1 + j);
        }
        return votes.entrySet().stream().max((a, b) -> Double.compare(a.getValue()[0], b.getValue()[0]))
                .orElseThrow().getKey();
    }

    private static List<Pair> pairs(String part) throws Exception {
        try (Stream<Path> s = Files.list(DATA.resolve("xanes_" + part))) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().map(p -> {
                String name = p.getFileName().toString().replaceFirst("\\.txt$", "");
                return new Pair(name, p, DATA.resolve("xyz_" + part).resolve(name + ".xyz"));
            }).filter(p -> Files.exists(p.xyz())).toList();
        }
    }

    static double errorA(double[] y, double[] yhat) {
        double num = 0;
        double den = 0;
        for (int k = 0; k < y.length; k++) {
            num += Math.abs(yhat[k] - y[k]);
            den += Math.abs(y[k]);
        }
        return 100 * num / den;
    }

    static double errorB(double[] y, double[] yhat) {
        double num = 0;
        double den = 0;
        for (int k = 0; k < y.length; k++) {
            num += (y[k] - yhat[k]) * (y[k] - yhat[k]);
            den += yhat[k];
        }
        return 100 * Math.sqrt(num) / den;
    }

    /** Expected calibration error of the predicted class, 15 equal-width confidence bins. */
    static double ece(double[] conf, int[] truth, int[] pred) {
        double e = 0;
        int n = conf.length;
        for (int b = 0; b < 15; b++) {
            double lo = b / 15.0;
            double hi = (b + 1) / 15.0;
            int m = 0;
            double acc = 0;
            double c = 0;
            for (int i = 0; i < n; i++) {
                if (conf[i] > lo && conf[i] <= hi) {
                    m++;
                    acc += truth[i] == pred[i] ? 1 : 0;
                    c += conf[i];
                }
            }
            if (m > 0) {
                e += (double) m / n * Math.abs(acc / m - c / m);
            }
        }
        return e;
    }

    private static double[] floats(List<Float> v) {
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static double mae(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    private static double fraction(int[] a, int[] b, int tol) {
        int ok = 0;
        for (int i = 0; i < a.length; i++) {
            ok += Math.abs(a[i] - b[i]) <= tol ? 1 : 0;
        }
        return (double) ok / a.length;
    }

    static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = p / 100.0 * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    private static double median(double[] v) {
        return percentile(v, 50);
    }

    private static String medIqr(double[] v) {
        return String.format(Locale.ROOT, "%.2f (%.2f)", median(v), percentile(v, 75) - percentile(v, 25));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void row(String metric, String model, String knn, String goal, Boolean met) {
        System.out.println("| " + metric + " | " + model + " | " + knn + " | " + goal + " | "
                + (met == null ? "" : met ? "yes" : "NOT MET") + " |");
    }
}
