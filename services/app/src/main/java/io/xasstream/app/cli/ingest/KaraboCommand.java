package io.xasstream.app.cli.ingest;

import io.xasstream.app.cli.ConfigOptions;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.karabo.KaraboIngest;
import io.xasstream.ingest.profile.Profile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingest karabo}: trains from the European XFEL Karabo bridge. */
@Command(name = "karabo", mixinStandardHelpOptions = true,
        description = "Read trains from a Karabo bridge (ZeroMQ, protocol 1.0 or 2.2) and publish one SpectrumBatch "
                + "per train (spectrometer mode: pulses x pixels, pixel → eV calibration, i0 from the XGM) or one "
                + "Spectrum per monochromator scan binned by energy (scan mode). Sources and paths come from the "
                + "profile's karabo section.")
public final class KaraboCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Bridge endpoint, e.g. tcp://exflong1:45000 (default: ingest.karabo.endpoint).")
    String endpoint;

    @Option(names = "--profile", paramLabel = "FILE", description = "Mapping profile (YAML) merged over the default.")
    Path profile;

    @Option(names = "--mode", paramLabel = "MODE", description = "spectrometer or scan (default: the profile's).")
    String mode;

    @Option(names = "--once", description = "Stop when the bridge, once connected, sends nothing for ingest.karabo.receive-timeout-ms.")
    boolean once;

    @Option(names = "--max-trains", paramLabel = "N", defaultValue = "0", description = "Stop after N trains.")
    long maxTrains;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> overrides = new LinkedHashMap<>();
        if (endpoint != null) {
            overrides.put(IngestSettings.KARABO_ENDPOINT.name(), endpoint);
        }
        try (IngestRuntime rt = new IngestRuntime(config.load().with(overrides), "karabo", profile)) {
            Profile.Karabo k = rt.profile.karabo();
            if (k == null) {
                throw new IllegalArgumentException("the profile has no karabo section");
            }
            if (mode != null) {
                k = withMode(k, mode);
            }
            KaraboIngest.Options options = KaraboIngest.Options.from(rt.config(), once, maxTrains);
            try (KaraboIngest ingest = KaraboIngest.start(rt.config(), rt.kafka.topics(), k, rt.metrics, options)) {
                rt.banner(out, "ingest karabo: " + options.endpoint() + " (" + k.mode().name().toLowerCase(Locale.ROOT)
                        + " mode) → " + rt.kafka.topics().spectra.name());
                while (!rt.signal.requested() && !ingest.await(200, TimeUnit.MILLISECONDS)) {
                    // runs until stopped, or until --once / --max-trains ends the loop
                }
                out.println("ingest karabo: " + ingest.trains() + " trains read");
            }
            out.println("ingest karabo: " + rt.summary());
        }
        return 0;
    }

    private static Profile.Karabo withMode(Profile.Karabo k, String mode) {
        Profile.KaraboMode m;
        try {
            m = Profile.KaraboMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode: '" + mode + "' is not spectrometer or scan");
        }
        return new Profile.Karabo(m, k.facility(), k.beamline(), k.experiment(), k.sample(), k.element(), k.edge(),
                k.spectrometer(), k.pulseIds(), k.calibration(), k.signal(), k.xgm(), k.monoEnergy(), k.energyUnit(),
                k.scanDetector(), k.scanId(), k.binEv(), k.conditions());
    }
}
