package dev.autogaze.model;

import java.util.Arrays;

/**
 * The LLaMA gaze decoder with K multi-token heads (HF LlamaModel semantics, fp32): embeds, runs new tokens against
 * the KV cache and projects only the last position through lm_head and the task-loss head, since generation never
 * reads the other rows. In the last layer only that row is computed past the K/V projections. Not thread-safe: it
 * owns its scratch buffers.
 */
public final class GazeDecoder {

    private final AutoGazeConfig.Decoder cfg;
    private final int hidden;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int inter;
    private final int vocab;
    private final int outHeads;
    private final float eps;
    private final float scale;
    private final float[] embed;
    private final Layer[] layers;
    private final float[] finalNorm;
    private final Linear lmHead;
    private final Linear taskHead;
    private final Rope rope;

    private final AttentionKernel attention;
    private float[] h = new float[0];
    private float[] a = new float[0];
    private float[] m = new float[0];
    private float[] tmp = new float[0];
    private float[] q = new float[0];
    private float[] k = new float[0];
    private float[] v = new float[0];
    private float[] att = new float[0];
    private float[] gate = new float[0];
    private float[] up = new float[0];
    private final float[] lastRow;

    private record Layer(float[] inNorm, float[] postNorm, Linear q, Linear k, Linear v, Linear o, Linear gate,
                         Linear up, Linear down) {
    }

    public GazeDecoder(AutoGazeWeights weights) {
        this.cfg = weights.config().decoder();
        this.hidden = cfg.hiddenSize();
        this.heads = cfg.heads();
        this.kvHeads = cfg.kvHeads();
        this.headDim = cfg.headDim();
        this.inter = cfg.intermediateSize();
        this.vocab = cfg.vocabSize();
        this.outHeads = cfg.multiTokenHeads();
        this.eps = cfg.rmsNormEps();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        String model = AutoGazeWeights.DECODER + "model.";
        this.embed = weights.tensor(model + "embed_tokens.weight");
        this.layers = new Layer[cfg.layers()];
        int qOut = heads * headDim;
        int kvOut = kvHeads * headDim;
        for (int l = 0; l < layers.length; l++) {
            String p = model + "layers." + l + ".";
            layers[l] = new Layer(weights.tensor(p + "input_layernorm.weight"),
                    weights.tensor(p + "post_attention_layernorm.weight"),
                    new Linear(weights.tensor(p + "self_attn.q_proj.weight"), qOut, hidden),
                    new Linear(weights.tensor(p + "self_attn.k_proj.weight"), kvOut, hidden),
                    new Linear(weights.tensor(p + "self_attn.v_proj.weight"), kvOut, hidden),
                    new Linear(weights.tensor(p + "self_attn.o_proj.weight"), hidden, qOut),
                    new Linear(weights.tensor(p + "mlp.gate_proj.weight"), inter, hidden),
                    new Linear(weights.tensor(p + "mlp.up_proj.weight"), inter, hidden),
                    new Linear(weights.tensor(p + "mlp.down_proj.weight"), hidden, inter));
        }
        this.finalNorm = weights.tensor(model + "norm.weight");
        this.lmHead = new Linear(weights.tensor(AutoGazeWeights.DECODER + "lm_head.weight"), outHeads * vocab, hidden);
        this.taskHead = new Linear(weights.tensor(AutoGazeWeights.DECODER + "task_loss_prediction_head.weight"),
                outHeads, hidden);
        this.rope = new Rope(cfg);
        this.attention = new AttentionKernel(heads, kvHeads, headDim, scale);
        this.lastRow = new float[hidden];
    }

    public AutoGazeConfig.Decoder config() {
        return cfg;
    }

    public Rope rope() {
        return rope;
    }

    /** A cache for `batch` rows of up to `capacity` tokens each. */
    public KvCache newCache(int batch, int capacity) {
        return new KvCache(batch, layers.length, kvHeads, headDim, capacity);
    }

    /** Copies the embedding of token `id` (0..V-1) to out[off..off+hidden). */
    public void embed(int id, float[] out, int off) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException("token id " + id + " is outside the decoder vocabulary [0, " + vocab + ")");
        }
        System.arraycopy(embed, id * hidden, out, off, hidden);
    }

    /**
     * Feeds `count` new tokens per batch row at cache indices [cache.length(), +count).
     *
     * @param input     [B][count][hidden] input embeddings
     * @param positions [B][count] RoPE positions
     * @param logits    out: [B][K*V] raw last-row logits (element k*V + v)
     * @param taskLoss  out: [B][K] last-row task-loss predictions
     * The caller sets the key-mask entries of the new indices before the call.
     */
    public void forward(KvCache cache, float[] input, int count, int[] positions, float[] logits, float[] taskLoss) {
        int batch = cache.batch();
        if (count <= 0) {
            throw new IllegalArgumentException("decoder call with " + count + " new tokens");
        }
        if (input.length < batch * count * hidden || positions.length < batch * count) {
            throw new IllegalArgumentException("decoder input holds " + input.length + " floats / " + positions.length
                    + " positions, expected " + batch * count * hidden + " / " + batch * count);
        }
        int start = cache.append(count);
        int rows = batch * count;
        ensureScratch(rows);
        int maxPos = 0;
        for (int i = 0; i < rows; i++) {
            maxPos = Math.max(maxPos, positions[i]);
        }
        rope.ensurePositions(maxPos);
        System.arraycopy(input, 0, h, 0, rows * hidden);
        int kvOut = kvHeads * headDim;
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            boolean last = l == layers.length - 1;
            int qFrom = last ? count - 1 : 0;
            int nq = count - qFrom;
            for (int r = 0; r < rows; r++) {
                rmsNorm(h, r * hidden, layer.inNorm, a, r * hidden);
            }
            layer.k.apply(a, 0, rows, k, 0);
            layer.v.apply(a, 0, rows, v, 0);
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < count; i++) {
                    int r = b * count + i;
                    rope.apply(k, r * kvOut, kvHeads, positions[r]);
                    store(cache, l, b, start + i, r * kvOut);
                }
                layer.q.apply(a, (b * count + qFrom) * hidden, nq, q, b * nq * heads * headDim);
                for (int i = 0; i < nq; i++) {
                    int r = b * count + qFrom + i;
                    rope.apply(q, (b * nq + i) * heads * headDim, heads, positions[r]);
                }
                attention.attend(cache, l, b, q, b * nq * heads * headDim, nq, start + qFrom, att,
                        b * nq * heads * headDim);
                layer.o.apply(att, b * nq * heads * headDim, nq, tmp, 0);
                int hOff = (b * count + qFrom) * hidden;
                for (int x = 0; x < nq * hidden; x++) {
                    h[hOff + x] += tmp[x];
                }
                for (int i = 0; i < nq; i++) {
                    rmsNorm(h, hOff + i * hidden, layer.postNorm, m, i * hidden);
                }
                layer.gate.apply(m, 0, nq, gate, 0);
                layer.up.apply(m, 0, nq, up, 0);
                for (int x = 0; x < nq * inter; x++) {
                    float g = gate[x];
                    gate[x] = g / (1.0f + (float) Math.exp(-g)) * up[x];
                }
                layer.down.apply(gate, 0, nq, tmp, 0);
                for (int x = 0; x < nq * hidden; x++) {
                    h[hOff + x] += tmp[x];
                }
            }
        }
        for (int b = 0; b < batch; b++) {
            rmsNorm(h, (b * count + count - 1) * hidden, finalNorm, lastRow, 0);
            lmHead.apply(lastRow, 0, 1, logits, b * outHeads * vocab);
            taskHead.apply(lastRow, 0, 1, taskLoss, b * outHeads);
        }
    }

    private void store(KvCache cache, int layer, int b, int index, int off) {
        int cap = cache.capacity();
        float[] kt = cache.keysT[layer][b];
        float[] vs = cache.values[layer][b];
        for (int kh = 0; kh < kvHeads; kh++) {
            int src = off + kh * headDim;
            int kBase = kh * headDim * cap + index;
            for (int d = 0; d < headDim; d++) {
                kt[kBase + d * cap] = k[src + d];
            }
            System.arraycopy(v, src, vs, (kh * cap + index) * headDim, headDim);
        }
    }

    /** LlamaRMSNorm: w * (x * rsqrt(mean(x²) + eps)), in f32 (the mean accumulated in f64, rounded once). */
    private void rmsNorm(float[] x, int xOff, float[] w, float[] y, int yOff) {
        double sum = 0;
        for (int i = 0; i < hidden; i++) {
            float e = x[xOff + i];
            sum += e * e;
        }
        float variance = (float) (sum / hidden);
        float inv = (float) (1.0 / Math.sqrt(variance + eps));
        for (int i = 0; i < hidden; i++) {
            y[yOff + i] = w[i] * (x[xOff + i] * inv);
        }
    }

    private void ensureScratch(int rows) {
        if (h.length >= rows * hidden) {
            return;
        }
        int r = Math.max(rows, h.length / Math.max(1, hidden) * 2);
        h = new float[r * hidden];
        a = new float[r * hidden];
        m = new float[r * hidden];
        tmp = new float[r * hidden];
        q = new float[r * heads * headDim];
        k = new float[r * kvHeads * headDim];
        v = new float[r * kvHeads * headDim];
        att = new float[r * heads * headDim];
        gate = new float[r * inter];
        up = new float[r * inter];
    }

    int vocab() {
        return vocab;
    }

    int outHeads() {
        return outHeads;
    }

    int hidden() {
        return hidden;
    }

    int layerCount() {
        return layers.length;
    }

    @Override
    public String toString() {
        return "GazeDecoder[" + Arrays.asList(layers.length + " layers", hidden + " hidden", heads + " heads",
                outHeads + " output heads", vocab + " vocab") + "]";
    }
}
