package io.xasstream.app.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileException;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.json.RecordJson;
import io.xasstream.common.records.ModelTasks;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.SessionSettings;
import io.xasstream.inference.predict.Outcome;
import io.xasstream.inference.predict.Predictor;
import io.xasstream.inference.predict.SpectrumInput;
import io.xasstream.inference.predict.SpectrumInputs;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Offline inference on spectrum files, no Kafka: the same preprocessing, models and result as the service. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run the models of the manifest (models.manifest) on spectrum files, no Kafka. Prints one "
                + "result per spectrum (--json: one JSON object per line with the InferenceResult field names plus "
                + "'file' and 'model'); a spectrum no model covers gets an object with 'error' (a reason code) and "
                + "the run goes on.")
public final class PredictCommand implements Callable<Integer> {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Spectrum files (XDI or columns).")
    List<Path> files;

    @Option(names = "--json", description = "JSON lines.")
    boolean json;

    @Option(names = "--element", description = "Absorber, for files whose header lacks it (or to override it).")
    String element;

    @Option(names = "--edge", description = "Edge (default: the header's, else K).")
    String edge;

    @Option(names = "--no-calibrate", negatable = false,
            description = "Do not use a reference-foil channel for energy calibration (used by default when present).")
    boolean noCalibrate;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        XasConfig cfg = config.load();
        Path manifest = cfg.path(InferenceSettings.MODELS_MANIFEST, System.getenv());
        int failed = 0;
        try (ModelRegistry registry = ModelRegistry.load(manifest, SessionSettings.from(cfg))) {
            Predictor predictor = new Predictor(registry, Clock.systemUTC());
            Map<Integer, ObjectNode> errors = new LinkedHashMap<>();
            List<SpectrumInput> inputs = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                try {
                    SpectrumFile sf = SpectrumFileReader.read(f, f.toString());
                    inputs.add(SpectrumInputs.fromFile(sf, element, edge, !noCalibrate, Instant.now()));
                    positions.add(i);
                } catch (SpectrumFileException e) {
                    errors.put(i, error(f.toString(), "UNREADABLE", e.getMessage()));
                }
            }
            List<Outcome> outcomes = predictor.predict(inputs);
            Map<Integer, Outcome> byPosition = new LinkedHashMap<>();
            for (int k = 0; k < outcomes.size(); k++) {
                byPosition.put(positions.get(k), outcomes.get(k));
            }
            for (int i = 0; i < files.size(); i++) {
                String file = files.get(i).toString();
                Outcome o = byPosition.get(i);
                if (o == null || !o.isResult()) {
                    failed++;
                    ObjectNode err = o == null ? errors.get(i)
                            : error(file, o.rejection().reason().name(), o.rejection().getMessage());
                    if (json) {
                        out.println(err);
                    } else {
                        spec.commandLine().getErr().println("error: " + file + ": " + err.get("error").asText()
                                + ": " + err.get("message").asText());
                    }
                    continue;
                }
                out.println(json ? jsonOf(file, o.result()) : TailCommand.text(o.result()));
            }
        }
        out.flush();
        return failed > 0 ? 1 : 0;
    }

    /** The InferenceResult's JSON plus 'file' (as given) and 'model' (the model that answered the main task). */
    static ObjectNode jsonOf(String file, InferenceResult r) {
        ObjectNode o = JSON.objectNode();
        o.put("file", file);
        ModelRef main = r.getModels().stream().filter(m -> m.getTask().equals(ModelTasks.PDF)).findFirst()
                .orElse(r.getModels().get(0));
        ObjectNode model = o.putObject("model");
        model.put("id", main.getId());
        model.put("version", main.getVersion());
        o.setAll(RecordJson.toJson(r));
        return o;
    }

    private static ObjectNode error(String file, String reason, String message) {
        ObjectNode o = JSON.objectNode();
        o.put("file", file);
        o.put("error", reason);
        o.put("message", message);
        return o;
    }
}
