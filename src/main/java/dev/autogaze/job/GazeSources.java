package dev.autogaze.job;

import dev.autogaze.model.AutoGazeGazeSource;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.AutoGazeWeights;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.ModelFormatException;
import dev.autogaze.model.ModelLocator;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.model.ResolutionAdapter;
import dev.autogaze.readout.ScaleLayout;

import java.nio.file.Files;
import java.nio.file.Path;

/** The one place a {@link GazeSourceSpec} becomes a {@link GazeSource}. */
public final class GazeSources {

    private GazeSources() {
    }

    /**
     * Checks on the driver, before any Spark work, that the spec can be opened: the model folder is found and its
     * config and weights load strictly (13 MB for the released model, so this is cheap). Throws
     * IllegalArgumentException naming the bad value.
     */
    public static void validate(GazeSourceSpec spec) {
        if (spec.kind() == GazeSourceSpec.Kind.AUTOGAZE) {
            Path dir = modelDirectory(spec);
            AutoGazeWeights weights;
            try {
                weights = AutoGazeWeights.load(dir);
            } catch (ModelFormatException e) {
                throw new IllegalArgumentException("--model " + spec.modelPath() + ": " + e.getMessage(), e);
            }
            if (spec.target() != null) {
                new ResolutionAdapter(weights.config().layout(), spec.target()); // e.g. a scale count the model lacks
            }
        }
    }

    /** The model folder an autogaze spec names: a model folder, a hub repo folder, or a Hugging Face cache root. */
    public static Path modelDirectory(GazeSourceSpec spec) {
        Path p = Path.of(spec.modelPath());
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--model " + spec.modelPath() + " does not exist");
        }
        try {
            return ModelLocator.system().locate(p);
        } catch (ModelFormatException e) {
            throw new IllegalArgumentException("--model " + spec.modelPath() + ": " + e.getMessage(), e);
        }
    }

    /** Opens the source on the first CUDA device (or the CPU), see {@link #open(GazeSourceSpec, String)}. */
    public static GazeSource open(GazeSourceSpec spec) {
        return open(spec, null);
    }

    /**
     * Opens the source. Called once per executor JVM per spec and device (see {@link GazeSourceHolder}); the model
     * loads here, with as many decoder threads as the JVM has processors (tasks take turns on it: it is not
     * thread-safe) and the spec's engine, resolved here (auto: cuda where a CUDA device is usable, else jvm); the cuda
     * engine opens on the device `gpuAddress` names (a Spark GPU address; null = device 0), as the spec's lanes.
     */
    public static GazeSource open(GazeSourceSpec spec, String gpuAddress) {
        return switch (spec.kind()) {
            case PATCH_DIFF -> new PatchDiffGazeSource(ScaleLayout.released(), spec.threshold());
            case AUTOGAZE -> new AutoGazeGazeSource(AutoGazeModel.load(modelDirectory(spec),
                    Runtime.getRuntime().availableProcessors(), spec.engine(), gpuAddress, spec.cudaLanes()),
                    spec.target());
        };
    }
}
