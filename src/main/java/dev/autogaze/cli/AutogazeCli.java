package dev.autogaze.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `jobs/autogaze` launcher: every user-facing tool of the project is one of its subcommands. */
@Command(name = "autogaze", mixinStandardHelpOptions = true, version = "autogaze-spark 0.1.0",
        description = "AutoGaze sparse-readout tools: run the Spark job, inspect videos and models, render readouts.",
        subcommands = {
                CommandLine.HelpCommand.class,
                RunCommand.class,
                ProbeCommand.class,
                MakeSamplesCommand.class,
                ReadoutDemoCommand.class,
                InspectCommand.class,
                ReportCommand.class,
                FixtureCheckCommand.class,
                BenchModelCommand.class,
                BenchPipelineCommand.class,
                BenchDecodeCommand.class,
                BenchJobCommand.class,
                ClasspathCommand.class,
                AuditDownstreamCommand.class,
                BenchBalanceCommand.class,
        })
public final class AutogazeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main() and the tests. */
    public static CommandLine commandLine() {
        return CliErrors.configure(new CommandLine(new AutogazeCli()));
    }
}
