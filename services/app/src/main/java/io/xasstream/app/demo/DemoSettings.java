package io.xasstream.app.demo;

import io.xasstream.common.config.Setting;
import io.xasstream.common.config.SettingsGroup;
import java.util.List;

/** The settings of {@code ./xasstream demo}, registered as a {@link SettingsGroup}. */
public final class DemoSettings implements SettingsGroup {
    public static final Setting<String> SERIES = Setting.string("demo.series", "fe-reduction,cu-reduction",
            "Bundled synthetic operando series the demo streams in, comma-separated (fe-reduction, cu-reduction, "
                    + "ni-cycling); each is one sample.");
    public static final Setting<Double> RATE = Setting.decimal("demo.rate", 2.0, 0.0,
            "Spectra per second the demo publishes per series.");
    public static final Setting<Boolean> LOOP = Setting.bool("demo.loop", true,
            "Start the series again (as a new experiment) when it ends.");

    @Override
    public int rank() {
        return 300;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(SERIES, RATE, LOOP);
    }
}
