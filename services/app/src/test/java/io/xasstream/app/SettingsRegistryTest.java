package io.xasstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.app.demo.DemoSettings;
import io.xasstream.common.config.Setting;
import io.xasstream.common.config.XasConfig;
import io.xasstream.dashboard.DashboardSettings;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.monitor.MonitorSettings;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every setting declared anywhere (a {@code public static final Setting} field of an xasstream class) is in the one
 * list that the config command, the README table and the configuration loader use: a module that forgets to list a
 * setting in its SettingsGroup fails here.
 */
class SettingsRegistryTest {

    /** A setting declared but listed in no group, to show that the check catches one. */
    static final class Unlisted {
        public static final Setting<Integer> FORGOTTEN = Setting.integer("test.forgotten", 1, 0, 2, "not listed");
    }

    @Test
    void everyDeclaredSettingIsListed() throws Exception {
        List<Class<?>> classes = xasstreamClasses();
        classes.remove(Unlisted.class);
        List<Setting<?>> declared = declaredSettings(classes);

        // the scan sees the settings of every module that declares some
        assertThat(declared).contains(XasConfig.BOOTSTRAP_SERVERS, InferenceSettings.MAX_BATCH,
                MonitorSettings.WARMUP, DashboardSettings.TOKEN, DemoSettings.RATE,
                IngestSettings.BLUESKY_APPLICATION_ID);
        assertThat(unlisted(declared)).isEmpty();
        assertThat(XasConfig.settings()).doesNotHaveDuplicates();
    }

    @Test
    void aSettingMissingFromTheListIsFound() {
        assertThat(unlisted(declaredSettings(List.of(Unlisted.class)))).containsExactly("test.forgotten");
    }

    private static List<String> unlisted(Collection<Setting<?>> declared) {
        Set<Setting<?>> listed = new HashSet<>(XasConfig.settings());
        return declared.stream().filter(s -> !listed.contains(s)).map(Setting::name).toList();
    }

    private static List<Setting<?>> declaredSettings(List<Class<?>> classes) {
        List<Setting<?>> out = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Setting.class.isAssignableFrom(f.getType()) && Modifier.isStatic(m) && Modifier.isPublic(m)) {
                    try {
                        out.add((Setting<?>) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return out;
    }

    /** The io.xasstream classes on the test class path (directories and jars), not loaded beyond their fields. */
    private static List<Class<?>> xasstreamClasses() throws IOException, ClassNotFoundException {
        List<String> names = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.map(f -> p.relativize(f).toString().replace(File.separatorChar, '/')).forEach(names::add);
                }
            } else if (entry.endsWith(".jar") && p.getFileName().toString().startsWith("xasstream-")) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    jar.stream().map(e -> e.getName()).forEach(names::add);
                }
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("io/xasstream/") && n.endsWith(".class") && !n.startsWith("io/xasstream/schema/")) {
                String name = n.substring(0, n.length() - ".class".length()).replace('/', '.');
                out.add(Class.forName(name, false, SettingsRegistryTest.class.getClassLoader()));
            }
        }
        return out;
    }
}
