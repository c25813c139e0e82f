package dev.autogaze.job;

import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.GazeSource;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor-side singleton: each JVM opens a gaze source once per spec (and, for the cuda engine, once per GPU)
 * and shares it among its tasks, so the model's weights are loaded once per executor and device, not once per task
 * or partition.
 */
public final class GazeSourceHolder {

    /** A spec and the GPU address its engine runs on (null for CPU engines and patch-diff). */
    private record Key(GazeSourceSpec spec, String gpu) {
    }

    private static final ConcurrentHashMap<Key, GazeSource> SOURCES = new ConcurrentHashMap<>();

    private GazeSourceHolder() {
    }

    /** The shared source for this spec on the CPU or GPU 0, opened on first use. */
    public static GazeSource get(GazeSourceSpec spec) {
        return get(spec, null);
    }

    /**
     * The shared source for this spec on the task's GPU (`gpuAddress`, as Spark assigned it; null = none), opened on
     * first use (concurrent first uses open it once). Only the cuda engine keys by device: a CPU engine serves every
     * task of the JVM.
     */
    public static GazeSource get(GazeSourceSpec spec, String gpuAddress) {
        boolean cuda = spec.kind() == GazeSourceSpec.Kind.AUTOGAZE && spec.engine().resolve() == EngineChoice.CUDA;
        Key key = new Key(spec, cuda ? (gpuAddress == null ? "" : gpuAddress) : null);
        return SOURCES.computeIfAbsent(key, k -> GazeSources.open(k.spec(), k.gpu()));
    }

    /** How many distinct sources this JVM holds (for tests of the once-per-JVM rule). */
    public static int openCount() {
        return SOURCES.size();
    }
}
