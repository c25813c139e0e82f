package dev.autogaze.cli;

import dev.autogaze.job.GazeSourceSpec;
import dev.autogaze.model.AutoGazeModel;
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

    @Option(names = "--cuda-lanes", description = "with the cuda engine: batches each GPU runs at once, each on its "
            + "own stream, a batch's clips split across them (1.." + AutoGazeModel.MAX_CUDA_LANES + "; default "
            + AutoGazeModel.DEFAULT_CUDA_LANES + "). Rows never change with it")
    Integer cudaLanes;

    /** --cuda-lanes, or the default; out of range fails naming the flag. */
    int cudaLanes() {
        return AutoGazeModel.checkCudaLanes(cudaLanes == null ? AutoGazeModel.DEFAULT_CUDA_LANES : cudaLanes,
                "--cuda-lanes");
    }

    /** The spec with --cuda-lanes; a gaze source without a decoder rejects the flag. */
    GazeSourceSpec withLanes(GazeSourceSpec spec) {
        if (spec.kind() != GazeSourceSpec.Kind.AUTOGAZE) {
            if (cudaLanes != null) {
                throw new IllegalArgumentException("--cuda-lanes " + cudaLanes + " was given but the gaze source is "
                        + spec.kind().label() + ", which has no decoder");
            }
            return spec;
        }
        return spec.withCudaLanes(cudaLanes());
    }

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
