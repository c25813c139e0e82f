package dev.autogaze.job;

import dev.autogaze.model.GazeSource;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor-side singleton: each JVM opens a gaze source once per spec and shares it among its tasks, so the
 * model's weights are loaded once per executor, not once per task or partition.
 */
public final class GazeSourceHolder {

    private static final ConcurrentHashMap<GazeSourceSpec, GazeSource> SOURCES = new ConcurrentHashMap<>();

    private GazeSourceHolder() {
    }

    /** The shared source for this spec, opened on first use (concurrent first uses open it once). */
    public static GazeSource get(GazeSourceSpec spec) {
        return SOURCES.computeIfAbsent(spec, GazeSources::open);
    }

    /** How many distinct sources this JVM holds (for tests of the once-per-JVM rule). */
    public static int openCount() {
        return SOURCES.size();
    }
}
