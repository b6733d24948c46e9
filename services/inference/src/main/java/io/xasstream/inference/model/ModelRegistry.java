package io.xasstream.inference.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xasstream.common.config.ExecutionDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final ExecutorService sessionRunners;

    private ModelRegistry(Path manifestFile, List<LoadedModel> models, ExecutorService sessionRunners) {
        this.manifestFile = manifestFile;
        this.models = List.copyOf(models);
        this.sessionRunners = sessionRunners;
    }

    /** Loads every model of the manifest, one session each (tests, tools). */
    public static ModelRegistry load(Path manifestFile, ExecutionDevice device, int intraOpThreads)
            throws IOException {
        return load(manifestFile, SessionSettings.of(device, intraOpThreads));
    }

    /**
     * Loads every model of the manifest.
     *
     * @throws IOException when the manifest or a model file is unreadable or a sha256 does not match
     */
    public static ModelRegistry load(Path manifestFile, SessionSettings settings) throws IOException {
        ModelManifest manifest = ModelManifest.read(manifestFile);
        Path base = manifestFile.toAbsolutePath().getParent();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // The calling thread runs the first part of a split batch, these threads the others.
        ExecutorService runners = settings.sessionsPerModel() == 1 ? null
                : Executors.newFixedThreadPool(settings.sessionsPerModel() - 1, runnerThreads());
        List<LoadedModel> loaded = new ArrayList<>();
        try {
            for (ModelManifest.Entry e : manifest.models()) {
                Path file = base.resolve(e.file());
                String actual = sha256(file);
                if (!actual.equalsIgnoreCase(e.sha256())) {
                    throw new IOException(e.ref() + ": sha256 of " + file + " is " + actual + ", the manifest says "
                            + e.sha256() + " — refusing to load a model that is not the one described");
                }
                List<OrtSession> sessions = new ArrayList<>();
                String used = null;
                try {
                    for (int i = 0; i < settings.sessionsPerModel(); i++) {
                        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                        if (settings.intraOpThreads() > 0) {
                            options.setIntraOpNumThreads(settings.intraOpThreads());
                        }
                        used = ExecutionProviders.configure(settings.device(), options, 0);
                        sessions.add(env.createSession(file.toString(), options));
                    }
                } catch (OrtException | RuntimeException ex) {
                    for (OrtSession session : sessions) {
                        session.close();
                    }
                    throw ex;
                }
                LoadedModel model = new LoadedModel(e, env, sessions, runners, used);
                loaded.add(model);
                model.warmUp(); // first run of each session allocates and plans
                LOG.info("loaded model {} ({} {}, task {}) on {}{}", e.ref(), e.element(), e.edge(), e.task(), used,
                        sessions.size() > 1 ? ", " + sessions.size() + " sessions" : "");
            }
        } catch (OrtException | RuntimeException ex) {
            closeAll(loaded, runners);
            throw new IOException("cannot load models of " + manifestFile + ": " + ex.getMessage(), ex);
        } catch (IOException ex) {
            closeAll(loaded, runners);
            throw ex;
        }
        return new ModelRegistry(manifestFile, loaded, runners);
    }

    private static ThreadFactory runnerThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "onnx-session-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public List<LoadedModel> models() {
        return models;
    }

    /** The model with this manifest id, if loaded. */
    public Optional<LoadedModel> byId(String id) {
        return models.stream().filter(m -> m.entry().id().equals(id)).findFirst();
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
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeAll(List<LoadedModel> models, ExecutorService runners) {
        for (LoadedModel m : models) {
            try {
                m.close();
            } catch (OrtException e) {
                // closing after a failed load or at shutdown: nothing more to do
            }
        }
        if (runners != null) {
            runners.shutdownNow();
        }
    }

    @Override
    public void close() {
        closeAll(models, sessionRunners);
    }
}
