package dev.autogaze.model;

/**
 * Causal softmax attention of new queries against one batch row's cached keys, with the row's 2-D key mask:
 * query at cache index qi sees keys j <= qi whose mask is 1; masked logits count as -inf. Plain loops over the
 * preallocated cache arrays (keys dimension-major so the score loop is a contiguous multiply-add).
 */
final class AttentionKernel {

    private final int heads;
    private final int headDim;
    private final int group;
    private final float scale;
    private float[] scores = new float[0];

    AttentionKernel(int heads, int kvHeads, int headDim, float scale) {
        this.heads = heads;
        this.headDim = headDim;
        this.group = heads / kvHeads;
        this.scale = scale;
    }

    /**
     * @param q      nq query rows of heads*headDim (RoPE applied) starting at q[qOff]
     * @param first  cache index of the first query (query i sits at first + i)
     * @param out    nq rows of heads*headDim, written at out[outOff]
     */
    void attend(KvCache cache, int layer, int b, float[] q, int qOff, int nq, int first, float[] out, int outOff) {
        int cap = cache.capacity();
        float[] kt = cache.keysT[layer][b];
        float[] vs = cache.values[layer][b];
        byte[] mask = cache.mask[b];
        int maxLen = first + nq;
        if (scores.length < maxLen) {
            scores = new float[Math.max(maxLen, scores.length * 2)];
        }
        float[] s = scores;
        for (int i = 0; i < nq; i++) {
            int len = first + i + 1;
            for (int hd = 0; hd < heads; hd++) {
                int kh = hd / group;
                int qo = qOff + (i * heads + hd) * headDim;
                java.util.Arrays.fill(s, 0, len, 0f);
                int kBase = kh * headDim * cap;
                for (int d = 0; d < headDim; d++) {
                    float qd = q[qo + d];
                    int ko = kBase + d * cap;
                    for (int j = 0; j < len; j++) {
                        s[j] += qd * kt[ko + j];
                    }
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    float x = s[j] * scale;
                    s[j] = x;
                    if (mask[j] != 0 && x > max) {
                        max = x;
                    }
                }
                int oo = outOff + (i * heads + hd) * headDim;
                java.util.Arrays.fill(out, oo, oo + headDim, 0f);
                double sum = 0;
                int vBase = kh * cap * headDim;
                for (int j = 0; j < len; j++) {
                    if (mask[j] == 0) {
                        continue;
                    }
                    float e = (float) Math.exp(s[j] - max);
                    sum += e;
                    int vo = vBase + j * headDim;
                    for (int d = 0; d < headDim; d++) {
                        out[oo + d] += e * vs[vo + d];
                    }
                }
                float inv = (float) sum;
                for (int d = 0; d < headDim; d++) {
                    out[oo + d] /= inv;
                }
            }
        }
    }
}
