package dev.autogaze.model;

import java.util.Arrays;

/**
 * How much a gaze source may look at: the gazing ratio (scalar, or one per frame), the optional task-loss
 * requirement that lets a frame stop early, and an optional cap on gaze tokens per frame.
 *
 * @param gazingRatio           fraction of the per-frame vocabulary to gaze at, in (0, 1]
 * @param gazingRatioEachFrame  per-frame ratios overriding {@code gazingRatio}, or null
 * @param taskLossRequirement   stop a frame once a head's predicted task loss is at or below this; null = never
 * @param maxGazeTokensPerFrame cap on tokens per frame (pads included); 0 = only the ratio's budget applies
 */
public record GazeOptions(float gazingRatio, float[] gazingRatioEachFrame, Float taskLossRequirement,
                          int maxGazeTokensPerFrame) {

    public GazeOptions {
        checkRatio("gazing_ratio", gazingRatio);
        if (gazingRatioEachFrame != null) {
            gazingRatioEachFrame = gazingRatioEachFrame.clone();
            for (int t = 0; t < gazingRatioEachFrame.length; t++) {
                checkRatio("gazing_ratio_each_frame[" + t + "]", gazingRatioEachFrame[t]);
            }
        }
        if (taskLossRequirement != null && !Float.isFinite(taskLossRequirement)) {
            throw new IllegalArgumentException("task_loss_requirement " + taskLossRequirement + " must be finite");
        }
        if (maxGazeTokensPerFrame < 0) {
            throw new IllegalArgumentException("max_gaze_tokens_per_frame " + maxGazeTokensPerFrame
                    + " must be >= 0 (0 = no cap)");
        }
    }

    private static void checkRatio(String name, float ratio) {
        if (!(ratio > 0f && ratio <= 1f)) {
            throw new IllegalArgumentException(name + " " + ratio + " must be in (0, 1]");
        }
    }

    /** Ratio 0.75 with no task-loss requirement and no extra cap. */
    public static GazeOptions defaults() {
        return new GazeOptions(0.75f, null, null, 0);
    }

    public GazeOptions withRatio(float ratio) {
        return new GazeOptions(ratio, null, taskLossRequirement, maxGazeTokensPerFrame);
    }

    public GazeOptions withRatioEachFrame(float[] ratios) {
        return new GazeOptions(gazingRatio, ratios, taskLossRequirement, maxGazeTokensPerFrame);
    }

    public GazeOptions withTaskLossRequirement(Float requirement) {
        return new GazeOptions(gazingRatio, gazingRatioEachFrame, requirement, maxGazeTokensPerFrame);
    }

    public GazeOptions withMaxGazeTokensPerFrame(int max) {
        return new GazeOptions(gazingRatio, gazingRatioEachFrame, taskLossRequirement, max);
    }

    /** The ratio of frame t: the per-frame list when given (it must cover t), else the scalar. */
    public float ratioOfFrame(int t) {
        if (gazingRatioEachFrame == null) {
            return gazingRatio;
        }
        if (t >= gazingRatioEachFrame.length) {
            throw new IllegalArgumentException("gazing_ratio_each_frame has " + gazingRatioEachFrame.length
                    + " values but frame " + t + " was asked for");
        }
        return gazingRatioEachFrame[t];
    }

    /**
     * The frame budget exactly as the official model computes it: max(1, trunc(f32(ratio) * N)) in f32,
     * then the optional cap.
     */
    public int budgetOfFrame(int t, int tokensPerFrame) {
        float product = ratioOfFrame(t) * (float) tokensPerFrame;
        int budget = Math.max(1, (int) product);
        return maxGazeTokensPerFrame > 0 ? Math.min(budget, maxGazeTokensPerFrame) : budget;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GazeOptions g && Float.compare(gazingRatio, g.gazingRatio) == 0
                && Arrays.equals(gazingRatioEachFrame, g.gazingRatioEachFrame)
                && java.util.Objects.equals(taskLossRequirement, g.taskLossRequirement)
                && maxGazeTokensPerFrame == g.maxGazeTokensPerFrame;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(gazingRatio, Arrays.hashCode(gazingRatioEachFrame), taskLossRequirement,
                maxGazeTokensPerFrame);
    }

    @Override
    public String toString() {
        return "GazeOptions[ratio=" + (gazingRatioEachFrame == null ? gazingRatio : Arrays.toString(gazingRatioEachFrame))
                + ", taskLossRequirement=" + taskLossRequirement + ", maxGazeTokensPerFrame=" + maxGazeTokensPerFrame + "]";
    }
}
