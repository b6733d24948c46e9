package io.xasstream.inference.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xasstream.common.config.ExecutionDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a manifest, loaded once: sha256 verified before loading, sessions created on the chosen execution
 * provider, inputs/outputs checked against the manifest, and each session warmed with one batch.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final List<LoadedModel> models;
    private final Path manifestFile;

    private ModelRegistry(Path manifestFile, List<LoadedModel> models) {
        this.manifestFile = manifestFile;
        this.models = List.copyOf(models);
    }

    /**
     * Loads every model of the manifest.
     *
     * @param intraOpThreads ONNX Runtime threads per session (0: its default)
     * @throws IOException when the manifest or a model file is unreadable or a sha256 does not match
     */
    public static ModelRegistry load(Path manifestFile, ExecutionDevice device, int intraOpThreads)
            throws IOException {
        ModelManifest manifest = ModelManifest.read(manifestFile);
        Path base = manifestFile.toAbsolutePath().getParent();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<LoadedModel> loaded = new ArrayList<>();
        try {
            for (ModelManifest.Entry e : manifest.models()) {
                Path file = base.resolve(e.file());
                String actual = sha256(file);
                if (!actual.equalsIgnoreCase(e.sha256())) {
                    throw new IOException(e.ref() + ": sha256 of " + file + " is " + actual + ", the manifest says "
                            + e.sha256() + " — refusing to load a model that is not the one described");
                }
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                if (intraOpThreads > 0) {
                    options.setIntraOpNumThreads(intraOpThreads);
                }
                String used = ExecutionProviders.configure(device, options, 0);
                OrtSession session = env.createSession(file.toString(), options);
                LoadedModel model = new LoadedModel(e, env, session, used);
                model.run(new float[1][model.inputSize()]); // warm-up: first run allocates and plans
                loaded.add(model);
                LOG.info("loaded model {} ({} {}, task {}) on {}", e.ref(), e.element(), e.edge(), e.task(), used);
            }
        } catch (OrtException | RuntimeException ex) {
            closeAll(loaded);
            throw new IOException("cannot load models of " + manifestFile + ": " + ex.getMessage(), ex);
        } catch (IOException ex) {
            closeAll(loaded);
            throw ex;
        }
        return new ModelRegistry(manifestFile, loaded);
    }

    public List<LoadedModel> models() {
        return models;
    }

    /** The model serving a task for an element and edge, if any. */
    public Optional<LoadedModel> find(String element, String edge, String task) {
        return models.stream().filter(m -> m.entry().element().equalsIgnoreCase(element)
                && m.entry().edge().equalsIgnoreCase(edge) && m.entry().task().equals(task)).findFirst();
    }

    /** Every model for an element and edge. */
    public List<LoadedModel> forEdge(String element, String edge) {
        return models.stream().filter(m -> m.entry().element().equalsIgnoreCase(element)
                && m.entry().edge().toUpperCase(Locale.ROOT).equals(edge.toUpperCase(Locale.ROOT))).toList();
    }

    public Path manifestFile() {
        return manifestFile;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeAll(List<LoadedModel> models) {
        for (LoadedModel m : models) {
            try {
                m.close();
            } catch (OrtException e) {
                // closing after a failed load: nothing more to do
            }
        }
    }

    @Override
    public void close() {
        closeAll(models);
    }
}
