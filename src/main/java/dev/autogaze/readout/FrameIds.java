package dev.autogaze.readout;

import java.util.List;

/**
 * The real gazes of one clip as primitive arrays (per-frame ids in gaze order, frame boundaries, confidences): the
 * form the projections run on, so the hot loops never touch objects.
 *
 * @param ids        per-frame ids in [0, N), frame by frame, each frame in gaze order
 * @param confidence parallel confidences (NaN = none), or null when the source has none
 * @param frameStart frame t owns {@code ids[frameStart[t] .. frameStart[t+1])}; length T + 1
 */
public record FrameIds(int[] ids, float[] confidence, int[] frameStart) {

    public FrameIds {
        if (frameStart.length == 0 || frameStart[0] != 0 || frameStart[frameStart.length - 1] != ids.length) {
            throw new IllegalArgumentException("frame starts must run from 0 to " + ids.length);
        }
        for (int t = 1; t < frameStart.length; t++) {
            if (frameStart[t] < frameStart[t - 1]) {
                throw new IllegalArgumentException("frame starts decrease at frame " + t);
            }
        }
        if (confidence != null && confidence.length != ids.length) {
            throw new IllegalArgumentException(confidence.length + " confidences for " + ids.length + " ids");
        }
    }

    public int frames() {
        return frameStart.length - 1;
    }

    public float confidenceAt(int i) {
        return confidence == null ? Float.NaN : confidence[i];
    }

    /** The ids of a fixation trace (its cells' ids; the source rects are not needed for projection). */
    public static FrameIds of(FixationTrace trace) {
        int n = trace.fixationCount();
        int[] ids = new int[n];
        float[] conf = new float[n];
        int[] start = new int[trace.frameCount() + 1];
        int i = 0;
        boolean any = false;
        for (int t = 0; t < trace.frameCount(); t++) {
            List<Fixation> list = trace.frame(t);
            for (Fixation f : list) {
                ids[i] = f.cell().id();
                conf[i] = f.confidence();
                any |= f.hasConfidence();
                i++;
            }
            start[t + 1] = i;
        }
        return new FrameIds(ids, any ? conf : null, start);
    }

    /**
     * Batch row b of generate() output, pads dropped. Pads may sit anywhere in a frame's segment (task-loss gating
     * interleaves them with real tokens); a real entry must decode to the frame whose segment holds it, and an
     * entry holding the pad value {@code t·N + N} must be flagged as a pad.
     */
    public static FrameIds fromGenerated(GeneratedGaze gaze, int b, int tokensPerFrame) {
        int n = tokensPerFrame;
        if (gaze.tokensPerFrame() != n) {
            throw new IllegalArgumentException("generated gaze has N = " + gaze.tokensPerFrame()
                    + " ids per frame but the layout has " + n);
        }
        if (b < 0 || b >= gaze.batchSize()) {
            throw new IllegalArgumentException("batch row " + b + " is outside [0, " + gaze.batchSize() + ")");
        }
        long[] pos = gaze.gazingPos()[b];
        boolean[] pad = gaze.padded()[b];
        float[] srcConf = gaze.confidence() == null ? null : gaze.confidence()[b];
        int[] counts = gaze.numGazingEachFrame();
        int real = gaze.realCount(b);
        int[] ids = new int[real];
        float[] conf = srcConf == null ? null : new float[real];
        int[] start = new int[counts.length + 1];
        int i = 0;
        int k = 0;
        for (int t = 0; t < counts.length; t++) {
            long base = (long) t * n;
            for (int end = i + counts[t]; i < end; i++) {
                if (pad[i]) {
                    continue;
                }
                long g = pos[i];
                if (g == base + n) {
                    throw new IllegalArgumentException("gazing_pos[" + b + "][" + i + "] = " + g + " is the pad id " + n
                            + " of frame " + t + " but if_padded_gazing is false");
                }
                if (g < base || g >= base + n) {
                    throw new IllegalArgumentException("gazing_pos[" + b + "][" + i + "] = " + g + " is not in frame " + t
                            + " (ids " + base + ".." + (base + n - 1)
                            + "), the frame whose num_gazing_each_frame segment holds it");
                }
                ids[k] = (int) (g - base);
                if (conf != null) {
                    conf[k] = srcConf[i];
                }
                k++;
            }
            start[t + 1] = k;
        }
        return new FrameIds(ids, conf, start);
    }
}
