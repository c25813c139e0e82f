package dev.autogaze.io;

/**
 * The fix_* columns of one clip: the real gazes as rectangles in source-video pixels, for overlays and reports.
 * Parallel arrays, one entry per fixation, ordered by frame then gaze order.
 */
public record ClipFixations(int[] frame, int[] scale, float[] confidence, float[] x0, float[] y0, float[] x1,
                            float[] y1) {

    public ClipFixations {
        int n = frame.length;
        if (scale.length != n || confidence.length != n || x0.length != n || y0.length != n || x1.length != n
                || y1.length != n) {
            throw new IllegalArgumentException("fixation lists differ in length: fix_frame " + n + ", fix_scale "
                    + scale.length + ", fix_confidence " + confidence.length + ", fix_x0 " + x0.length + ", fix_y0 "
                    + y0.length + ", fix_x1 " + x1.length + ", fix_y1 " + y1.length);
        }
    }

    public int count() {
        return frame.length;
    }
}
