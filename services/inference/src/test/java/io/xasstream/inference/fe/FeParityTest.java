package io.xasstream.inference.fe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ManifestSpecs;
import io.xasstream.inference.model.ModelManifest;
import io.xasstream.inference.model.ModelRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java serving path equals the Python training path on committed samples: the same file gives the same model
 * input (numpy twin vs Java preprocessing), and ONNX Runtime gives the PyTorch ensembles' outputs.
 */
class FeParityTest {
    private static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void javaPreprocessingGivesThePythonModelInputForTheSameFile() throws Exception {
        JsonNode parity = JSON.readTree(ROOT.resolve("models/fe-k/parity/input_parity.json").toFile());
        double tolerance = parity.get("tolerance").asDouble();
        ModelManifest manifest = ModelManifest.read(ROOT.resolve("models/manifest.json"));
        for (String id : JSON.convertValue(parity.get("models"), String[].class)) {
            ModelManifest.Entry entry = manifest.models().stream().filter(m -> m.id().equals(id)).findFirst()
                    .orElseThrow();
            int compared = 0;
            for (JsonNode c : parity.get("cases")) {
                SpectrumFile sf = SpectrumFileReader.read(ROOT.resolve(c.get("file").asText()));
                Edge edge = Edge.parse(c.get("edge").asText());
                if (c.has("expectedRejection")) {
                    assertThatThrownBy(() -> Preprocessor.preprocess(sf.energy(), sf.mu(), c.get("element").asText(),
                            edge, ManifestSpecs.spec(entry))).isInstanceOf(SpectrumRejectedException.class)
                            .extracting(e -> ((SpectrumRejectedException) e).reason().name())
                            .isEqualTo(c.get("expectedRejection").asText());
                    continue;
                }
                double[] java = Preprocessor.preprocess(sf.energy(), sf.mu(), c.get("element").asText(), edge,
                        ManifestSpecs.spec(entry)).modelInput();
                JsonNode python = c.get("modelInput");
                assertThat(java).hasSize(python.size());
                double worst = 0;
                for (int i = 0; i < java.length; i++) {
                    worst = Math.max(worst, Math.abs(java[i] - python.get(i).asDouble()));
                }
                System.out.printf("%s %s: max |Java - Python| model input = %.3g%n", id, c.get("file").asText(), worst);
                assertThat(worst).as("%s, %s", id, c.get("file").asText()).isLessThanOrEqualTo(tolerance);
                compared++;
            }
            assertThat(compared).isPositive();
        }
    }

    @Test
    void onnxRuntimeReproducesThePyTorchEnsembles() throws Exception {
        JsonNode parity = JSON.readTree(ROOT.resolve("models/fe-k/parity/onnx_parity.json").toFile());
        double tolerance = parity.get("tolerance").asDouble();
        float[][] inputs = JSON.convertValue(parity.get("spectrum"), float[][].class);
        try (ModelRegistry registry = ModelRegistry.load(ROOT.resolve("models/manifest.json"), ExecutionDevice.CPU,
                1)) {
            var outputs = parity.get("outputs").fields();
            int models = 0;
            while (outputs.hasNext()) {
                var model = outputs.next();
                LoadedModel loaded = registry.models().stream().filter(m -> m.entry().id().equals(model.getKey()))
                        .findFirst().orElseThrow();
                Map<String, float[][]> onnx = loaded.run(inputs);
                Map<String, String> byGraphName = new HashMap<>();
                loaded.entry().outputs().forEach((logical, graph) -> byGraphName.put(graph, logical));
                var expected = model.getValue().fields();
                while (expected.hasNext()) {
                    var out = expected.next();
                    float[][] torch = JSON.convertValue(out.getValue(), float[][].class);
                    float[][] actual = onnx.get(byGraphName.get(out.getKey()));
                    double worst = 0;
                    for (int i = 0; i < torch.length; i++) {
                        for (int k = 0; k < torch[i].length; k++) {
                            worst = Math.max(worst, Math.abs(torch[i][k] - actual[i][k]));
                        }
                    }
                    System.out.printf("%s %s: max |ONNX - PyTorch| = %.3g%n", model.getKey(), out.getKey(), worst);
                    assertThat(worst).as("%s %s", model.getKey(), out.getKey()).isLessThanOrEqualTo(tolerance);
                }
                models++;
            }
            assertThat(models).isEqualTo(registry.models().stream().filter(m -> m.entry().id().startsWith("fe-k-"))
                    .count());
        }
    }
}
