package dev.autogaze.job;

import dev.autogaze.model.PatchDiffGazeSource;

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
 */
public record GazeSourceSpec(Kind kind, String modelPath, float threshold) implements Serializable {

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
        Kind kind = Kind.parse(gazeSource);
        return kind == Kind.AUTOGAZE ? autogaze(modelPath) : new GazeSourceSpec(kind, modelPath, patchDiffThreshold);
    }

    public static GazeSourceSpec autogaze(String modelPath) {
        return new GazeSourceSpec(Kind.AUTOGAZE, modelPath, 0f);
    }

    @Override
    public String toString() {
        return kind == Kind.AUTOGAZE ? "autogaze(" + modelPath + ")" : "patch-diff(threshold=" + threshold + ")";
    }
}
