package dev.autogaze.cli;

import dev.autogaze.model.ModelFormatException;
import dev.autogaze.model.cuda.CudaException;
import picocli.CommandLine;

/**
 * How the launchers report what a user can fix (a bad value, a model folder that does not load, no usable GPU): one
 * line naming the command, exit 2, no stack trace. Anything else is a bug and keeps its trace.
 */
final class CliErrors {

    private CliErrors() {
    }

    static CommandLine configure(CommandLine cli) {
        return cli.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(CliErrors::report);
    }

    private static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof ModelFormatException || e instanceof CudaException) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return 2;
        }
        throw e;
    }
}
