package io.xasstream.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.records.ModelTasks;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A spectrum is answered by every model whose input contract it meets; refused only when it meets none. */
class PredictorTest {
    private static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));
    private static ModelRegistry registry;
    private static SpectrumFile fe2o3;
    /** Simulated NiO recorded with a Ni-foil reference channel, its energy scale off by +1.6 eV. */
    private static SpectrumFile nio;

    @BeforeAll
    static void load() throws Exception {
        registry = ModelRegistry.load(ROOT.resolve("models/manifest.json"), ExecutionDevice.CPU, 1);
        fe2o3 = SpectrumFileReader.read(ROOT.resolve(
                "services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi"));
        nio = SpectrumFileReader.read(ROOT.resolve(
                "services/common/src/test/resources/fixtures/spectra/nio_i0_itrans_irefer.xdi"));
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    @Test
    void aFullScanIsAnsweredByEveryFeModel() {
        InferenceResult r = predict(fe2o3.energy(), fe2o3.mu()).result();
        assertThat(r.getPdf()).isNotNull();
        assertThat(r.getCoordinationNumber()).isNotNull();
        assertThat(r.getOxidationState()).isNotNull();
        assertThat(r.getQualityFlags()).noneMatch(f -> f.startsWith("SKIPPED_"));
    }

    @Test
    void eachTaskCarriesItsOwnModelsOodEstimateAndTheOverallFlagIsTheWorstOfThem() {
        InferenceResult r = predict(fe2o3.energy(), fe2o3.mu()).result();
        for (var ref : r.getModels()) {
            var model = registry.byId(ref.getId()).orElseThrow();
            if (model.entry().ood() == null) {
                assertThat(r.getOodByTask()).doesNotContainKey(ref.getTask());
                continue;
            }
            var own = r.getOodByTask().get(ref.getTask());
            assertThat(own).as(ref.getTask()).isNotNull();
            assertThat(own.getThreshold()).isEqualTo(model.entry().ood().threshold());
            assertThat(own.getFlagged()).isEqualTo(own.getScore() > own.getThreshold());
        }
        assertThat(r.getOodByTask()).isNotEmpty();
        assertThat(r.getOod().getFlagged())
                .isEqualTo(r.getOodByTask().values().stream().anyMatch(o -> o.getFlagged()));
        double worst = r.getOodByTask().values().stream().mapToDouble(o -> o.getScore() / o.getThreshold()).max()
                .orElseThrow();
        assertThat(r.getOod().getScore() / r.getOod().getThreshold()).isEqualTo(worst);
    }

    @Test
    void everyAnswerCarriesTheVerdictOfItsOwnModelsTrustRule() {
        // Given a full Fe scan, whose four answers come from models of two families
        InferenceResult r = predict(fe2o3.energy(), fe2o3.mu()).result();
        for (var ref : r.getModels()) {
            var entry = registry.byId(ref.getId()).orElseThrow().entry();
            assertThat(entry.trust()).as("%s has a trust rule", ref.getId()).isNotNull();
            boolean ood = r.getOodByTask().get(ref.getTask()).getFlagged();
            // Then each answer's verdict is the one its model's rule gives for its own outputs
            switch (ref.getTask()) {
                case ModelTasks.OXIDATION -> assertThat(r.getOxidationState().getVerdict()).isEqualTo(
                        Verdicts.ofClasses(entry.trust(), entry.classes(), floats(r.getOxidationState()
                                .getProbabilities()), ood));
                case ModelTasks.CN -> assertThat(r.getCoordinationNumber().getVerdict()).isEqualTo(
                        Verdicts.ofClasses(entry.trust(), entry.classes(), floats(r.getCoordinationNumber()
                                .getProbabilities()), ood));
                case ModelTasks.PDF -> {
                    assertThat(r.getPdf().getVerdict()).isEqualTo(Verdicts.ofPdf(entry.trust(),
                            floats(r.getPdf().getMean()), floats(r.getPdf().getStd()), ood));
                    assertThat(r.getFirstShellDistance().getVerdict()).isEqualTo(Verdicts.ofDistance(entry.trust(),
                            r.getFirstShellDistance().getStd(), ood));
                }
                default -> throw new AssertionError(ref.getTask());
            }
        }
        assertThat(r.getOxidationState().getVerdict()).isNotNull();
    }

    private static float[] floats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    @Test
    void aScanTooShortForOneModelIsAnsweredByTheOthersAndSaysWhatIsMissing() {
        // Given the FDMNES range 7097–7172 eV: it covers the absolute fe-k grid (7100–7170 eV) but not the
        // oxidation-state model's E0−20…E0+70 eV
        Outcome o = predict(fe2o3.energy(), fe2o3.mu(), 7097, 7172);
        assertThat(o.isResult()).isTrue();
        assertThat(o.result().getPdf()).isNotNull();
        assertThat(o.result().getCoordinationNumber()).isNotNull();
        assertThat(o.result().getOxidationState()).isNull();
        assertThat(o.result().getQualityFlags()).contains("SKIPPED_OXIDATION_STATE_GRID_NOT_COVERED");
        assertThat(o.result().getModels()).noneMatch(m -> m.getTask().equals(ModelTasks.OXIDATION));
    }

    @Test
    void twoModelsOfOneTaskGiveOneAnswerFromTheModelThatFindsTheSpectrumMoreTypical() throws Exception {
        // Given bcc iron, the last frame of the demo's Fe reduction: unlike the FDMNES complexes fe-k-* learnt from,
        // typical of the metals m3d-fe-k-* learnt from
        SpectrumFile foil = SpectrumFileReader.read(ROOT.resolve(
                "services/app/src/main/resources/demo/fe-reduction/fe-reduction-089.xdi"));

        InferenceResult r = predict(foil.energy(), foil.mu()).result();

        // Then each task is answered once, CN and PDF by the m3d models (the wide-window ones: the scan reaches
        // E0 + 200 eV), and the CN is the metal's 8
        assertThat(r.getModels()).extracting(ModelRef::getTask).doesNotHaveDuplicates();
        assertThat(r.getModels()).extracting(ModelRef::getId)
                .contains("m3d-fe-k-cn-wide", "m3d-fe-k-pdf-wide", "m3d-fe-k-ox")
                .doesNotContain("fe-k-cn", "fe-k-pdf");
        assertThat(r.getCoordinationNumber().getPredicted()).isEqualTo("8");
        // and the task's OOD estimate is the answering model's
        assertThat(r.getOodByTask().get(ModelTasks.CN).getThreshold())
                .isEqualTo(registry.byId("m3d-fe-k-cn-wide").orElseThrow().entry().ood().threshold());
    }

    @Test
    void aScanEndingBeforeTheWideWindowIsAnsweredByTheXanesGraphsAndAFullOneByTheWideGraphsOnly() throws Exception {
        // Given bcc iron (E0 7112 eV) recorded to E0 + 800 eV, and the same scan cut at E0 + 150 eV
        SpectrumFile foil = SpectrumFileReader.read(ROOT.resolve(
                "services/app/src/main/resources/demo/fe-reduction/fe-reduction-089.xdi"));

        InferenceResult full = predict(foil.energy(), foil.mu()).result();
        InferenceResult cut = predict(foil.energy(), foil.mu(), 6900, 7262).result();

        // Then the full scan's CN and PDF come from the m3d wide graphs and their xanes fallbacks are not asked
        assertThat(full.getModels()).extracting(ModelRef::getId)
                .contains("m3d-fe-k-cn-wide", "m3d-fe-k-pdf-wide").doesNotContain("m3d-fe-k-cn", "m3d-fe-k-pdf");
        // and the cut one's from the xanes graphs, with nothing reported missing: every task still has its answer
        assertThat(cut.getModels()).extracting(ModelRef::getId)
                .contains("m3d-fe-k-cn", "m3d-fe-k-pdf").doesNotContain("m3d-fe-k-cn-wide", "m3d-fe-k-pdf-wide");
        assertThat(cut.getOxidationState()).isNotNull();
        assertThat(cut.getCoordinationNumber()).isNotNull();
        assertThat(cut.getPdf()).isNotNull();
        assertThat(cut.getQualityFlags()).noneMatch(f -> f.startsWith("SKIPPED_"));
    }

    @Test
    void aSpectrumWithAReferenceChannelHasItsEdgePositionReadByTheOxidationStateModel() throws Exception {
        // Given NiO with its Ni-foil reference channel, and the Ni oxidation-state graph, which reads edge positions
        var ox = niOxidationStateModel();
        assertThat(ox.takesEdgeShift()).isTrue();
        PreprocessedSpectrum calibrated = Preprocessor.preprocess(nio.energy(), nio.mu(), nio.referenceMu(), "Ni",
                Edge.K, ox.spec());
        PreprocessedSpectrum plain = Preprocessor.preprocess(nio.energy(), nio.mu(), "Ni", Edge.K, ox.spec());

        // When it is predicted with and without that channel
        InferenceResult withRef = predict("Ni", nio.energy(), nio.mu(), nio.referenceMu()).result();
        InferenceResult without = predict("Ni", nio.energy(), nio.mu(), null).result();

        // Then with it the edge position (E0 on the foil's scale - tabulated edge) is known and read
        float[] row = EdgeShiftRows.of(calibrated);
        assertThat(row[1]).isEqualTo(1f);
        assertThat((double) row[0]).isCloseTo(calibrated.normalization().e0() - 8333.0, within(1e-3));
        assertThat(EdgeShiftRows.of(plain)).containsExactly(0f, 0f);
        assertThat(withRef.getQualityFlags()).contains("CALIBRATED_BY_REFERENCE", "EDGE_POSITION_USED");
        assertThat(without.getQualityFlags()).doesNotContain("CALIBRATED_BY_REFERENCE", "EDGE_POSITION_USED");
        assertThat(withRef.getPreprocessing().getE0Method()).isEqualTo("reference");
        // and each answer is the model's own for its input (the calibrated shape and the edge position, or the
        // shape alone)
        float[] expected = ox.run(new float[][] {toFloats(calibrated.modelInput())}, new float[][] {row})
                .get("probabilities")[0];
        float[] expectedPlain = ox.run(new float[][] {toFloats(plain.modelInput())}).get("probabilities")[0];
        assertThat(probabilities(withRef)).containsExactly(expected, within(1e-6f));
        assertThat(probabilities(without)).containsExactly(expectedPlain, within(1e-6f));
    }

    @Test
    void aFixedE0LeavesTheEdgePositionUnknown() throws Exception {
        var ox = niOxidationStateModel();
        var spec = ox.spec().withNormalization(ox.spec().normalization().withE0(8342.0));

        PreprocessedSpectrum p = Preprocessor.preprocess(nio.energy(), nio.mu(), nio.referenceMu(), "Ni", Edge.K,
                spec);

        // E0 chosen by the sender is not the derivative maximum the nets were trained on
        assertThat(p.calibratedByReference()).isTrue();
        assertThat(EdgeShiftRows.of(p)).containsExactly(0f, 0f);
    }

    @Test
    void aScanNoModelCanTakeIsRefusedWithTheReason() {
        Outcome o = predict(fe2o3.energy(), fe2o3.mu(), 7000, 7160);
        assertThat(o.isResult()).isFalse();
        assertThat(o.rejection().reason()).isEqualTo(ReasonCode.GRID_NOT_COVERED);
    }

    private static Outcome predict(double[] energy, double[] mu, double from, double to) {
        int a = 0;
        while (energy[a] < from) {
            a++;
        }
        int b = energy.length;
        while (energy[b - 1] > to) {
            b--;
        }
        return predict(Arrays.copyOfRange(energy, a, b), Arrays.copyOfRange(mu, a, b));
    }

    private static Outcome predict(double[] energy, double[] mu) {
        return predict("Fe", energy, mu, null);
    }

    private static Outcome predict(String element, double[] energy, double[] mu, double[] referenceMu) {
        Instant now = Instant.now();
        var source = SourceIds.newBuilder().setFacility("").setBeamline("")
                .setExperimentId("e").setSampleId("s").build();
        SpectrumInput in = new SpectrumInput("s", "e/s", source, null, now, now, element, "K", energy, mu,
                referenceMu, null, null, null);
        return new Predictor(registry, Clock.systemUTC()).predict(List.of(in)).get(0);
    }

    /** The Ni oxidation-state graph (the xanes window: no wide oxidation-state graph is served). */
    private static LoadedModel niOxidationStateModel() {
        return registry.byId("m3d-ni-k-ox").orElseThrow();
    }

    private static float[] probabilities(InferenceResult r) {
        return floats(r.getOxidationState().getProbabilities());
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
