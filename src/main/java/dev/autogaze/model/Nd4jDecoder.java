package dev.autogaze.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.Map;

/**
 * The gaze decoder's forward pass as ND4J ops over preallocated arrays, so it runs wherever ND4J's backend runs: on
 * the GPU the Spark task selected when the jar carries the CUDA backend, on nd4j-native otherwise. Same model and
 * outputs as {@link GazeDecoder} (only float summation order differs); all B rows go through each op together.
 * Not thread-safe.
 */
public final class Nd4jDecoder implements DecoderEngine {

    /** Floats of one attention score block [B][heads][query rows][keys]; longer prefills attend in row chunks. */
    static final long SCORE_FLOATS = 8L << 20;

    private final AutoGazeConfig.Decoder cfg;
    private final int hidden;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int group;
    private final int inter;
    private final float scale;
    private final float[] embed;
    private final Layer[] layers;
    private final INDArray finalNorm;
    private final INDArray lmHead;
    private final INDArray taskHead;
    private final Rope rope;
    private final long scoreFloats;
    private Nd4jWork work;
    private final Map<Long, Nd4jWork.Views> views = new HashMap<>();

    /** Weights transposed to [in, out] so every projection is one gemm x·W; norms as [hidden] vectors. */
    private record Layer(INDArray inNorm, INDArray postNorm, INDArray qkv, INDArray o, INDArray gateUp,
                         INDArray down) {
    }

    public Nd4jDecoder(AutoGazeWeights weights) {
        this(weights, SCORE_FLOATS);
    }

    /** With at most `scoreFloats` attention scores at once (tests force many query chunks with a small value). */
    Nd4jDecoder(AutoGazeWeights weights, long scoreFloats) {
        if (scoreFloats <= 0) {
            throw new IllegalArgumentException("score block of " + scoreFloats + " floats must be positive");
        }
        this.scoreFloats = scoreFloats;
        this.cfg = weights.config().decoder();
        this.hidden = cfg.hiddenSize();
        this.heads = cfg.heads();
        this.kvHeads = cfg.kvHeads();
        this.headDim = cfg.headDim();
        this.group = heads / kvHeads;
        this.inter = cfg.intermediateSize();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        String model = AutoGazeWeights.DECODER + "model.";
        this.embed = weights.tensor(model + "embed_tokens.weight");
        this.layers = new Layer[cfg.layers()];
        for (int l = 0; l < layers.length; l++) {
            String p = model + "layers." + l + ".";
            layers[l] = new Layer(row(weights.tensor(p + "input_layernorm.weight")),
                    row(weights.tensor(p + "post_attention_layernorm.weight")),
                    transposed(hidden, weights.tensor(p + "self_attn.q_proj.weight"),
                            weights.tensor(p + "self_attn.k_proj.weight"), weights.tensor(p + "self_attn.v_proj.weight")),
                    transposed(heads * headDim, weights.tensor(p + "self_attn.o_proj.weight")),
                    transposed(hidden, weights.tensor(p + "mlp.gate_proj.weight"), weights.tensor(p + "mlp.up_proj.weight")),
                    transposed(inter, weights.tensor(p + "mlp.down_proj.weight")));
        }
        this.finalNorm = row(weights.tensor(model + "norm.weight"));
        this.lmHead = transposed(hidden, weights.tensor(AutoGazeWeights.DECODER + "lm_head.weight"));
        this.taskHead = transposed(hidden, weights.tensor(AutoGazeWeights.DECODER + "task_loss_prediction_head.weight"));
        this.rope = new Rope(cfg);
    }

    private static INDArray row(float[] w) {
        return Nd4j.create(w, new long[] {w.length}, DataType.FLOAT);
    }

    /** [in, Σ out_i] from PyTorch weights [out_i, in] stacked along the output. */
    private static INDArray transposed(int in, float[]... weights) {
        int out = 0;
        for (float[] w : weights) {
            out += w.length / in;
        }
        float[] t = new float[in * out];
        int base = 0;
        for (float[] w : weights) {
            int rows = w.length / in;
            for (int o = 0; o < rows; o++) {
                for (int i = 0; i < in; i++) {
                    t[i * out + base + o] = w[o * in + i];
                }
            }
            base += rows;
        }
        return Nd4j.create(t, new long[] {in, out}, DataType.FLOAT);
    }

    @Override
    public AutoGazeConfig.Decoder config() {
        return cfg;
    }

    /** ND4J's backend class (CpuBackend). */
    @Override
    public String engine() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }

    @Override
    public Nd4jKvCache newCache(int batch, int capacity) {
        return new Nd4jKvCache(batch, layers.length, kvHeads, headDim, capacity);
    }

    @Override
    public void embed(int id, float[] out, int off) {
        if (id < 0 || id >= cfg.vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " is outside the decoder vocabulary [0, "
                    + cfg.vocabSize() + ")");
        }
        System.arraycopy(embed, id * hidden, out, off, hidden);
    }

    @Override
    public void forward(DecoderCache dc, float[] input, int count, int[] positions, float[] logits, float[] taskLoss) {
        if (!(dc instanceof Nd4jKvCache cache)) {
            throw new IllegalArgumentException("the nd4j decoder cannot use a " + dc.getClass().getSimpleName());
        }
        int batch = cache.batch();
        DecoderEngine.checkForward(batch, hidden, input, count, positions);
        int kv = cfg.multiTokenHeads() * cfg.vocabSize();
        if (logits.length < batch * kv || taskLoss.length < batch * cfg.multiTokenHeads()) {
            throw new IllegalArgumentException("output arrays hold " + logits.length + " logits / " + taskLoss.length
                    + " task-loss values, expected " + batch * kv + " / " + batch * cfg.multiTokenHeads());
        }
        Nd4jWork.Views v = views(batch, count);
        Nd4jWork w = work;
        int tokens = batch * count;
        for (int i = 0; i < tokens; i++) {
            rope.fillRow(positions[i], w.hostCos, w.hostSin, i * headDim); // a bad position fails before append
        }
        int start = cache.append(count);
        int end = start + count;
        HostCopy.upload(input, 0, tokens * hidden, w.h);
        HostCopy.upload(w.hostCos, 0, tokens * headDim, w.cos);
        HostCopy.upload(w.hostSin, 0, tokens * headDim, w.sin);
        cache.syncBias();
        w.maskRows = -1;
        INDArray keyBias = cache.deviceBias.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, end));
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            boolean last = l == layers.length - 1;
            rmsNorm(v.h, layer.inNorm, v.a, v.sq, v.sqD, v.sumD, v.inv);
            Nd4j.gemm(v.a, layer.qkv, v.qkv, false, false, 1.0, 0.0);
            rotate(v);
            INDArrayIndex[] range = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, end),
                    NDArrayIndex.all()};
            cache.keys[l].get(range).assign(v.k);
            cache.values[l].get(range).assign(v.v);
            Nd4jWork.Rows q = last ? v.lastRows : v.allRows;
            attend(cache, l, q, start, end, count, keyBias);
            if (last) {
                q.h.assign(v.lastH);
            }
            Nd4j.gemm(q.att, layer.o, q.tmp, false, false, 1.0, 0.0);
            q.h.addi(q.tmp);
            rmsNorm(q.h, layer.postNorm, q.a, q.sq, q.sqD, q.sumD, q.inv);
            Nd4j.gemm(q.a, layer.gateUp, q.gateUp, false, false, 1.0, 0.0);
            Nd4j.exec(new Swish(q.gate, q.act));
            q.act.muli(q.up);
            Nd4j.gemm(q.act, layer.down, q.tmp, false, false, 1.0, 0.0);
            q.h.addi(q.tmp);
        }
        Nd4jWork.Rows r = v.lastRows;
        rmsNorm(r.h, finalNorm, r.a, r.sq, r.sqD, r.sumD, r.inv);
        Nd4j.gemm(r.a, lmHead, v.logits, false, false, 1.0, 0.0);
        Nd4j.gemm(r.a, taskHead, v.taskLoss, false, false, 1.0, 0.0);
        HostCopy.download(w.logits, logits, 0, batch * kv);
        HostCopy.download(w.taskLoss, taskLoss, 0, batch * cfg.multiTokenHeads());
    }

    /**
     * Causal attention of the query rows against cache indices [0, end): per chunk of query rows, scores = q·kᵀ
     * (all B rows and heads in one batched product), ·scale, + key mask + causal mask, softmax, · values.
     */
    private void attend(Nd4jKvCache cache, int layer, Nd4jWork.Rows q, int start, int end, int count,
                        INDArray keyBias) {
        int batch = cache.batch();
        int nq = q.queries;
        int qFrom = count - nq;
        int chunk = (int) Math.max(1, Math.min(nq, scoreFloats / ((long) batch * heads * end)));
        INDArrayIndex[] keys = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, end),
                NDArrayIndex.all()};
        INDArray k = cache.keys[layer].get(keys);
        INDArray v = cache.values[layer].get(keys);
        Nd4jWork w = work;
        w.ensureScores((long) batch * heads * chunk * end, (long) batch * chunk * end, count);
        for (int i0 = 0; i0 < nq; i0 += chunk) {
            int n = Math.min(chunk, nq - i0);
            INDArray qc = prefix(w.qc, batch, heads, n, headDim);
            qc.assign(q.query(i0, n));
            INDArray scores = prefix(w.scores, batch, kvHeads, group * n, end);
            Nd4j.matmul(qc.reshape('c', batch, kvHeads, group * n, headDim), k, scores, false, true, false);
            scores.muli(scale);
            INDArray mask = prefix(w.mask, batch, n, end);
            long maskRows = (long) (qFrom + i0) << 32 | n;
            if (w.maskRows != maskRows) {
                // key mask + causal mask of these query rows; layers before the last reuse it within a call
                mask.assign(0);
                mask.addi(keyBias);
                mask.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, end)).addi(
                        w.causal.get(NDArrayIndex.interval(qFrom + i0, qFrom + i0 + n), NDArrayIndex.interval(0, count)));
                w.maskRows = maskRows;
            }
            scores.reshape('c', batch, kvHeads, group, n, end).addi(mask.reshape('c', batch, 1, 1, n, end));
            Nd4j.exec(new SoftMax(scores, scores, -1));
            INDArray out = prefix(w.attc, batch, kvHeads, group * n, headDim);
            Nd4j.matmul(scores, v, out, false, false, false);
            q.attended(i0, n).assign(out.reshape('c', batch, heads, n, headDim).permute(0, 2, 1, 3));
        }
    }

    private static INDArray prefix(INDArray flat, long... shape) {
        return Nd4jWork.prefix(flat, shape);
    }

    /** RoPE on the q and k heads of every new token: x·cos + rotate_half(x)·sin, with rotate_half = [−x₂, x₁]. */
    private static void rotate(Nd4jWork.Views v) {
        v.qkSecond.mul(-1.0, v.rotFirst);
        v.rotSecond.assign(v.qkFirst);
        v.qk.muli(v.cos);
        v.rot.muli(v.sin);
        v.qk.addi(v.rot);
    }

    /** LlamaRMSNorm: w · (x · rsqrt(mean(x²) + eps)); squares in f32, their sum and mean in f64 rounded once. */
    private void rmsNorm(INDArray x, INDArray weight, INDArray out, INDArray sq, INDArray sqD, INDArray sumD,
                         INDArray inv) {
        x.mul(x, sq);
        sqD.assign(sq);
        sqD.sum(sumD, 1);
        sumD.divi(hidden);
        inv.assign(sumD);
        inv.addi(cfg.rmsNormEps());
        Nd4j.exec(new RSqrt(inv, inv));
        // legacy broadcast ops: one simple kernel each, unlike the shape-broadcasting pairwise ops
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, inv, out, 0));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(out, weight, out, 1));
    }

    private Nd4jWork.Views views(int batch, int count) {
        int qkvHeads = heads + 2 * kvHeads;
        if (work == null || !work.fits(batch, count)) {
            int b = work == null ? batch : Math.max(batch, work.batch);
            int c = work == null ? count : Math.max(count, work.count);
            views.clear();
            if (work != null) {
                work.close();
            }
            work = null;
            work = new Nd4jWork(b, c, hidden, qkvHeads, headDim, inter, cfg.multiTokenHeads() * cfg.vocabSize(),
                    cfg.multiTokenHeads());
        }
        long key = (long) batch << 32 | count;
        return views.computeIfAbsent(key, x -> work.views(batch, count, heads, kvHeads));
    }

    /** Frees the activation buffers and weights now (on a GPU the collector would not see their size). */
    @Override
    public void close() {
        views.clear();
        if (work != null) {
            work.close();
            work = null;
        }
        for (Layer l : layers) {
            for (INDArray a : new INDArray[] {l.inNorm, l.postNorm, l.qkv, l.o, l.gateUp, l.down}) {
                Nd4jWork.release(a);
            }
        }
        for (INDArray a : new INDArray[] {finalNorm, lmHead, taskHead}) {
            Nd4jWork.release(a);
        }
    }

    @Override
    public String toString() {
        return "Nd4jDecoder[" + layers.length + " layers, " + hidden + " hidden, " + heads + " heads, " + engine() + "]";
    }
}
