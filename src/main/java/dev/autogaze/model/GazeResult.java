package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;

/**
 * What one generate call returns: the official triple with confidence, the per-scale gazing masks and where the
 * time went.
 *
 * @param gaze    gazing_pos, if_padded_gazing, num_gazing_each_frame and per-token confidence
 * @param masks   masks[s] is gazing_mask_s flattened [B][T][tokensOfScale(s)], 1 where a real gaze chose the cell
 * @param timings per-stage wall time of this call
 */
public record GazeResult(GeneratedGaze gaze, float[][] masks, Timings timings) {

    /** Per-stage wall time of one call, in nanoseconds, and decoder call counts. */
    public record Timings(long encoderNanos, long prefillNanos, long decodeNanos, long selectNanos, int prefillCalls,
                          int decodeCalls) {

        public static final Timings ZERO = new Timings(0, 0, 0, 0, 0, 0);

        public Timings withEncoderNanos(long nanos) {
            return new Timings(nanos, prefillNanos, decodeNanos, selectNanos, prefillCalls, decodeCalls);
        }

        public Timings plus(Timings o) {
            return new Timings(encoderNanos + o.encoderNanos, prefillNanos + o.prefillNanos,
                    decodeNanos + o.decodeNanos, selectNanos + o.selectNanos, prefillCalls + o.prefillCalls,
                    decodeCalls + o.decodeCalls);
        }

        public long totalNanos() {
            return encoderNanos + prefillNanos + decodeNanos + selectNanos;
        }
    }

    /**
     * Rows {@code [from, from + count)} as a result of their own (gaze rows, masks; the same timings). The rows keep
     * the batch's num_gazing_each_frame, so this equals gazing them alone only where the rows could not interact.
     */
    public GazeResult rows(int from, int count) {
        int batch = gaze.batchSize();
        if (from < 0 || count <= 0 || from + count > batch) {
            throw new IllegalArgumentException("rows [" + from + ", " + (from + count) + ") are outside the batch of "
                    + batch);
        }
        int frames = gaze.frames();
        long[][] pos = new long[count][];
        boolean[][] pad = new boolean[count][];
        float[][] conf = gaze.confidence() == null ? null : new float[count][];
        for (int i = 0; i < count; i++) {
            pos[i] = gaze.gazingPos()[from + i].clone();
            pad[i] = gaze.padded()[from + i].clone();
            if (conf != null) {
                conf[i] = gaze.confidence()[from + i].clone();
            }
        }
        float[][] m = new float[masks.length][];
        for (int s = 0; s < masks.length; s++) {
            int per = masks[s].length / (batch * frames);
            m[s] = java.util.Arrays.copyOfRange(masks[s], from * frames * per, (from + count) * frames * per);
        }
        return new GazeResult(new GeneratedGaze(pos, pad, gaze.numGazingEachFrame().clone(), conf,
                gaze.tokensPerFrame()), m, timings);
    }

    /** Mask value of cell `cell` of scale s for batch row b, frame t. */
    public float mask(ScaleLayout layout, int s, int b, int t, int cell) {
        int per = layout.tokensOfScale(s);
        return masks[s][(b * gaze.frames() + t) * per + cell];
    }

    /** Builds the per-scale masks from the triple (spec §5.5): real entries set their cell, pads are dropped. */
    public static float[][] masksOf(GeneratedGaze gaze, ScaleLayout layout) {
        int batch = gaze.batchSize();
        int frames = gaze.frames();
        int n = layout.tokensPerFrame();
        int[] offsets = layout.offsets();
        float[][] masks = new float[layout.scaleCount()][];
        for (int s = 0; s < masks.length; s++) {
            masks[s] = new float[batch * frames * layout.tokensOfScale(s)];
        }
        for (int b = 0; b < batch; b++) {
            long[] pos = gaze.gazingPos()[b];
            boolean[] pad = gaze.padded()[b];
            for (int i = 0; i < pos.length; i++) {
                if (pad[i]) {
                    continue;
                }
                int t = (int) (pos[i] / n);
                int id = (int) (pos[i] % n);
                int s = layout.scaleOf(id);
                masks[s][(b * frames + t) * layout.tokensOfScale(s) + id - offsets[s]] = 1f;
            }
        }
        return masks;
    }
}
