package io.xasstream.k8s.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an unpacked image's entrypoint the way a container runtime with the k8s manifests' securityContext would:
 * private mount and PID namespaces ({@code unshare}), the root filesystem bind-mounted read-only, a tmpfs at /tmp
 * (the manifests' emptyDir, where ONNX Runtime unpacks its library), then {@code chroot} as the image's user with
 * exactly the image's environment and working directory. Needs root.
 */
final class ChrootRunner {
    private static final String SETUP = String.join("\n",
            "set -e",
            "R=\"$1\"; USERSPEC=\"$2\"; shift 2",
            "mount --make-rprivate /",
            "mount --bind \"$R\" \"$R\"",
            "mount -t proc proc \"$R/proc\"",
            "mount --rbind /dev \"$R/dev\"",
            "mount -t tmpfs -o mode=1777,size=1g tmpfs \"$R/tmp\"",
            "mount -o remount,bind,ro \"$R\"",
            "exec chroot --userspec=\"$USERSPEC\" \"$R\" \"$@\"");

    private ChrootRunner() {
    }

    /** Runs the image's entrypoint with {@code args}. */
    static ProcessResult entrypoint(Path rootfs, JsonNode imageConfig, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        imageConfig.path("Entrypoint").forEach(e -> command.add(e.asText()));
        command.addAll(args);
        return run(rootfs, imageConfig, command);
    }

    /** Runs {@code command} inside the image, with the image's user, environment and working directory. */
    static ProcessResult run(Path rootfs, JsonNode imageConfig, List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "sh", "-c", SETUP,
                "sh", rootfs.toString(), imageConfig.path("User").asText()));
        cmd.addAll(List.of("/usr/bin/env", "-i", "-C", imageConfig.path("WorkingDir").asText("/")));
        imageConfig.path("Env").forEach(e -> cmd.add(e.asText()));
        cmd.addAll(command);
        return Commands.run(cmd, 180);
    }
}
