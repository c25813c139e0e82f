package dev.autogaze.model;

import java.util.Arrays;

/**
 * The LLaMA gaze decoder with K multi-token heads (HF LlamaModel semantics, fp32): runs new tokens against the KV
 * cache and projects only the last position through lm_head and the task-loss head, since generation never reads
 * the other rows; in the last layer only that row is computed past the K/V projections. Not thread-safe (it owns
 * its scratch buffers and worker threads); close it to stop the workers.
 */
public final class GazeDecoder implements DecoderEngine {

    private final AutoGazeConfig.Decoder cfg;
    private final int hidden;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int inter;
    private final int vocab;
    private final int outHeads;
    private final float eps;
    private final float[] embed;
    private final Layer[] layers;
    private final float[] finalNorm;
    private final Linear lmHead;
    private final Linear taskHead;
    private final Rope rope;
    private final Kernels kernels;
    private final Workers workers;
    private final AttentionKernel attention;

    private final Scratch[] scratch;

    /** Per-thread activations of one batch row's forward pass; grown on demand, reused across calls. */
    private final class Scratch {
        float[] h = new float[0];
        float[] a = new float[0];
        float[] qkv = new float[0];
        float[] q = new float[0];
        float[] att = new float[0];
        float[] gateUp = new float[0];
        float[] act = new float[0];
        float[] tmp = new float[0];
        final AttentionKernel.Scratch attention = new AttentionKernel.Scratch();

        void ensure(int rows) {
            if (h.length >= rows * hidden) {
                return;
            }
            int r = Math.max(rows, h.length / hidden * 2);
            int qDim = heads * headDim;
            h = new float[r * hidden];
            a = new float[r * hidden];
            qkv = new float[r * (qDim + 2 * kvHeads * headDim)];
            q = new float[r * qDim];
            att = new float[r * qDim];
            gateUp = new float[r * 2 * inter];
            act = new float[r * inter];
            tmp = new float[r * hidden];
        }
    }

    private record Layer(float[] inNorm, float[] postNorm, Linear qkv, Linear o, Linear gateUp, Linear down) {
    }

    public GazeDecoder(AutoGazeWeights weights) {
        this(weights, 1);
    }

    /** A decoder whose stages are split over `threads` threads (the caller's included). */
    public GazeDecoder(AutoGazeWeights weights, int threads) {
        this(weights, threads, Kernels.best());
    }

    GazeDecoder(AutoGazeWeights weights, int threads, Kernels kernels) {
        this.cfg = weights.config().decoder();
        this.hidden = cfg.hiddenSize();
        this.heads = cfg.heads();
        this.kvHeads = cfg.kvHeads();
        this.headDim = cfg.headDim();
        this.inter = cfg.intermediateSize();
        this.vocab = cfg.vocabSize();
        this.outHeads = cfg.multiTokenHeads();
        this.eps = cfg.rmsNormEps();
        String model = AutoGazeWeights.DECODER + "model.";
        this.embed = weights.tensor(model + "embed_tokens.weight");
        this.layers = new Layer[cfg.layers()];
        for (int l = 0; l < layers.length; l++) {
            String p = model + "layers." + l + ".";
            layers[l] = new Layer(weights.tensor(p + "input_layernorm.weight"),
                    weights.tensor(p + "post_attention_layernorm.weight"),
                    new Linear(hidden, weights.tensor(p + "self_attn.q_proj.weight"),
                            weights.tensor(p + "self_attn.k_proj.weight"), weights.tensor(p + "self_attn.v_proj.weight")),
                    new Linear(heads * headDim, weights.tensor(p + "self_attn.o_proj.weight")),
                    new Linear(hidden, weights.tensor(p + "mlp.gate_proj.weight"), weights.tensor(p + "mlp.up_proj.weight")),
                    new Linear(inter, weights.tensor(p + "mlp.down_proj.weight")));
        }
        this.finalNorm = weights.tensor(model + "norm.weight");
        this.lmHead = new Linear(hidden, weights.tensor(AutoGazeWeights.DECODER + "lm_head.weight"));
        this.taskHead = new Linear(hidden, weights.tensor(AutoGazeWeights.DECODER + "task_loss_prediction_head.weight"));
        this.rope = new Rope(cfg);
        this.kernels = kernels;
        this.workers = new Workers(threads);
        this.attention = new AttentionKernel(kernels, heads, kvHeads, headDim, (float) (1.0 / Math.sqrt(headDim)));
        this.scratch = new Scratch[threads];
        for (int i = 0; i < threads; i++) {
            scratch[i] = new Scratch();
        }
    }

    @Override
    public AutoGazeConfig.Decoder config() {
        return cfg;
    }

    /** Which kernels run ("vector-512", "scalar") and on how many threads. */
    public String engine() {
        return kernels.name() + " x" + workers.size();
    }

    /** A cache for `batch` rows of up to `capacity` tokens each. */
    @Override
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

    /** {@link DecoderEngine} entry: the cache must be one of this engine's {@link KvCache}s. */
    @Override
    public void forward(DecoderCache cache, float[] input, int count, int[] positions, float[] logits, float[] taskLoss) {
        if (!(cache instanceof KvCache kv)) {
            throw new IllegalArgumentException("the jvm decoder cannot use a " + cache.getClass().getSimpleName());
        }
        forward(kv, input, count, positions, logits, taskLoss);
    }

    /**
     * Feeds `count` new tokens per batch row at cache indices [cache.length(), +count). The caller sets the
     * key-mask entries of the new indices first.
     *
     * @param input     [B][count][hidden] input embeddings
     * @param positions [B][count] RoPE positions
     * @param logits    out: [B][K*V] raw last-row logits (element k*V + v)
     * @param taskLoss  out: [B][K] last-row task-loss predictions
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
        int maxPos = 0;
        for (int i = 0; i < batch * count; i++) {
            maxPos = Math.max(maxPos, positions[i]);
        }
        rope.ensurePositions(maxPos);
        int start = cache.append(count);
        int groups = Math.min(batch, workers.size());
        if (groups > 1) {
            // rows are independent: one hand-off per call, each thread runs a contiguous range of rows through
            // every layer with its own scratch (its projections cover all its rows, so weights stream once)
            workers.run(groups, (task, worker) -> {
                int from = batch * task / groups;
                int to = batch * (task + 1) / groups;
                forwardRows(cache, from, to - from, start, input, count, positions, logits, taskLoss, scratch[task],
                        Workers.SEQUENTIAL);
            });
        } else {
            forwardRows(cache, 0, batch, start, input, count, positions, logits, taskLoss, scratch[0], workers);
        }
    }

    /**
     * Batch rows [from, from + rows) through every layer: projections over all their tokens at once, attention
     * per row; `inner` splits heads and big products (or runs them in place).
     */
    private void forwardRows(KvCache cache, int from, int rows, int start, float[] input, int count, int[] positions,
                             float[] logits, float[] taskLoss, Scratch x, Workers inner) {
        int tokens = rows * count;
        x.ensure(tokens);
        System.arraycopy(input, from * count * hidden, x.h, 0, tokens * hidden);
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        int qkvDim = qDim + 2 * kvDim;
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            int qFrom = l == layers.length - 1 ? count - 1 : 0;
            int nq = count - qFrom;
            for (int r = 0; r < tokens; r++) {
                rmsNorm(x.h, r * hidden, layer.inNorm, x.a, r * hidden);
            }
            layer.qkv.apply(kernels, inner, x.a, 0, tokens, x.qkv, 0);
            for (int g = 0; g < rows; g++) {
                int b = from + g;
                for (int i = 0; i < count; i++) {
                    int base = (g * count + i) * qkvDim;
                    int pos = positions[b * count + i];
                    rope.apply(x.qkv, base + qDim, kvHeads, pos);
                    store(cache, l, b, start + i, x.qkv, base + qDim, base + qDim + kvDim);
                    if (i >= qFrom) {
                        int qr = g * nq + i - qFrom;
                        System.arraycopy(x.qkv, base, x.q, qr * qDim, qDim);
                        rope.apply(x.q, qr * qDim, heads, pos);
                    }
                }
            }
            int blocks = (nq + AttentionKernel.QUERY_BLOCK - 1) / AttentionKernel.QUERY_BLOCK;
            int layerIndex = l;
            inner.run(rows * heads * blocks, (task, worker) -> {
                int blk = task % blocks;
                int hd = task / blocks % heads;
                int g = task / blocks / heads;
                int i0 = blk * AttentionKernel.QUERY_BLOCK;
                int n = Math.min(AttentionKernel.QUERY_BLOCK, nq - i0);
                AttentionKernel.Scratch s = inner == workers ? scratch[worker].attention : x.attention;
                attention.attend(cache, layerIndex, from + g, hd, x.q, g * nq * qDim, i0, n, start + qFrom, x.att,
                        g * nq * qDim, s);
            });
            int qRows = rows * nq;
            layer.o.apply(kernels, inner, x.att, 0, qRows, x.tmp, 0);
            addQueryRows(x.h, x.tmp, rows, count, qFrom, nq);
            for (int g = 0; g < rows; g++) {
                for (int i = 0; i < nq; i++) {
                    rmsNorm(x.h, (g * count + qFrom + i) * hidden, layer.postNorm, x.a, (g * nq + i) * hidden);
                }
            }
            layer.gateUp.apply(kernels, inner, x.a, 0, qRows, x.gateUp, 0);
            // one task per row: Math.exp is slow enough (≈ 3 % of a decode call on one thread) to split
            inner.run(qRows, (r, worker) -> silu(x.gateUp, r * 2 * inter, x.act, r * inter));
            layer.down.apply(kernels, inner, x.act, 0, qRows, x.tmp, 0);
            addQueryRows(x.h, x.tmp, rows, count, qFrom, nq);
        }
        for (int g = 0; g < rows; g++) {
            rmsNorm(x.h, (g * count + count - 1) * hidden, finalNorm, x.a, g * hidden);
        }
        lmHead.apply(kernels, inner, x.a, 0, rows, logits, from * outHeads * vocab);
        taskHead.apply(kernels, inner, x.a, 0, rows, taskLoss, from * outHeads);
    }

    /** act[e] = silu(gate[e]) · up[e] for one row of the fused [gate | up] projection. */
    private void silu(float[] gateUp, int go, float[] act, int ao) {
        for (int e = 0; e < inter; e++) {
            float gv = gateUp[go + e];
            act[ao + e] = gv / (1.0f + (float) Math.exp(-gv)) * gateUp[go + inter + e];
        }
    }

    /** h[query rows of each batch row] += src (nq packed rows per batch row). */
    private void addQueryRows(float[] h, float[] src, int rows, int count, int qFrom, int nq) {
        for (int g = 0; g < rows; g++) {
            int hOff = (g * count + qFrom) * hidden;
            int sOff = g * nq * hidden;
            for (int i = 0; i < nq * hidden; i++) {
                h[hOff + i] += src[sOff + i];
            }
        }
    }

    private void store(KvCache cache, int layer, int b, int index, float[] qkv, int kOff, int vOff) {
        int cap = cache.capacity();
        float[] kt = cache.keysT[layer][b];
        float[] vs = cache.values[layer][b];
        int block = index / Kernels.KEY_BLOCK * headDim * Kernels.KEY_BLOCK + index % Kernels.KEY_BLOCK;
        for (int kh = 0; kh < kvHeads; kh++) {
            int base = kh * headDim * cap + block;
            for (int d = 0; d < headDim; d++) {
                kt[base + d * Kernels.KEY_BLOCK] = qkv[kOff + kh * headDim + d];
            }
        }
        for (int kh = 0; kh < kvHeads; kh++) {
            System.arraycopy(qkv, vOff + kh * headDim, vs, (kh * cap + index) * headDim, headDim);
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

    @Override
    public int vocab() {
        return vocab;
    }

    @Override
    public int outHeads() {
        return outHeads;
    }

    @Override
    public int hidden() {
        return hidden;
    }

    @Override
    public void close() {
        workers.close();
    }

    @Override
    public String toString() {
        return "GazeDecoder[" + Arrays.asList(layers.length + " layers", hidden + " hidden", heads + " heads",
                outHeads + " output heads", vocab + " vocab", engine()) + "]";
    }
}
