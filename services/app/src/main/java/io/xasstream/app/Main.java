package io.xasstream.app;

import io.xasstream.app.cli.BrokerCommand;
import io.xasstream.app.cli.CompareCommand;
import io.xasstream.app.cli.ConfigCommand;
import io.xasstream.app.cli.DemoCommand;
import io.xasstream.app.cli.NormalizeCommand;
import io.xasstream.app.cli.PredictCommand;
import io.xasstream.app.cli.ReplayCommand;
import io.xasstream.app.cli.RunCommand;
import io.xasstream.app.cli.SendCommand;
import io.xasstream.app.cli.TailCommand;
import io.xasstream.app.cli.ingest.IngestCommand;
import io.xasstream.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code xasstream} command line: it only wires (broker or cluster, services, file commands). */
@Command(name = "xasstream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Streams x-ray absorption spectra through Kafka into local structure (pseudo-PDF, "
                + "coordination number, oxidation state) with uncertainties.",
        subcommands = {DemoCommand.class, BrokerCommand.class, SendCommand.class, TailCommand.class, RunCommand.class, NormalizeCommand.class, PredictCommand.class, ReplayCommand.class, CompareCommand.class, IngestCommand.class,
                ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli instance (tests call {@code execute} on it). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException) {
                cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest (or "dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"xasstream " + (v == null ? "dev" : v)};
        }
    }
}
