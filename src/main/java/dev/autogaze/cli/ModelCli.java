package dev.autogaze.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The model's tools without Spark or Hadoop on the classpath (main class dev.autogaze.cli.ModelCli; jobs/gpu-check runs
 * it): what a GPU node needs to check and measure the engines with the model's jars alone. Every command here is also
 * a subcommand of `jobs/autogaze`.
 */
@Command(name = "autogaze-model", mixinStandardHelpOptions = true, version = "autogaze-spark 0.1.0",
        description = "AutoGaze model tools that need neither Spark nor Hadoop: parity checks and benchmarks.",
        subcommands = {
                CommandLine.HelpCommand.class,
                FixtureCheckCommand.class,
                BenchModelCommand.class,
        })
public final class ModelCli implements Runnable {

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
        return CliErrors.configure(new CommandLine(new ModelCli()));
    }
}
