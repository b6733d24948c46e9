package io.xasstream.loadtests;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: the tools run from it; tests get it from the build (xasstream.repo.root). */
public final class Repo {
    private Repo() {
    }

    public static Path root() {
        String set = System.getProperty("xasstream.repo.root");
        Path p = set != null && !set.isBlank() ? Path.of(set) : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(p.resolve("models/manifest.json"))) {
            throw new IllegalStateException(p + " is not the repository root (no models/manifest.json): run the "
                    + "load tools from the repository root");
        }
        return p.toAbsolutePath();
    }
}
