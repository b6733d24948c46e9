package io.xasstream.loadtests.jmh;

import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.EnergyGrid;
import io.xasstream.core.preprocess.NormalizationParams;
import io.xasstream.core.preprocess.NormalizationResult;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.core.preprocess.PreprocessingSpec;
import io.xasstream.core.preprocess.Normalizer;
import io.xasstream.core.preprocess.Resampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Issue 3 goal: a 500-point spectrum normalised as Larch (E0 search included) and resampled onto a 200-point grid at
 * &gt;= 50,000 spectra/s on one core. {@code preprocess} is the full stage (validation, edge window, resampling);
 * {@code normalizeAndResample} the two steps alone.
 *
 * <pre>java -jar load-tests/target/benchmarks.jar PreprocessBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class PreprocessBenchmark {

    private double[] energy;
    private double[][] mus; // a few noisy variants so branch prediction cannot memorise one spectrum
    private int next;
    private PreprocessingSpec spec;
    private EnergyGrid grid;

    @Setup
    public void setup() {
        // 500 points over 6960 … 7960 eV (XANES-dense near the edge, sparser above), Fe K edge at 7112 eV
        int n = 500;
        energy = new double[n];
        for (int i = 0; i < n; i++) {
            double u = i / (double) (n - 1);
            energy[i] = 6960 + 1000 * (0.6 * u + 0.4 * u * u);
        }
        Random rnd = new Random(42);
        mus = new double[8][n];
        for (double[] mu : mus) {
            double edge = 7110 + 4 * rnd.nextDouble();
            for (int i = 0; i < n; i++) {
                double x = energy[i] - edge;
                double step = 0.5 + Math.atan(x / 1.5) / Math.PI;
                double exafs = x > 10 ? 0.05 * Math.sin(0.1 * x) * Math.exp(-x / 300) : 0;
                mu[i] = 0.3 - 2e-4 * x + step * (1 + exafs - 1e-4 * Math.max(x, 0)) + 1e-3 * rnd.nextGaussian();
            }
        }
        grid = EnergyGrid.strict(EnergyGrid.linspace(-30, 170, 200), EnergyGrid.Reference.RELATIVE_TO_E0);
        spec = PreprocessingSpec.defaults(grid);
    }

    @Benchmark
    public PreprocessedSpectrum preprocess() throws SpectrumRejectedException {
        double[] mu = mus[next++ & 7];
        return Preprocessor.preprocess(energy, mu, "Fe", Edge.K, spec);
    }

    @Benchmark
    public double[] normalizeAndResample() throws SpectrumRejectedException {
        double[] mu = mus[next++ & 7];
        NormalizationResult r = Normalizer.normalize(energy, mu, NormalizationParams.LARCH_DEFAULTS);
        return Resampler.resample(energy, r.flat(), r.e0(), grid);
    }
}
