package io.xasstream.k8s.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xasstream.k8s.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image that {@code mvn verify} built (k8s/pom.xml, Jib {@code buildTar}): its configuration, its
 * layers, and {@code predict} run by its own entrypoint inside the unpacked image, as its user, on a read-only root
 * filesystem with a tmpfs at /tmp (what the k8s manifests give it).
 */
class ImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Under target/ and deleted with rm -rf: the rootfs holds absolute symlinks that JUnit's @TempDir warns about. */
    private static Path tmp;

    private static OciImage image;

    @BeforeAll
    static void readImage() throws Exception {
        Path tar = Path.of(System.getProperty("xasstream.image.tar", "target/xasstream-image.tar"));
        boolean ci = "true".equals(System.getenv("CI"));
        // Outside CI the image is only built where its base can be (Linux, debootstrap, root: k8s/pom.xml).
        assumeTrue(ci || Files.exists(tar), "no image tarball at " + tar + " (profile 'image' needs debootstrap)");
        tmp = tar.resolveSibling("image-it");
        Commands.check(List.of("rm", "-rf", tmp.toString()));
        image = OciImage.read(tar, tmp.resolve("image"));
    }

    @AfterAll
    static void deleteUnpacked() throws Exception {
        if (tmp != null) {
            Commands.check(List.of("rm", "-rf", tmp.toString()));
        }
    }

    @Test
    void entrypointIsTheXasstreamAppRunAsANumericNonRootUserWithItsPortsExposed() {
        JsonNode config = image.config().path("config");
        List<String> entrypoint = strings(config.path("Entrypoint"));
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).last().isEqualTo("io.xasstream.app.Main");
        String user = config.path("User").asText();
        assertThat(user).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isNotZero()
                .isEqualTo(Integer.getInteger("xasstream.image.uid", 10001));
        assertThat(config.path("ExposedPorts").has("8081/tcp")).as("management port").isTrue();
        assertThat(config.path("ExposedPorts").has("8082/tcp")).as("monitor query / dashboard port").isTrue();
        assertThat(strings(config.path("Env"))).contains("XASSTREAM_HOME=/opt/xasstream");
    }

    @Test
    void layersSeparateBaseDependenciesNativeLibrariesModelsAndTheApplication() throws Exception {
        assertThat(image.layerNames()).containsSubsequence("dependencies", "native libraries (linux-amd64)",
                "models", "application");
        // the app with every service a pod runs: run --services dashboard and ingest bluesky need their modules
        for (String module : List.of("app", "dashboard", "ingest", "inference", "monitor")) {
            assertThat(image.files("application")).as(module)
                    .anyMatch(f -> f.matches("app/libs/xasstream-" + module + "-.*\\.jar"));
        }
        assertThat(image.files("dependencies")).noneMatch(f -> f.startsWith("app/libs/xasstream-"));
        assertThat(image.files("models")).contains("opt/xasstream/models/manifest.json");
        // every ONNX file the manifest names is in the models layer
        JsonNode manifest = JSON.readTree(RepoPaths.repo("models/manifest.json").toFile());
        List<String> onnx = new ArrayList<>();
        manifest.path("models").forEach(m -> onnx.add("opt/xasstream/models/" + m.path("file").asText()));
        assertThat(onnx).hasSizeGreaterThan(1);
        assertThat(image.files("models")).containsAll(onnx);
    }

    @Test
    void nativeLibrariesAreLinuxAmd64Only() throws Exception {
        List<String> natives = image.files("native libraries (linux-amd64)");
        assertThat(natives).hasSize(2);
        List<String> inside = new ArrayList<>();
        for (String jar : natives) {
            inside.addAll(OciImage.zipEntries(image.extracted(jar)));
        }
        assertThat(inside).contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so", "librocksdbjni-linux64.so");
        assertThat(inside).noneMatch(e -> e.contains("osx") || e.contains("win") || e.contains("aarch64")
                || e.contains("musl") || e.endsWith(".dll") || e.endsWith(".dylib") || e.endsWith(".jnilib"));
        // and the originals (every platform) are not in the image
        assertThat(image.files("dependencies")).noneMatch(f -> f.contains("onnxruntime") || f.contains("rocksdbjni"));
        System.out.printf("image: %d MB compressed, %d MB uncompressed (layers %s)%n",
                image.compressedBytes() >> 20, image.uncompressedBytes() >> 20,
                image.layerSizes().entrySet().stream().map(e -> e.getKey() + " " + (e.getValue() >> 20) + " MB")
                        .collect(Collectors.joining(", ")));
    }

    @Test
    void predictRunsInsideTheImageAsItsUserOnAReadOnlyRootFilesystemWithAWritableTmp() throws Exception {
        assumeTrue(isRoot() || "true".equals(System.getenv("CI")), "unshare + chroot need root");
        Path rootfs = image.unpack(tmp.resolve("rootfs"));
        Path fixture = RepoPaths.repo("services/common/src/test/resources/fixtures/spectra/cuo_i0_itrans_mutrans.xdi");
        Files.createDirectories(rootfs.resolve("fixtures"));
        Files.copy(fixture, rootfs.resolve("fixtures/cuo.xdi"));

        JsonNode config = image.config().path("config");
        ProcessResult run = ChrootRunner.entrypoint(rootfs, config, List.of("predict", "/fixtures/cuo.xdi", "--json"));
        ProcessResult write = ChrootRunner.run(rootfs, config, List.of("/bin/sh", "-c",
                "touch /tmp/scratch && echo tmp-writable; touch /opt/xasstream/probe || echo root-read-only"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode result = JSON.readTree(run.stdout().lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON result: " + run.output())));
        assertThat(result.path("element").asText()).isEqualTo("Cu");
        assertThat(result.path("models").size()).as("tasks answered").isGreaterThanOrEqualTo(2);
        assertThat(result.has("error")).isFalse();
        assertThat(write.stdout()).as(write.output()).contains("tmp-writable", "root-read-only");
    }

    private static boolean isRoot() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        return new String(p.getInputStream().readAllBytes()).trim().equals("0");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

}
