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
    private final TeamPhases phases = new TeamPhases();

    /** Activations of a forward call (member 0's are the team's shared ones); grown on demand, reused across calls. */
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

        /** Room for `rows` token rows of every activation (the team's shared scratch). */
        void ensure(int rows) {
            ensureOwn(rows);
            if (h.length >= rows * hidden) {
                return;
            }
            int r = Math.max(rows, h.length / hidden * 2);
            int qDim = heads * headDim;
            h = new float[r * hidden];
            qkv = new float[r * (qDim + 2 * kvHeads * headDim)];
            q = new float[r * qDim];
            att = new float[r * qDim];
            gateUp = new float[r * 2 * inter];
            act = new float[r * inter];
            tmp = new float[r * hidden];
        }

        /** Room for `rows` rows of a member's own normalized input. */
        void ensureOwn(int rows) {
            if (a.length < rows * hidden) {
                a = new float[Math.max(rows, a.length / hidden * 2) * hidden];
            }
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
        DecoderEngine.checkForward(batch, hidden, input, count, positions);
        int maxPos = 0;
        for (int i = 0; i < batch * count; i++) {
            maxPos = Math.max(maxPos, positions[i]);
        }
        rope.ensurePositions(maxPos);
        int start = cache.append(count);
        // the threads run every layer together, sharing out each phase's units (KV heads, attention blocks of every
        // row, 32-column chunks of each product over all rows, so each weight chunk streams once per call)
        Call call = new Call(cache, batch, start, count, positions, logits, taskLoss);
        scratch[0].ensure(batch * count);
        for (Scratch x : scratch) {
            x.ensureOwn(batch * count);
        }
        System.arraycopy(input, 0, scratch[0].h, 0, batch * count * hidden);
        phases.reset(phaseCount());
        workers.team(phases, worker -> forwardRows(call, scratch[0], scratch[worker], phases));
    }

    /** One forward call's arguments: `rows` batch rows of `count` new tokens each, from cache index `start`. */
    private record Call(KvCache cache, int rows, int start, int count, int[] positions, float[] logits,
                        float[] taskLoss) {
    }

    /** Phases of one call: five per layer (q/k/v, attention, o, gate/up, down) and the output heads. */
    private int phaseCount() {
        return layers.length * 5 + 1;
    }

    /**
     * The call's rows (their inputs already in shared.h) through every layer. The members of a team (or one thread
     * alone) run this together: each phase's units go to whichever member claims them, and the next phase starts once all are
     * done. Every element is computed by the same operations in the same order however the units fall, so the
     * result is bit-identical for any thread count. `shared` holds the activations (members write disjoint
     * parts); `own` a member's private normalized input and attention scores: a member normalizes rows itself
     * (cheaper than another phase) when it claims its first unit that needs them.
     */
    private void forwardRows(Call c, Scratch shared, Scratch own, TeamPhases team) {
        int rows = c.rows;
        int count = c.count;
        int tokens = rows * count;
        float[] h = shared.h;
        float[] a = own.a;
        int interChunks = chunks(inter);
        int phase = 0;
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            int qFrom = l == layers.length - 1 ? count - 1 : 0;
            int nq = count - qFrom;
            int qRows = rows * nq;
            boolean normed = false;
            for (int u = team.claim(phase); u < kvHeads; u = team.claim(phase)) {
                if (!normed) {
                    for (int r = 0; r < tokens; r++) {
                        rmsNorm(h, r * hidden, layer.inNorm, a, r * hidden);
                    }
                    normed = true;
                }
                projectKvHead(c, shared, a, layer, l, qFrom, u);
                team.done(phase);
            }
            team.await(phase++, kvHeads);
            int blocks = (nq + AttentionKernel.QUERY_BLOCK - 1) / AttentionKernel.QUERY_BLOCK;
            int attentionUnits = rows * heads * blocks;
            for (int u = team.claim(phase); u < attentionUnits; u = team.claim(phase)) {
                int g = u / (heads * blocks);
                int hd = u / blocks % heads;
                int q0 = u % blocks * AttentionKernel.QUERY_BLOCK;
                int qOff = g * nq * heads * headDim;
                attention.attend(c.cache, l, g, hd, shared.q, qOff, q0,
                        Math.min(AttentionKernel.QUERY_BLOCK, nq - q0), c.start + qFrom, shared.att, qOff, own.attention);
                team.done(phase);
            }
            team.await(phase++, attentionUnits);
            residualPhase(team, phase++, layer.o, shared.att, shared, c, qFrom);
            boolean postNormed = false;
            for (int u = team.claim(phase); u < interChunks; u = team.claim(phase)) {
                if (!postNormed) {
                    for (int g = 0; g < rows; g++) {
                        for (int i = 0; i < nq; i++) {
                            rmsNorm(h, (g * count + qFrom + i) * hidden, layer.postNorm, a, (g * nq + i) * hidden);
                        }
                    }
                    postNormed = true;
                }
                int i0 = u * CHUNK;
                int i1 = Math.min(inter, i0 + CHUNK);
                layer.gateUp.applyColumns(kernels, a, 0, qRows, shared.gateUp, 0, i0, i1);
                layer.gateUp.applyColumns(kernels, a, 0, qRows, shared.gateUp, 0, inter + i0, inter + i1);
                for (int r = 0; r < qRows; r++) {
                    kernels.silu(shared.gateUp, r * 2 * inter, shared.act, r * inter, i0, i1, inter);
                }
                team.done(phase);
            }
            team.await(phase++, interChunks);
            residualPhase(team, phase++, layer.down, shared.act, shared, c, qFrom);
        }
        // the output heads: lm_head in 32-column units, the task-loss head as the last unit; the team's join
        // (or the caller's return) ends this phase
        int vocabOut = lmHead.out();
        int lmChunks = chunks(vocabOut);
        boolean normed = false;
        for (int u = team.claim(phase); u <= lmChunks; u = team.claim(phase)) {
            if (!normed) {
                for (int g = 0; g < rows; g++) {
                    rmsNorm(h, (g * count + count - 1) * hidden, finalNorm, a, g * hidden);
                }
                normed = true;
            }
            if (u < lmChunks) {
                lmHead.applyColumns(kernels, a, 0, rows, c.logits, 0, u * CHUNK,
                        Math.min(vocabOut, (u + 1) * CHUNK));
            } else {
                taskHead.applyColumns(kernels, a, 0, rows, c.taskLoss, 0, 0, outHeads);
            }
            team.done(phase);
        }
    }

    /**
     * One phase h[query rows] += proj(src), 32 output columns per unit (the attention output through o, the MLP
     * activation through down).
     */
    private void residualPhase(TeamPhases team, int phase, Linear proj, float[] src, Scratch shared, Call c,
                               int qFrom) {
        int nq = c.count - qFrom;
        int units = chunks(hidden);
        for (int u = team.claim(phase); u < units; u = team.claim(phase)) {
            int c0 = u * CHUNK;
            int c1 = Math.min(hidden, c0 + CHUNK);
            proj.applyColumns(kernels, src, 0, c.rows * nq, shared.tmp, 0, c0, c1);
            addQueryRows(shared.h, shared.tmp, c.rows, c.count, qFrom, nq, c0, c1);
            team.done(phase);
        }
        team.await(phase, units);
    }

    /** Output columns per unit of work: one block of the weights' layout. */
    private static final int CHUNK = Kernels.KEY_BLOCK;

    private static int chunks(int columns) {
        return (columns + CHUNK - 1) / CHUNK;
    }

    /**
     * KV head kh of every token: its k and v columns and the q columns of its query heads, RoPE, the cache stores,
     * and the query rows packed for attention.
     */
    private void projectKvHead(Call c, Scratch x, float[] a, Layer layer, int l, int qFrom, int kh) {
        int tokens = c.rows * c.count;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        int group = heads / kvHeads;
        layer.qkv.applyColumns(kernels, a, 0, tokens, x.qkv, 0, kh * group * headDim, (kh + 1) * group * headDim);
        layer.qkv.applyColumns(kernels, a, 0, tokens, x.qkv, 0, qDim + kh * headDim, qDim + (kh + 1) * headDim);
        layer.qkv.applyColumns(kernels, a, 0, tokens, x.qkv, 0, qDim + kvDim + kh * headDim,
                qDim + kvDim + (kh + 1) * headDim);
        ropeAndStore(c, x, l, qFrom, kh, kh + 1);
    }

    /** RoPE on the new keys of KV heads [kh0, kh1) and their queries, cache stores, queries packed for attention. */
    private void ropeAndStore(Call c, Scratch x, int layer, int qFrom, int kh0, int kh1) {
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        int qkvDim = qDim + 2 * kvDim;
        int group = heads / kvHeads;
        int nq = c.count - qFrom;
        for (int b = 0; b < c.rows; b++) {
            for (int i = 0; i < c.count; i++) {
                int base = (b * c.count + i) * qkvDim;
                int pos = c.positions[b * c.count + i];
                rope.apply(x.qkv, base + qDim + kh0 * headDim, kh1 - kh0, pos);
                store(c.cache, layer, b, c.start + i, x.qkv, base + qDim, base + qDim + kvDim, kh0, kh1);
                if (i >= qFrom) {
                    int qOff = (b * nq + i - qFrom) * qDim + kh0 * group * headDim;
                    System.arraycopy(x.qkv, base + kh0 * group * headDim, x.q, qOff, (kh1 - kh0) * group * headDim);
                    rope.apply(x.q, qOff, (kh1 - kh0) * group, pos);
                }
            }
        }
    }

    /** h[query rows of each batch row][c0, c1) += src (nq packed rows per batch row). */
    private void addQueryRows(float[] h, float[] src, int rows, int count, int qFrom, int nq, int c0, int c1) {
        for (int g = 0; g < rows; g++) {
            for (int i = 0; i < nq; i++) {
                int hOff = (g * count + qFrom + i) * hidden;
                int sOff = (g * nq + i) * hidden;
                for (int e = c0; e < c1; e++) {
                    h[hOff + e] += src[sOff + e];
                }
            }
        }
    }

    /** Stores the key and value of KV heads [kh0, kh1) of one token at cache index `index`. */
    private void store(KvCache cache, int layer, int b, int index, float[] qkv, int kOff, int vOff, int kh0, int kh1) {
        int cap = cache.capacity();
        float[] kt = cache.keysT[layer][b];
        float[] vs = cache.values[layer][b];
        int block = index / Kernels.KEY_BLOCK * headDim * Kernels.KEY_BLOCK + index % Kernels.KEY_BLOCK;
        for (int kh = kh0; kh < kh1; kh++) {
            int base = kh * headDim * cap + block;
            for (int d = 0; d < headDim; d++) {
                kt[base + d * Kernels.KEY_BLOCK] = qkv[kOff + kh * headDim + d];
            }
        }
        for (int kh = kh0; kh < kh1; kh++) {
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
