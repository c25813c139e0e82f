package dev.autogaze.cli;

import dev.autogaze.model.EngineChoice;
import picocli.CommandLine.Option;

/** The decoder-engine flag, shared by every subcommand that runs the AutoGaze model. */
public final class EngineMixin {

    @Option(names = "--engine", defaultValue = "auto", description = "autogaze engine: jvm (Java SIMD kernels, CPU), "
            + "cuda (the whole model on an NVIDIA GPU: driver >= 580, CUDA 13 runtime and NVRTC), nd4j (ND4J ops) or "
            + "auto = cuda where a CUDA device is usable, else jvm (default ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--gpu", description = "CUDA device for --engine cuda: an ordinal (0) or a UUID (GPU-...); "
            + "default: device 0")
    String gpu;

    /** The --gpu address, or null. */
    String gpu() {
        return gpu;
    }

    /** The flag as given ("auto" when absent), for specs that validate it themselves. */
    String value() {
        return engine;
    }

    /** The parsed choice; an unknown value fails naming the flag. */
    EngineChoice choice() {
        return EngineChoice.parse(engine, "--engine");
    }
}
