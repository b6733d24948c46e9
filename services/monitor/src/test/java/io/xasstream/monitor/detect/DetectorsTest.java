package io.xasstream.monitor.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xasstream.schema.result.PdfEstimate;
import io.xasstream.schema.result.ScalarEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectorsTest {
    private static final List<String> OX = List.of("0", "+1", "+2");

    /** Probabilities of a stable mixture of +1 and +2 with noise, as an ensemble reports them. */
    private static Change feed(ClassChangeDetector d, long seq, double p2, Random r) {
        double[] p = {0.03, 0.97 - p2, p2};
        List<Float> probs = new ArrayList<>();
        List<Float> sd = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < 3; i++) {
            p[i] = Math.max(0.002, p[i] + r.nextGaussian() * 0.04);
            total += p[i];
        }
        double mean = 0;
        for (int i = 0; i < 3; i++) {
            p[i] /= total;
            mean += p[i] * i;
        }
        double var = 0;
        for (int i = 0; i < 3; i++) {
            probs.add((float) p[i]);
            sd.add((float) 0.04);
            var += p[i] * (i - mean) * (i - mean);
        }
        return d.update(seq, OX, probs, sd, mean, Math.sqrt(var));
    }

    @Test
    void aSampleSittingOnTheBoundaryBetweenTwoClassesRaisesNoAlert() {
        ClassChangeDetector d = new ClassChangeDetector(Quantity.OXIDATION_STATE, 5, 0.5, 0.05, 10);
        Random r = new Random(42);
        int alerts = 0;
        for (int i = 0; i < 20_000; i++) {
            alerts += feed(d, i, 0.485, r) != null ? 1 : 0; // +1 and +2 nearly equal: the argmax flips all the time
        }
        assertThat(alerts).isZero();
    }

    @Test
    void aClassChangeBecomesTheNewBaselineSoItIsReportedOnce() {
        ClassChangeDetector d = new ClassChangeDetector(Quantity.OXIDATION_STATE, 5, 0.5, 0.05, 10);
        Random r = new Random(1);
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Change c = feed(d, i, i < 100 ? 0.9 : 0.05, r);
            if (c != null) {
                changes.add(c);
            }
        }
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.fromClass()).isEqualTo("+2");
            assertThat(c.toClass()).isEqualTo("+1");
            assertThat(c.changeSeq()).isBetween(99L, 101L);
            assertThat(c.detectedSeq()).isBetween(c.changeSeq(), c.changeSeq() + 2);
        });
        assertThat(d.baselineClass()).isEqualTo("+1");
    }

    @Test
    void aLevelShiftOfTheFirstShellIsDetectedOnceAndTheDetectorReArmsOnTheNewLevel() {
        LevelShiftDetector d = new LevelShiftDetector(Quantity.FIRST_SHELL_PEAK, 5, 0.5, 10);
        Random r = new Random(9);
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double level = i < 150 ? 1.96 : 1.87;
            Change c = d.update(i, level + r.nextGaussian() * 0.01, 0.025);
            if (c != null) {
                changes.add(c);
            }
        }
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.changeSeq()).isBetween(147L, 153L); // within ±3 of the true change
            assertThat(c.fromMean()).isCloseTo(1.96, within(0.01));
            assertThat(c.toMean()).isCloseTo(1.87, within(0.03));
            assertThat(c.fromClass()).isNull();
        });
        assertThat(d.armed()).isTrue();
        assertThat(d.baseline()).isCloseTo(1.87, within(0.01));
    }

    @Test
    void theWarmUpWaitsUntilTheLevelStopsMoving() {
        LevelShiftDetector d = new LevelShiftDetector(Quantity.FIRST_SHELL_PEAK, 5, 0.5, 10);
        for (int i = 0; i < 30; i++) {
            d.update(i, 1.96 - 0.01 * i, 0.01); // a drift of one σ per point
        }
        assertThat(d.armed()).isFalse();
        for (int i = 30; i < 40; i++) {
            d.update(i, 1.67, 0.01);
        }
        assertThat(d.armed()).isTrue();
        assertThat(d.baseline()).isCloseTo(1.67, within(0.002));
    }

    @Test
    void theFirstShellPeakIsTheFirstMaximumOfThePseudoPdfRefinedBetweenGridPoints() {
        // shells at 1.87 Å (strong) and 2.56 Å (stronger): the first one counts; a ripple at 0.6 Å does not
        List<Float> r = new ArrayList<>();
        List<Float> g = new ArrayList<>();
        List<Float> s = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double x = 0.5 + 0.05 * i;
            r.add((float) x);
            g.add((float) (0.8 * gauss(x, 1.87, 0.08) + gauss(x, 2.56, 0.1) + 0.03 * gauss(x, 0.6, 0.03)));
            s.add(0.01f);
        }
        ScalarEstimate peak = FirstShellPeak.of(PdfEstimate.newBuilder().setR(r).setMean(g).setStd(s).build());
        assertThat(peak.getMean()).isCloseTo(1.87, within(0.01));
        assertThat(peak.getStd()).isBetween(0.005, 0.05);
        assertThat(peak.getUnit()).isEqualTo("Å");
    }

    private static double gauss(double x, double c, double w) {
        return Math.exp(-0.5 * (x - c) * (x - c) / (w * w));
    }
}
