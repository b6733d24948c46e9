package io.xasstream.app.cli.ingest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code xasstream ingest SOURCE}: adapters from facility data streams and archives into the spectra topic. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Publish spectra from a facility source: Bluesky documents on Kafka, the European XFEL Karabo "
                + "bridge, or a Tiled archive. Unusable input goes to xas.rejected with a reason code.",
        subcommands = {BlueskyCommand.class, KaraboCommand.class, TiledCommand.class})
public final class IngestCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
