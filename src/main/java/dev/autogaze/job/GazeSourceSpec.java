package dev.autogaze.job;

import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.model.ResolutionTarget;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which gaze source a run uses, as plain serializable data: the driver validates it and ships it to executors,
 * which open the source once per JVM from it (see {@link GazeSourceHolder}).
 *
 * @param kind      AUTOGAZE or PATCH_DIFF
 * @param modelPath for AUTOGAZE: a model directory (config.json + model.safetensors) or a Hugging Face cache root;
 *                  null for PATCH_DIFF
 * @param threshold for PATCH_DIFF: the change threshold in 0-255 units; ignored (0) for AUTOGAZE
 * @param engine    for AUTOGAZE: which engine (`--engine`; AUTO resolves on each executor: the CUDA engine where a
 *                  CUDA device is usable, else the JVM kernels); AUTO for PATCH_DIFF. Not part of the config hash:
 *                  the engines compute the same model and give the same tokens on every fixture case (see
 *                  docs/model.md), like the JVM's vector and scalar kernels, whose choice is not hashed either
 * @param target    for AUTOGAZE: the downstream encoder's layout to deliver gazes in (`--target-scales`,
 *                  `--target-patch`, the official resolution adaptation), or null for the model's own layout
 * @param cudaLanes for AUTOGAZE on the cuda engine: batches each executor's GPU runs at once (`--cuda-lanes`, see
 *                  AutoGazeModel); the host engines ignore it. Not part of the config hash: a row never depends on
 *                  its batch
 */
public record GazeSourceSpec(Kind kind, String modelPath, float threshold, EngineChoice engine,
                             ResolutionTarget target, int cudaLanes) implements Serializable {

    /** The gaze sources a run can name; {@link #label()} is what the CLI and every output row say. */
    public enum Kind {
        AUTOGAZE("autogaze"), PATCH_DIFF(PatchDiffGazeSource.NAME);

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.label.equals(text.toLowerCase(Locale.ROOT)) || k.name().equalsIgnoreCase(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("gaze source '" + text + "' is unknown; use autogaze or patch-diff");
        }
    }

    public GazeSourceSpec {
        if (kind == null) {
            throw new IllegalArgumentException("gaze source kind must not be null");
        }
        if (kind == Kind.AUTOGAZE && (modelPath == null || modelPath.isBlank())) {
            throw new IllegalArgumentException("gaze source autogaze needs --model (a model directory or a Hugging Face"
                    + " cache root)");
        }
        if (kind == Kind.PATCH_DIFF && modelPath != null) {
            throw new IllegalArgumentException("--model " + modelPath + " was given but the gaze source is patch-diff");
        }
        if (!(threshold >= 0f) || !Float.isFinite(threshold)) {
            throw new IllegalArgumentException("patch-diff threshold " + threshold + " must be finite and >= 0");
        }
        if (engine == null) {
            throw new IllegalArgumentException("decoder engine must not be null (use auto)");
        }
        if (kind == Kind.PATCH_DIFF && target != null) {
            throw new IllegalArgumentException("--target-scales / --target-patch " + target + " need the autogaze gaze"
                    + " source; patch-diff has no resolution adaptation");
        }
        AutoGazeModel.checkCudaLanes(cudaLanes, "--cuda-lanes");
        if (kind == Kind.PATCH_DIFF && cudaLanes != AutoGazeModel.DEFAULT_CUDA_LANES) {
            throw new IllegalArgumentException("--cuda-lanes " + cudaLanes + " was given but the gaze source is"
                    + " patch-diff, which has no decoder");
        }
        if (kind == Kind.PATCH_DIFF && engine != EngineChoice.AUTO) {
            throw new IllegalArgumentException("--engine " + engine.label() + " was given but the gaze source is"
                    + " patch-diff, which has no decoder");
        }
    }

    /** A spec with the automatic decoder engine. */
    public GazeSourceSpec(Kind kind, String modelPath, float threshold) {
        this(kind, modelPath, threshold, EngineChoice.AUTO);
    }

    /** A spec without a resolution-adaptation target. */
    public GazeSourceSpec(Kind kind, String modelPath, float threshold, EngineChoice engine) {
        this(kind, modelPath, threshold, engine, null);
    }

    /** A spec with the default cuda lanes. */
    public GazeSourceSpec(Kind kind, String modelPath, float threshold, EngineChoice engine, ResolutionTarget target) {
        this(kind, modelPath, threshold, engine, target, AutoGazeModel.DEFAULT_CUDA_LANES);
    }

    /** True for AutoGaze on the cuda engine (auto resolved on this JVM): a GPU's source, fed by threads of its own. */
    public boolean runsOnCuda() {
        return kind == Kind.AUTOGAZE && engine.resolve() == EngineChoice.CUDA;
    }

    public GazeSourceSpec withEngine(EngineChoice e) {
        return new GazeSourceSpec(kind, modelPath, threshold, e, target, cudaLanes);
    }

    public GazeSourceSpec withTarget(ResolutionTarget t) {
        return new GazeSourceSpec(kind, modelPath, threshold, engine, t, cudaLanes);
    }

    public GazeSourceSpec withCudaLanes(int lanes) {
        return new GazeSourceSpec(kind, modelPath, threshold, engine, target, lanes);
    }

    public static GazeSourceSpec patchDiff(float threshold) {
        return new GazeSourceSpec(Kind.PATCH_DIFF, null, threshold);
    }

    public static GazeSourceSpec patchDiff() {
        return patchDiff(PatchDiffGazeSource.DEFAULT_THRESHOLD);
    }

    /**
     * The spec command-line flags describe: `--gaze-source`, `--model` and the patch-diff threshold (ignored for
     * autogaze). A model path given for patch-diff is rejected, not silently dropped.
     */
    public static GazeSourceSpec fromFlags(String gazeSource, String modelPath, float patchDiffThreshold) {
        return fromFlags(gazeSource, modelPath, patchDiffThreshold, EngineChoice.AUTO.label());
    }

    /** As above, plus `--engine` (jvm, nd4j or auto); a bad engine name fails here, naming the flag. */
    public static GazeSourceSpec fromFlags(String gazeSource, String modelPath, float patchDiffThreshold,
                                           String engine) {
        Kind kind = Kind.parse(gazeSource);
        EngineChoice e = EngineChoice.parse(engine, "--engine");
        return kind == Kind.AUTOGAZE ? autogaze(modelPath).withEngine(e)
                : new GazeSourceSpec(kind, modelPath, patchDiffThreshold, e);
    }

    public static GazeSourceSpec autogaze(String modelPath) {
        return new GazeSourceSpec(Kind.AUTOGAZE, modelPath, 0f);
    }

    @Override
    public String toString() {
        return kind == Kind.AUTOGAZE ? "autogaze(" + modelPath + ", engine " + engine.label()
                + (target == null ? "" : ", target " + target)
                + (cudaLanes == AutoGazeModel.DEFAULT_CUDA_LANES ? "" : ", cuda lanes " + cudaLanes) + ")"
                : "patch-diff(threshold=" + threshold + ")";
    }
}
