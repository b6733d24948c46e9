package io.xasstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
import io.xasstream.monitor.stream.MonitorTopology;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.operando.WindowStats;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.ScalarEstimate;
import io.xasstream.schema.result.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor topology (the one the service runs) fed synthetic results through TopologyTestDriver. */
class MonitorTopologyTest {
    private static final Topics TOPICS = new Topics(XasConfig.defaults());

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, InferenceResult> results;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, OperandoState> states;

    private void start(MonitorConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(MonitorTopology.build(config, TOPICS), p);
        results = driver.createInputTopic(TOPICS.results.name(), TOPICS.results.keySerde().serializer(),
                TOPICS.results.valueSerde().serializer());
        alerts = driver.createOutputTopic(TOPICS.alerts.name(), TOPICS.alerts.keySerde().deserializer(),
                TOPICS.alerts.valueSerde().deserializer());
        states = driver.createOutputTopic(TOPICS.operandoState.name(), TOPICS.operandoState.keySerde().deserializer(),
                TOPICS.operandoState.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static int index(String spectrumId) {
        return Integer.parseInt(spectrumId.substring(spectrumId.lastIndexOf('-') + 1));
    }

    private static List<Alert> of(List<Alert> all, String quantity) {
        return all.stream().filter(a -> a.getQuantity().equals(quantity)).toList();
    }

    @Test
    void aNoisyCu2ToCu1ReductionIsDetectedOnceWithinThreeSpectraOfTheChange() {
        start(MonitorConfig.defaults());
        SyntheticResults cu = new SyntheticResults("exp-7", "cuo-1", 20261125);
        int change = 237;
        int ood = 0;
        for (int i = 0; i < 480; i++) {
            boolean reduced = i >= change;
            InferenceResult r = cu.result(i, 0, reduced ? 1 : 0, reduced ? 0 : 1,
                    SyntheticResults.temperature(25 + 0.5 * i));
            ood += r.getOod().getFlagged() ? 1 : 0;
            results.pipeInput(r.getKey(), r);
        }
        assertThat(ood).as("OOD results sprinkled in").isGreaterThan(10);

        List<Alert> all = alerts.readValuesToList();
        List<Alert> oxidation = of(all, "oxidation_state");
        assertThat(oxidation).hasSize(1);
        Alert a = oxidation.get(0);
        int offset = index(a.getAtSpectrumId()) - change;
        System.out.printf("step Cu2+ -> Cu+ at %d: alert at %s (offset %+d), method %s, %s -> %s, confidence %.4f%n",
                change, a.getAtSpectrumId(), offset, a.getMethod(), a.getFrom(), a.getTo(), a.getConfidence());
        assertThat(Math.abs(offset)).isLessThanOrEqualTo(3);
        assertThat(a.getFromClass()).isEqualTo("+2");
        assertThat(a.getToClass()).isEqualTo("+1");
        assertThat(a.getFrom().getMean()).isCloseTo(1.95, within(0.1));
        assertThat(a.getTo().getMean()).isCloseTo(1.05, within(0.15));
        assertThat(a.getFrom().getStd()).isPositive().isLessThan(0.1);
        assertThat(a.getConfidence()).isGreaterThan(0.99);
        assertThat(a.getConditions().get("temperature").getValue()).isCloseTo(25 + 0.5 * index(a.getAtSpectrumId()),
                within(1e-9));
        assertThat(a.getKey()).isEqualTo("exp-7/cuo-1");
        assertThat(a.getMethod()).startsWith("class-cusum(h=5.0,k=0.5");
        // CN (4 -> 2) and the first shell (1.96 -> 1.87 Å) changed with it: one alert each
        assertThat(of(all, "coordination_number")).singleElement()
                .satisfies(c -> assertThat(Math.abs(index(c.getAtSpectrumId()) - change)).isLessThanOrEqualTo(3))
                .satisfies(c -> assertThat(c.getToClass()).isEqualTo("2"));
        assertThat(of(all, "first_shell_peak")).singleElement()
                .satisfies(c -> assertThat(Math.abs(index(c.getAtSpectrumId()) - change)).isLessThanOrEqualTo(3))
                .satisfies(c -> assertThat(c.getTo().getMean()).isCloseTo(1.87, within(0.02)));
        assertThat(all).hasSize(3);
    }

    @Test
    void aQuantityIsJudgedByItsOwnModelsOodFlagNotByTheOthers() {
        // Given a Cu2+ -> Cu+ step where the PDF model flags every spectrum (its first-shell distance is garbage)
        // while the oxidation-state and CN models are in distribution
        start(MonitorConfig.defaults());
        Random garbage = new Random(5);
        int change = 150;
        cuStep("cuo-pdf-ood", 11, change, (i, clean) -> InferenceResult.newBuilder(clean)
                .setFirstShellDistance(ScalarEstimate.newBuilder(clean.getFirstShellDistance())
                        .setMean(1.5 + garbage.nextDouble() * (i < 200 ? 0.2 : 1.0)).build())
                .setOod(ood(4.0, true))
                .setOodByTask(Map.of("pdf", ood(4.0, true), "oxidation_state", ood(0.5, false),
                        "coordination_number", ood(0.6, false)))
                .build());

        // Then the oxidation state and CN alert at the step, the flagged first shell never does
        List<Alert> all = alerts.readValuesToList();
        assertThat(of(all, "oxidation_state")).singleElement()
                .satisfies(a -> assertThat(Math.abs(index(a.getAtSpectrumId()) - change)).isLessThanOrEqualTo(3))
                .satisfies(a -> assertThat(a.getToClass()).isEqualTo("+1"));
        assertThat(of(all, "coordination_number")).hasSize(1);
        assertThat(of(all, "first_shell_peak")).isEmpty();
        // and the windows hold the trusted quantities only, while every spectrum counts as flagged
        OperandoState last = states.readValuesToList().get(299);
        assertThat(last.getOodFlaggedCount()).isEqualTo(300);
        assertThat(last.getLatest().getUntrusted()).containsExactly("first_shell_peak");
        assertThat(last.getWindow()).anyMatch(w -> w.getQuantity().startsWith("oxidation_state[")
                && w.getCount() > 0);
        assertThat(last.getWindow()).noneMatch(w -> w.getQuantity().startsWith("first_shell_peak["));
    }

    @Test
    void aResultWithoutPerTaskEstimatesIsJudgedByItsOneFlag() {
        start(MonitorConfig.defaults());
        InferenceResult r = firstCuResult("old-writer", 12, 1.0);
        assertThat(r.getOodByTask()).isEmpty();
        results.pipeInput(r.getKey(), r);
        assertThat(states.readValuesToList().get(0).getLatest().getUntrusted())
                .containsExactly("oxidation_state", "coordination_number", "first_shell_peak");
    }

    @Test
    void anOutOfDistributionVerdictKeepsItsQuantityOutAndAnAlertCarriesTheVerdictThatTriggeredIt() {
        // Given a Cu2+ -> Cu+ step whose oxidation-state answers are TRUSTED before the step and UNCERTAIN after it,
        // whose CN answers are all OUT_OF_DISTRIBUTION by their verdict although no OOD flag is set anywhere
        start(MonitorConfig.defaults());
        int change = 150;
        cuStep("cuo-verdicts", 13, change, (i, clean) -> InferenceResult.newBuilder(clean)
                .setOxidationState(ClassEstimate.newBuilder(clean.getOxidationState())
                        .setVerdict(i >= change ? Verdict.UNCERTAIN : Verdict.TRUSTED).build())
                .setCoordinationNumber(ClassEstimate.newBuilder(clean.getCoordinationNumber())
                        .setVerdict(Verdict.OUT_OF_DISTRIBUTION).build())
                .build());

        // Then UNCERTAIN answers still feed the detector (one alert at the step), and its 'to' says UNCERTAIN;
        // the CN, out of distribution by its verdict, raises none and enters no window
        List<Alert> all = alerts.readValuesToList();
        assertThat(of(all, "oxidation_state")).singleElement()
                .satisfies(a -> assertThat(Math.abs(index(a.getAtSpectrumId()) - change)).isLessThanOrEqualTo(3))
                .satisfies(a -> assertThat(a.getTo().getVerdict()).isEqualTo(Verdict.UNCERTAIN));
        assertThat(of(all, "coordination_number")).isEmpty();
        OperandoState last = states.readValuesToList().get(299);
        assertThat(last.getLatest().getUntrusted()).containsExactly("coordination_number");
        assertThat(last.getLatest().getOxidationState().getVerdict()).isEqualTo(Verdict.UNCERTAIN);
        assertThat(last.getWindow()).noneMatch(w -> w.getQuantity().startsWith("coordination_number["));
    }

    @Test
    void aVerdictOverridesTheModelsOodFlagForItsQuantity() {
        // Given a result whose PDF model flagged the spectrum but whose first-shell answer carries a verdict, UNCERTAIN
        start(MonitorConfig.defaults());
        InferenceResult clean = firstCuResult("verdict-first", 14, 0);
        InferenceResult r = InferenceResult.newBuilder(clean)
                .setFirstShellDistance(ScalarEstimate.newBuilder(clean.getFirstShellDistance())
                        .setVerdict(Verdict.UNCERTAIN).build())
                .setOodByTask(Map.of("pdf", ood(4.0, true)))
                .build();
        results.pipeInput(r.getKey(), r);

        // Then the verdict rules: the first shell is kept
        assertThat(states.readValuesToList().get(0).getLatest().getUntrusted()).isEmpty();
    }

    /** The first result of a fresh Cu2+ sample of exp-7 at 25 °C, its OOD flag set with probability oodRate. */
    private static InferenceResult firstCuResult(String sample, long seed, double oodRate) {
        SyntheticResults cu = new SyntheticResults("exp-7", sample, seed);
        cu.oodRate = oodRate;
        return cu.result(0, 0, 0, 1, SyntheticResults.temperature(25));
    }

    /** 300 in-distribution results of a Cu2+ -> Cu+ step at {@code change}, each edited before it is piped in. */
    private void cuStep(String sample, long seed, int change,
                        BiFunction<Integer, InferenceResult, InferenceResult> edit) {
        SyntheticResults cu = new SyntheticResults("exp-7", sample, seed);
        cu.oodRate = 0;
        for (int i = 0; i < 300; i++) {
            boolean reduced = i >= change;
            InferenceResult r = edit.apply(i, cu.result(i, 0, reduced ? 1 : 0, reduced ? 0 : 1,
                    SyntheticResults.temperature(25 + 0.5 * i)));
            results.pipeInput(r.getKey(), r);
        }
    }

    private static OodEstimate ood(double score, boolean flagged) {
        return OodEstimate.newBuilder().setScore(score).setThreshold(2.0).setFlagged(flagged).build();
    }

    @Test
    void aNoisyConstantSeriesRaisesNoAlertIn10000Spectra() {
        start(MonitorConfig.defaults());
        SyntheticResults cu = new SyntheticResults("exp-7", "cuo-steady", 7);
        cu.periodMs = 100;
        Random jitter = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            InferenceResult r = cu.result(i, 0, 0, 1, SyntheticResults.temperature(25 + jitter.nextGaussian() * 0.2));
            results.pipeInput(r.getKey(), r);
        }
        List<Alert> all = alerts.readValuesToList();
        System.out.println("constant series: " + all.size() + " alerts in 10000 spectra");
        assertThat(all).isEmpty();
        OperandoState last = states.readValuesToList().get(9_999);
        assertThat(last.getSpectraSeen()).isEqualTo(10_000);
        assertThat(last.getAlertCount()).isZero();
    }

    @Test
    void theDemoCuReductionGivesTwoOxidationStateAlertsNearFrames50And81() throws Exception {
        start(MonitorConfig.defaults());
        var truth = SyntheticResults.cuReductionTruth();
        SyntheticResults cu = new SyntheticResults("demo", "cu-reduction", 11);
        cu.start = truth.get(0).time();
        for (var row : truth) {
            InferenceResult r = cu.result(row.index(), row.f0(), row.f1(), row.f2(),
                    SyntheticResults.temperature(row.temperature()));
            results.pipeInput(r.getKey(), r);
        }
        // ground truth: the dominant phase changes where the CSV says
        List<Integer> truthChanges = new ArrayList<>();
        for (int i = 1; i < truth.size(); i++) {
            if (!truth.get(i).dominantPhase().equals(truth.get(i - 1).dominantPhase())) {
                truthChanges.add(truth.get(i).index());
            }
        }
        assertThat(truthChanges).containsExactly(50, 81);

        List<Alert> all = alerts.readValuesToList();
        List<Alert> oxidation = of(all, "oxidation_state");
        for (Alert a : all) {
            System.out.printf("demo series: %s %s -> %s at %s (%.1f C), %s%n", a.getQuantity(),
                    a.getFromClass() != null ? a.getFromClass() : a.getFrom().getMean(),
                    a.getToClass() != null ? a.getToClass() : a.getTo().getMean(), a.getAtSpectrumId(),
                    a.getConditions().get("temperature").getValue(), a.getMethod());
        }
        assertThat(oxidation).hasSize(2);
        assertThat(oxidation.get(0).getFromClass()).isEqualTo("+2");
        assertThat(oxidation.get(0).getToClass()).isEqualTo("+1");
        assertThat(Math.abs(index(oxidation.get(0).getAtSpectrumId()) - 50)).isLessThanOrEqualTo(3);
        assertThat(oxidation.get(1).getFromClass()).isEqualTo("+1");
        assertThat(oxidation.get(1).getToClass()).isEqualTo("0");
        assertThat(Math.abs(index(oxidation.get(1).getAtSpectrumId()) - 81)).isLessThanOrEqualTo(3);
        assertThat(of(all, "coordination_number")).hasSize(2);
    }

    @Test
    void stateCountsResultsAndOodFlagsAndKeepsCountAndTimeWindows() {
        int n = 5;
        long windowMs = 7_000; // results every 2 s: the 4 latest acquisitions are in (t - 7 s, t]
        start(MonitorConfig.defaults().withWindow(n, windowMs));
        SyntheticResults cu = new SyntheticResults("exp-8", "s-2", 5);
        cu.oodRate = 0.2;
        List<InferenceResult> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            InferenceResult r = cu.result(i, 0, i / 40.0, 1 - i / 40.0, SyntheticResults.temperature(100 + i));
            sent.add(r);
            results.pipeInput(r.getKey(), r);
        }
        List<OperandoState> out = states.readValuesToList();
        assertThat(out).hasSize(40);
        for (int i = 0; i < 40; i++) {
            OperandoState s = out.get(i);
            InferenceResult r = sent.get(i);
            assertThat(s.getKey()).isEqualTo("exp-8/s-2");
            assertThat(s.getExperimentId()).isEqualTo("exp-8");
            assertThat(s.getSampleId()).isEqualTo("s-2");
            assertThat(s.getElement()).isEqualTo("Cu");
            assertThat(s.getSpectraSeen()).isEqualTo(i + 1);
            assertThat(s.getOodFlaggedCount())
                    .isEqualTo(sent.subList(0, i + 1).stream().filter(x -> x.getOod().getFlagged()).count());
            assertThat(s.getLatest().getSpectrumId()).isEqualTo(r.getSpectrumId());
            assertThat(s.getLatest().getAcquiredAt()).isEqualTo(r.getTimings().getAcquiredAt());
            assertThat(s.getLatest().getOxidationState().getMean())
                    .isEqualTo(r.getOxidationState().getExpectedValue());
            assertThat(s.getLatest().getConditions()).isEqualTo(r.getConditions());
            // count window: the trusted results among the last n
            check(s, "oxidation_state[n=5]", sent.subList(Math.max(0, i - n + 1), i + 1),
                    x -> x.getOxidationState().getExpectedValue());
            check(s, "first_shell_peak[n=5]", sent.subList(Math.max(0, i - n + 1), i + 1),
                    x -> x.getFirstShellDistance().getMean());
            // time window: acquired in (latest - 7 s, latest] = the last 4 (every 2 s)
            check(s, "coordination_number[t=7000ms]", sent.subList(Math.max(0, i - 3), i + 1),
                    x -> x.getCoordinationNumber().getExpectedValue());
        }
    }

    private static void check(OperandoState s, String name, List<InferenceResult> window,
                              Function<InferenceResult, Double> value) {
        double[] v = window.stream().filter(x -> !x.getOod().getFlagged()).mapToDouble(value::apply).toArray();
        var stats = s.getWindow().stream().filter(w -> w.getQuantity().equals(name)).findFirst();
        if (v.length == 0) {
            assertThat(stats).as(name).isEmpty();
            return;
        }
        WindowStats w = stats.orElseThrow(() -> new AssertionError("no " + name + " in " + s.getWindow()));
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1);
        assertThat(w.getCount()).as(name).isEqualTo(v.length);
        assertThat(w.getMean()).as(name).isCloseTo(mean, within(1e-9));
        assertThat(w.getStd()).as(name).isCloseTo(Math.sqrt(var), within(1e-9));
        assertThat(w.getMin()).as(name).isEqualTo(Arrays.stream(v).min().orElseThrow());
        assertThat(w.getMax()).as(name).isEqualTo(Arrays.stream(v).max().orElseThrow());
    }

    @Test
    void samplesAreFollowedIndependently() {
        start(MonitorConfig.defaults());
        SyntheticResults a = new SyntheticResults("exp-9", "a", 1);
        SyntheticResults b = new SyntheticResults("exp-9", "b", 2);
        for (int i = 0; i < 100; i++) {
            InferenceResult ra = a.result(i, 0, i >= 50 ? 1 : 0, i >= 50 ? 0 : 1, Map.of());
            InferenceResult rb = b.result(i, 0, 0, 1, Map.of());
            results.pipeInput(ra.getKey(), ra);
            results.pipeInput(rb.getKey(), rb);
        }
        List<Alert> all = alerts.readValuesToList();
        assertThat(all).isNotEmpty().allSatisfy(x -> assertThat(x.getKey()).isEqualTo("exp-9/a"));
        var last = states.readKeyValuesToMap();
        assertThat(last.get("exp-9/a").getSpectraSeen()).isEqualTo(100);
        assertThat(last.get("exp-9/a").getAlertCount()).isEqualTo(all.size());
        assertThat(last.get("exp-9/a").getLastAlertId()).isEqualTo(all.get(all.size() - 1).getAlertId());
        assertThat(last.get("exp-9/b").getAlertCount()).isZero();
    }
}
