package dev.autogaze.model;

import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * Which {@link DecoderEngine} runs the gaze decoder: the JVM kernels, ND4J ops, or `auto` = ND4J when ND4J's backend
 * is CUDA (a GPU jar on a GPU executor), else the JVM kernels, which are faster on a CPU.
 */
public enum EngineChoice {
    JVM("jvm"), ND4J("nd4j"), AUTO("auto");

    private final String label;

    EngineChoice(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses jvm / nd4j / auto (any case); the error names `flag` and the bad value. */
    public static EngineChoice parse(String text, String flag) {
        if (text != null) {
            for (EngineChoice e : values()) {
                if (e.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(flag + " " + text + " is unknown; use jvm, nd4j or auto");
    }

    /** JVM or ND4J: AUTO becomes ND4J only when ND4J's backend is CUDA (this loads the ND4J backend). */
    public EngineChoice resolve() {
        if (this != AUTO) {
            return this;
        }
        return cudaBackend() ? ND4J : JVM;
    }

    /** True when ND4J's loaded backend is the CUDA one (nd4j-cuda on the classpath and a usable device). */
    public static boolean cudaBackend() {
        return isCudaBackend(Nd4j.getBackend().getClass().getName());
    }

    /** ND4J's CUDA backend is org.nd4j.linalg.jcublas.JCublasBackend: its name holds "jcublas", not "cuda". */
    static boolean isCudaBackend(String backendClassName) {
        return backendClassName.toLowerCase(Locale.ROOT).contains(".jcublas.");
    }

    /** Opens the resolved engine; `threads` is the JVM engine's worker count (ND4J sizes its own pools). */
    public DecoderEngine open(AutoGazeWeights weights, int threads) {
        return switch (resolve()) {
            case JVM -> new GazeDecoder(weights, threads);
            case ND4J -> new Nd4jDecoder(weights);
            case AUTO -> throw new AssertionError("resolve() never returns AUTO");
        };
    }
}
