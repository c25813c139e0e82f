package dev.autogaze.readout;

import java.util.Arrays;

/**
 * One frame's readout on one grid: select fixations (threshold, priority, fixation cap), look up their tokens,
 * deduplicate and apply the token cap, keeping priority order. Results stay in reusable arrays so a clip is
 * processed without allocation. Not thread-safe.
 */
final class FrameTokenizer {

    private final ProjectionTable table;
    private final ReadoutOptions options;
    private final long[] seen;
    private long[] keys = new long[64];
    /** Distinct tokens of the frame in priority order. */
    int[] tokens;
    int tokenCount;
    /** Per selected fixation in priority order: its confidence and the end of its run in {@link #tokens}. */
    float[] selConf = new float[64];
    int[] segEnd = new int[64];
    int selCount;

    FrameTokenizer(ProjectionTable table, ReadoutOptions options) {
        this.table = table;
        this.options = options;
        this.seen = new long[(table.gridTokens() + 63) >>> 6];
        this.tokens = new int[table.gridTokens()];
    }

    /** Reads frame t of ids; afterwards {@link #tokens}, {@link #segEnd} and {@link #selConf} describe it. */
    void tokenize(FrameIds ids, int t) {
        int from = ids.frameStart()[t];
        int to = ids.frameStart()[t + 1];
        int n = to - from;
        if (keys.length < n) {
            keys = new long[Math.max(n, keys.length * 2)];
            selConf = new float[keys.length];
            segEnd = new int[keys.length];
        }
        int m = select(ids, t, from, to);
        int maxTok = options.maxTokensPerFrame() == 0 ? Integer.MAX_VALUE : options.maxTokensPerFrame();
        int[] all = table.tokens();
        int count = 0;
        int sel = 0;
        for (; sel < m && count < maxTok; sel++) {
            int i = (int) keys[sel];
            int id = ids.ids()[i];
            for (int k = table.start(id), e = table.end(id); k < e && count < maxTok; k++) {
                int tok = all[k];
                long bit = 1L << tok;
                int w = tok >>> 6;
                if ((seen[w] & bit) == 0) {
                    seen[w] |= bit;
                    tokens[count++] = tok;
                }
            }
            selConf[sel] = ids.confidenceAt(i);
            segEnd[sel] = count;
        }
        selCount = sel;
        tokenCount = count;
        for (int k = 0; k < count; k++) {
            seen[tokens[k] >>> 6] = 0;
        }
    }

    /** Fills keys[0..m) with the selected ids' indices (low 32 bits) in priority order. */
    private int select(FrameIds ids, int t, int from, int to) {
        double thr = options.confidenceThreshold();
        int m = 0;
        boolean byConf = options.priority() == Priority.CONFIDENCE;
        for (int i = from; i < to; i++) {
            float c = ids.confidenceAt(i);
            if (thr > 0) {
                if (Float.isNaN(c)) {
                    throw new IllegalArgumentException("confidence threshold " + thr + " needs confidences, but gaze "
                            + (i - from) + " of frame " + t + " has none");
                }
                if (c < thr) {
                    continue;
                }
            }
            long key = i;
            if (byConf) {
                key |= (long) descendingKey(c) << 32;
            }
            keys[m++] = key;
        }
        if (byConf) {
            Arrays.sort(keys, 0, m);
        }
        int cap = options.maxFixationsPerFrame();
        return cap > 0 ? Math.min(m, cap) : m;
    }

    /** An int whose signed order is descending confidence, NaN last. */
    static int descendingKey(float c) {
        if (Float.isNaN(c)) {
            return Integer.MAX_VALUE;
        }
        int bits = Float.floatToIntBits(c == 0f ? 0f : c);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
        return ~ascending;
    }

    int segStart(int sel) {
        return sel == 0 ? 0 : segEnd[sel - 1];
    }
}
