package io.xasstream.app.cli;

import io.xasstream.common.config.Setting;
import io.xasstream.common.config.XasConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Lists every setting (name, type, default, environment variable, meaning) and the values in effect. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "List every setting with its type, default, environment variable and meaning, and the value "
                + "in effect (secrets masked).")
public final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--markdown", description = "Print the settings as a Markdown table (the README's).")
    boolean markdown;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        XasConfig cfg = config.load();
        if (markdown) {
            out.println("| setting | type | default | environment variable | meaning |");
            out.println("|---|---|---|---|---|");
            for (Setting<?> s : XasConfig.settings()) {
                String def = render(s, s.defaultValue());
                out.printf("| `%s` | %s | %s | `%s` | %s |%n", s.name(), s.type(), def.isEmpty() ? "*(empty)*" : "`" + def + "`",
                        s.envName(), s.doc() + (s.rule().isEmpty() ? "" : " (" + s.rule() + ")"));
            }
            out.printf("| `kafka.client.*` | string | | `XASSTREAM_KAFKA_CLIENT_*` | Passed verbatim to every Kafka "
                    + "client (security.protocol, sasl.*, ssl.* ...); secret-looking values are masked. |%n");
            return 0;
        }
        for (Setting<?> s : XasConfig.settings()) {
            Object value = cfg.get(s);
            out.printf("%-32s = %-24s (%s; default %s; env %s)%n    %s%n", s.name(),
                    s.secret() && !String.valueOf(value).isEmpty() ? "****" : render(s, value), cfg.origin(s),
                    render(s, s.defaultValue()), s.envName(), s.doc());
        }
        cfg.kafkaClientProperties().forEach((k, v) -> out.printf("%-32s = %s%n", XasConfig.KAFKA_CLIENT_PREFIX + k,
                cfg.toString().contains(XasConfig.KAFKA_CLIENT_PREFIX + k + "=****") ? "****" : v));
        return 0;
    }

    private static String render(Setting<?> s, Object value) {
        return value instanceof Enum<?> e ? Setting.token(e) : String.valueOf(value);
    }
}
