package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.util.List;

/**
 * A model-free gaze source with AutoGaze's output contract, so the job runs (and is testable) without weights.
 * Every output it feeds is labelled {@value #NAME}; it is a baseline, not a stand-in for the model's quality.
 *
 * <p>Definition, per clip and frame t:
 * <ol>
 *   <li>The frame is squashed to the layout's {@code frameSize()} square (224 for the released layout) by an exact
 *       area average (separable box filter with fractional edge weights), per RGB channel, in 0-255 units.</li>
 *   <li>The change image is the per-pixel mean over the three channels of |frame_t - reference|. The reference is
 *       frame t-1; for frame 0 it is a flat frame holding frame 0's own per-channel mean (so frame 0 gazes at its
 *       contrast, the closest thing to "what is worth looking at" without a model).</li>
 *   <li>Every cell of every scale is scored with the mean of the change image over the cell's square in the
 *       squashed frame (cell r,c of a g x g grid spans [floor(c*S/g), floor((c+1)*S/g)) horizontally, likewise
 *       vertically).</li>
 *   <li>Cells whose score is strictly above the threshold are gazed at in descending score order (ties: lower id
 *       first), at most {@link GazeOptions#budgetOfFrame} of them. If none passes, the single best cell is still
 *       gazed at, as the model always emits at least one real token per frame.</li>
 *   <li>Batch rows with fewer gazes than the largest row of that frame are filled with pads (id N, as in the official
 *       output), so every row has the same count per frame; pads never appear otherwise. {@link #gazeEach} (the
 *       default, one clip per call) therefore gives every clip its own counts and no pads.</li>
 * </ol>
 * Confidence is null: a change score is not a probability. The task-loss requirement has no meaning here and is
 * rejected.
 */
public final class PatchDiffGazeSource implements GazeSource {

    public static final String NAME = "patch-diff";
    /** Default threshold in 0-255 units of mean absolute RGB change. */
    public static final float DEFAULT_THRESHOLD = 8f;

    private final ScaleLayout layout;
    private final float threshold;
    private final int size;
    /** Per scale: cell boundaries in the squashed frame, length grid + 1. */
    private final int[][] bounds;

    public PatchDiffGazeSource(ScaleLayout layout, float threshold) {
        if (!(threshold >= 0f) || !Float.isFinite(threshold)) {
            throw new IllegalArgumentException("patch-diff threshold " + threshold + " must be finite and >= 0");
        }
        this.layout = layout;
        this.threshold = threshold;
        this.size = layout.frameSize();
        int[] grids = layout.grids();
        this.bounds = new int[grids.length][];
        for (int s = 0; s < grids.length; s++) {
            int g = grids[s];
            bounds[s] = new int[g + 1];
            for (int i = 0; i <= g; i++) {
                bounds[s][i] = (int) ((long) i * size / g);
            }
        }
    }

    /** The released layout with the default threshold. */
    public static PatchDiffGazeSource defaults() {
        return new PatchDiffGazeSource(ScaleLayout.released(), DEFAULT_THRESHOLD);
    }

    public float threshold() {
        return threshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScaleLayout layout() {
        return layout;
    }

    @Override
    public boolean threadSafe() {
        return true;
    }

    @Override
    public GeneratedGaze gaze(List<RgbClip> clips, GazeOptions options) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("patch-diff needs at least one clip, got an empty batch");
        }
        if (options.taskLossRequirement() != null) {
            throw new IllegalArgumentException("task_loss_requirement " + options.taskLossRequirement()
                    + " is not supported by the patch-diff gaze source (it predicts no task loss)");
        }
        int frames = clips.get(0).frameCount();
        for (int b = 1; b < clips.size(); b++) {
            if (clips.get(b).frameCount() != frames) {
                throw new IllegalArgumentException("batch row " + b + " has " + clips.get(b).frameCount()
                        + " frames but row 0 has " + frames + "; a batch must share its frame count");
            }
        }
        int n = layout.tokensPerFrame();
        int batch = clips.size();
        int[][][] picks = new int[batch][frames][];
        for (int b = 0; b < batch; b++) {
            picks[b] = pickClip(clips.get(b), options);
        }
        int[] perFrame = new int[frames];
        int total = 0;
        for (int t = 0; t < frames; t++) {
            for (int b = 0; b < batch; b++) {
                perFrame[t] = Math.max(perFrame[t], picks[b][t].length);
            }
            total += perFrame[t];
        }
        long[][] pos = new long[batch][total];
        boolean[][] padded = new boolean[batch][total];
        for (int b = 0; b < batch; b++) {
            int k = 0;
            for (int t = 0; t < frames; t++) {
                int[] ids = picks[b][t];
                for (int i = 0; i < perFrame[t]; i++, k++) {
                    boolean pad = i >= ids.length;
                    pos[b][k] = (long) t * n + (pad ? n : ids[i]);
                    padded[b][k] = pad;
                }
            }
        }
        return new GeneratedGaze(pos, padded, perFrame, null, n);
    }

    /** Chosen per-frame ids of one clip, in gaze order. */
    int[][] pickClip(RgbClip clip, GazeOptions options) {
        int frames = clip.frameCount();
        int[][] out = new int[frames][];
        float[] previous = null;
        float[] change = new float[size * size];
        float[] scores = new float[layout.tokensPerFrame()];
        double[] integral = new double[(size + 1) * (size + 1)];
        for (int t = 0; t < frames; t++) {
            float[] current = squash(clip, t);
            changeImage(current, previous, change);
            scoreCells(change, integral, scores);
            out[t] = select(scores, options.budgetOfFrame(t, layout.tokensPerFrame()));
            previous = current;
        }
        return out;
    }

    /** Frame t squashed to size x size, RGB interleaved, 0-255 floats (exact area average). */
    float[] squash(RgbClip clip, int t) {
        int w = clip.width();
        int h = clip.height();
        byte[] src = clip.frames()[t];
        Weights wx = Weights.of(w, size);
        Weights wy = Weights.of(h, size);
        float[] rows = new float[h * size * 3];
        for (int y = 0; y < h; y++) {
            int rowBase = y * w * 3;
            for (int ox = 0; ox < size; ox++) {
                float r = 0, g = 0, bl = 0;
                for (int j = wx.start[ox], k = wx.offset[ox]; j < wx.end[ox]; j++, k++) {
                    float weight = wx.weight[k];
                    int p = rowBase + j * 3;
                    r += weight * (src[p] & 0xFF);
                    g += weight * (src[p + 1] & 0xFF);
                    bl += weight * (src[p + 2] & 0xFF);
                }
                int o = (y * size + ox) * 3;
                rows[o] = r;
                rows[o + 1] = g;
                rows[o + 2] = bl;
            }
        }
        float[] out = new float[size * size * 3];
        for (int oy = 0; oy < size; oy++) {
            for (int j = wy.start[oy], k = wy.offset[oy]; j < wy.end[oy]; j++, k++) {
                float weight = wy.weight[k];
                int in = j * size * 3;
                int o = oy * size * 3;
                for (int i = 0; i < size * 3; i++) {
                    out[o + i] += weight * rows[in + i];
                }
            }
        }
        return out;
    }

    /** Mean over channels of |current - reference|; reference = previous frame, or current's channel means. */
    void changeImage(float[] current, float[] previous, float[] change) {
        int pixels = size * size;
        if (previous == null) {
            double[] mean = new double[3];
            for (int p = 0; p < pixels; p++) {
                mean[0] += current[p * 3];
                mean[1] += current[p * 3 + 1];
                mean[2] += current[p * 3 + 2];
            }
            float m0 = (float) (mean[0] / pixels), m1 = (float) (mean[1] / pixels), m2 = (float) (mean[2] / pixels);
            for (int p = 0; p < pixels; p++) {
                change[p] = (Math.abs(current[p * 3] - m0) + Math.abs(current[p * 3 + 1] - m1)
                        + Math.abs(current[p * 3 + 2] - m2)) / 3f;
            }
        } else {
            for (int p = 0; p < pixels; p++) {
                change[p] = (Math.abs(current[p * 3] - previous[p * 3]) + Math.abs(current[p * 3 + 1] - previous[p * 3 + 1])
                        + Math.abs(current[p * 3 + 2] - previous[p * 3 + 2])) / 3f;
            }
        }
    }

    /** Mean change over every cell of every scale, indexed by per-frame id. */
    void scoreCells(float[] change, double[] integral, float[] scores) {
        int stride = size + 1;
        for (int y = 0; y < size; y++) {
            double rowSum = 0;
            for (int x = 0; x < size; x++) {
                rowSum += change[y * size + x];
                integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + rowSum;
            }
        }
        int[] grids = layout.grids();
        int[] offsets = layout.offsets();
        for (int s = 0; s < grids.length; s++) {
            int g = grids[s];
            int[] bd = bounds[s];
            for (int r = 0; r < g; r++) {
                for (int c = 0; c < g; c++) {
                    int y0 = bd[r], y1 = bd[r + 1], x0 = bd[c], x1 = bd[c + 1];
                    double sum = integral[y1 * stride + x1] - integral[y0 * stride + x1]
                            - integral[y1 * stride + x0] + integral[y0 * stride + x0];
                    scores[offsets[s] + r * g + c] = (float) (sum / ((long) (y1 - y0) * (x1 - x0)));
                }
            }
        }
    }

    /** Ids above threshold by descending score (ties: lower id), capped at budget; at least the best one. */
    int[] select(float[] scores, int budget) {
        int n = scores.length;
        // Scores are >= 0, so their float bits order like the values; pack (descending score, id) into one long.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(scores[i])) << 32) | i;
        }
        java.util.Arrays.sort(keys);
        int count = 0;
        while (count < n && count < budget && scores[(int) keys[count]] > threshold) {
            count++;
        }
        count = Math.max(1, count);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = (int) keys[i];
        }
        return ids;
    }

    /** Area-average weights from `in` samples to `out` samples: per output, a source range and its weights. */
    private record Weights(int[] start, int[] end, int[] offset, float[] weight) {
        static Weights of(int in, int out) {
            int[] start = new int[out];
            int[] end = new int[out];
            int[] offset = new int[out];
            float[] weight = new float[in + 2 * out + 1];
            int k = 0;
            for (int o = 0; o < out; o++) {
                // Output sample o covers source interval [o*in/out, (o+1)*in/out); weights are overlaps / width.
                double lo = (double) o * in / out;
                double hi = (double) (o + 1) * in / out;
                start[o] = (int) Math.floor(lo);
                end[o] = Math.min(in, (int) Math.ceil(hi));
                offset[o] = k;
                double width = hi - lo;
                for (int j = start[o]; j < end[o]; j++) {
                    double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
                    weight[k++] = (float) (overlap / width);
                }
            }
            return new Weights(start, end, offset, java.util.Arrays.copyOf(weight, k));
        }
    }

    @Override
    public String toString() {
        return "PatchDiffGazeSource[threshold=" + threshold + ", " + layout + "]";
    }
}
