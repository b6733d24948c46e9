package io.xasstream.k8s;

import java.nio.file.Path;

/** Files of the repository that the tests read (k8s/, models/, fixtures), from the build's repository root. */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        return Path.of(System.getProperty("xasstream.repo.root", "..")).toAbsolutePath().normalize();
    }

    public static Path repo(String relative) {
        return root().resolve(relative);
    }
}
