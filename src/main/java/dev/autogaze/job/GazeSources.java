package dev.autogaze.job;

import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.readout.ScaleLayout;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place a {@link GazeSourceSpec} becomes a {@link GazeSource}. The AutoGaze model is wired in here (and
 * only here) once dev.autogaze.model provides it; until then `autogaze` fails validation with a clear message.
 */
public final class GazeSources {

    private GazeSources() {
    }

    /**
     * Checks on the driver, before any Spark work, that the spec can be opened: the model path exists and the
     * source is available in this build. Throws IllegalArgumentException naming the bad value.
     */
    public static void validate(GazeSourceSpec spec) {
        if (spec.kind() == GazeSourceSpec.Kind.AUTOGAZE) {
            Path p = Path.of(spec.modelPath());
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--model " + spec.modelPath() + " does not exist");
            }
            ModelLocation.resolve(p);
            // WIRE-IN POINT (model helpers): replace this throw with a cheap check of the model files, e.g.
            // AutoGazeGazeSource.locate(p), so that missing config.json / weights fail here with their names.
            throw new IllegalArgumentException("gaze source autogaze is not available in this build yet (the AutoGaze"
                    + " model is not wired into dev.autogaze.job.GazeSources.open); use --gaze-source patch-diff");
        }
    }

    /**
     * Opens the source. Called once per executor JVM per spec (see {@link GazeSourceHolder}); the model loads here.
     */
    public static GazeSource open(GazeSourceSpec spec) {
        return switch (spec.kind()) {
            case PATCH_DIFF -> new PatchDiffGazeSource(ScaleLayout.released(), spec.threshold());
            // WIRE-IN POINT: AutoGazeGazeSource.open(Path.of(spec.modelPath())), after NativeThreads.configure().
            case AUTOGAZE -> throw new IllegalStateException("gaze source autogaze is not wired into GazeSources.open"
                    + " yet (model path " + spec.modelPath() + ")");
        };
    }
}
