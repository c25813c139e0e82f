package dev.autogaze.readout;

/** Small builders shared by the projection tests. */
final class Fx {

    private Fx() {
    }

    /** FrameIds from per-frame id lists, no confidence. */
    static FrameIds ids(int[]... frames) {
        return ids(frames, null);
    }

    /** FrameIds from per-frame ids and parallel confidences (or null). */
    static FrameIds ids(int[][] frames, float[][] conf) {
        int n = 0;
        for (int[] f : frames) {
            n += f.length;
        }
        int[] all = new int[n];
        float[] c = conf == null ? null : new float[n];
        int[] start = new int[frames.length + 1];
        int k = 0;
        for (int t = 0; t < frames.length; t++) {
            for (int i = 0; i < frames[t].length; i++) {
                all[k] = frames[t][i];
                if (c != null) {
                    c[k] = conf[t][i];
                }
                k++;
            }
            start[t + 1] = k;
        }
        return new FrameIds(all, c, start);
    }

    /** Tokens of a rows x cols grid from (row, col) pairs. */
    static int[] tok(int cols, int... rc) {
        int[] out = new int[rc.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = rc[2 * i] * cols + rc[2 * i + 1];
        }
        return out;
    }

    /** Raster tokens of the block [r0, r1) x [c0, c1). */
    static int[] block(int cols, int r0, int r1, int c0, int c1) {
        int[] out = new int[(r1 - r0) * (c1 - c0)];
        int k = 0;
        for (int r = r0; r < r1; r++) {
            for (int c = c0; c < c1; c++) {
                out[k++] = r * cols + c;
            }
        }
        return out;
    }
}
