package dev.autogaze.cli;

import dev.autogaze.model.EngineChoice;
import picocli.CommandLine.Option;

/** The decoder-engine flag, shared by every subcommand that runs the AutoGaze model. */
public final class EngineMixin {

    @Option(names = "--engine", defaultValue = "auto", description = "autogaze decoder engine: jvm (Java kernels), nd4j "
            + "(ND4J ops, on the GPU with a -Pgpu jar) or auto = nd4j where ND4J's backend is CUDA, else jvm "
            + "(default ${DEFAULT-VALUE}).")
    String engine;

    /** The flag as given ("auto" when absent), for specs that validate it themselves. */
    String value() {
        return engine;
    }

    /** The parsed choice; an unknown value fails naming the flag. */
    EngineChoice choice() {
        return EngineChoice.parse(engine, "--engine");
    }
}
