package dev.autogaze.model;

import dev.autogaze.model.cuda.Cuda;

import java.util.Locale;

/**
 * Which engine runs the gaze model: the JVM kernels (CPU), ND4J ops, or the CUDA engine (kernels compiled by NVRTC,
 * the whole generation loop on the GPU). `auto` is CUDA where a CUDA device and the CUDA 13 libraries load, else the
 * JVM kernels; ND4J is only ever chosen explicitly.
 */
public enum EngineChoice {
    JVM("jvm"), ND4J("nd4j"), CUDA("cuda"), AUTO("auto");

    private final String label;

    EngineChoice(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses jvm / nd4j / cuda / auto (any case); the error names `flag` and the bad value. */
    public static EngineChoice parse(String text, String flag) {
        if (text != null) {
            for (EngineChoice e : values()) {
                if (e.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(flag + " " + text + " is unknown; use jvm, nd4j, cuda or auto");
    }

    /** JVM, ND4J or CUDA: AUTO becomes CUDA when a CUDA device is usable on this machine, else JVM. */
    public EngineChoice resolve() {
        if (this != AUTO) {
            return this;
        }
        return Cuda.unavailableReason() == null ? CUDA : JVM;
    }

    /** Opens a host decoder engine (JVM or ND4J); `threads` is the JVM engine's worker count. */
    public DecoderEngine open(AutoGazeWeights weights, int threads) {
        return switch (resolve()) {
            case JVM -> new GazeDecoder(weights, threads);
            case ND4J -> new Nd4jDecoder(weights);
            case CUDA -> throw new IllegalArgumentException("the cuda engine is opened through CudaEngine, not as a"
                    + " host decoder");
            case AUTO -> throw new AssertionError("resolve() never returns AUTO");
        };
    }
}
