package dev.autogaze.model;

/**
 * Causal softmax attention of new queries against the cached keys of one batch row and head, with the row's 2-D
 * key mask: the query at cache index qi sees keys j <= qi whose mask is 1 (masked logits are −inf). Scores, softmax
 * and the value product run in blocks of queries through {@link Kernels}; each worker has its own score buffer.
 */
final class AttentionKernel {

    static final int QUERY_BLOCK = 16;

    private final Kernels kernels;
    private final int heads;
    private final int headDim;
    private final int group;
    private final float scale;

    /** Per-thread score buffer of one query block; grows with the cache. */
    static final class Scratch {
        private float[] scores = new float[0];
        private final float[] sums = new float[QUERY_BLOCK];
    }

    AttentionKernel(Kernels kernels, int heads, int kvHeads, int headDim, float scale) {
        this.kernels = kernels;
        this.heads = heads;
        this.headDim = headDim;
        this.group = heads / kvHeads;
        this.scale = scale;
    }

    /**
     * Attends queries [i0, i0 + n) of batch row b, head h.
     *
     * @param q      query rows (stride heads*headDim, RoPE applied); row i at qOff + i*stride
     * @param first  cache index of query row 0
     * @param out    output rows, same layout as q
     */
    void attend(KvCache cache, int layer, int b, int h, float[] q, int qOff, int i0, int n, int first, float[] out,
                int outOff, Scratch scratch) {
        int cap = cache.capacity();
        int stride = heads * headDim;
        int kh = h / group;
        float[] kt = cache.keysT[layer][b];
        float[] vs = cache.values[layer][b];
        float[] bias = cache.bias[b];
        int qi0 = first + i0;
        int maxLimit = qi0 + n;
        int len = Kernels.padded(maxLimit);
        if (scratch.scores.length < QUERY_BLOCK * len) {
            scratch.scores = new float[QUERY_BLOCK * Math.max(len, Kernels.padded(cap))];
        }
        float[] s = scratch.scores;
        float[] sum = scratch.sums;
        int headBase = kh * headDim * cap;
        kernels.keyScores(q, qOff + i0 * stride + h * headDim, stride, n, headDim, kt, headBase, s, 0, len, len);
        for (int r = 0; r < n; r++) {
            int limit = qi0 + r + 1;
            int off = r * len;
            float max = kernels.scaleMaskMax(s, off, limit, scale, bias);
            sum[r] = kernels.expSum(s, off, limit, max);
            java.util.Arrays.fill(s, off + Kernels.padded(limit), off + len, 0f);
        }
        int o = outOff + i0 * stride + h * headDim;
        kernels.weightedSum(s, 0, len, n, vs, headBase, maxLimit, out, o, stride, headDim);
        for (int r = 0; r < n; r++) {
            float inv = sum[r];
            int ro = o + r * stride;
            for (int d = 0; d < headDim; d++) {
                out[ro + d] /= inv;
            }
        }
    }
}
