package dev.autogaze.job;

import dev.autogaze.model.GazeSource;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The executor-side singleton: each JVM opens a gaze source once per spec (and, for the cuda engine, once per GPU)
 * and shares it among its tasks, so the model's weights are loaded once per executor and device, not once per task
 * or partition.
 */
public final class GazeSourceHolder {

    /** A spec and the GPU address its engine runs on (null for CPU engines and patch-diff). */
    private record Key(GazeSourceSpec spec, String gpu) {
    }

    private static final GazeSourceHolder SHARED = new GazeSourceHolder(GazeSources::open);

    private final ConcurrentHashMap<Key, GazeSource> sources = new ConcurrentHashMap<>();
    private final BiFunction<GazeSourceSpec, String, GazeSource> opener;

    /** A holder that opens sources with {@code opener} (spec, GPU address); the JVM's own uses GazeSources.open. */
    GazeSourceHolder(BiFunction<GazeSourceSpec, String, GazeSource> opener) {
        this.opener = opener;
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
        return SHARED.source(spec, gpuAddress);
    }

    /** How many distinct sources this JVM holds (for tests of the once-per-JVM rule). */
    public static int openCount() {
        return SHARED.sources.size();
    }

    /** {@link #get(GazeSourceSpec, String)} on this holder. */
    GazeSource source(GazeSourceSpec spec, String gpuAddress) {
        Key key = new Key(spec, spec.runsOnCuda() ? (gpuAddress == null ? "" : gpuAddress) : null);
        return sources.computeIfAbsent(key, k -> opener.apply(k.spec(), k.gpu()));
    }
}
