package dev.autogaze.cli;

import picocli.CommandLine;

/**
 * The spark-submit main class (`--class dev.autogaze.cli.SubmitMain`): the options of `jobs/autogaze run`, so a
 * submitted job and a local run read the same command line.
 */
public final class SubmitMain {

    private SubmitMain() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new RunCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
