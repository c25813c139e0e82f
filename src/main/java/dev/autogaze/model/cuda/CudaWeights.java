package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import dev.autogaze.model.AutoGazeWeights;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;


/**
 * The model's weights on one device, in the layouts the kernels read: the decoder's q/k/v and gate/up projections
 * concatenated row-wise (one GEMM each), lm_head and the task-loss head as one [K*V + K, hidden] matrix, and the
 * trunk conv permuted to [out][tap][in] as the JVM encoder does; the decoder's projections also transposed (see
 * {@link Matrix}). Uploaded once per engine (21 MB for the released model).
 */
final class CudaWeights implements AutoCloseable {

    /** One decoder layer's tensors. */
    record Layer(DeviceArray inNorm, DeviceArray postNorm, Matrix qkv, Matrix o, Matrix gateUp, Matrix down) {
    }

    /**
     * A decoder projection, W[n][k] (a PyTorch Linear weight, read by the tiled GEMM) and its transpose [k][n] (read
     * by gemm_rows, whose threads each own a column). The gate/up projection interleaves its halves in both (gate 0,
     * up 0, gate 1, ...): a thread of either GEMM then holds a gate and its up and writes silu(gate) * up.
     */
    record Matrix(DeviceArray rows, DeviceArray columns, int n, int k) {
    }

    final AutoGazeConfig config;
    final DeviceArray embed;
    final Layer[] layers;
    final DeviceArray finalNorm;
    final Matrix heads;
    final float[] embedHost;

    final DeviceArray patchWeight;
    final DeviceArray patchBias;
    final DeviceArray normWeight;
    final DeviceArray normBias;
    final DeviceArray[] trunkWeight;
    final DeviceArray[] trunkBias;
    final DeviceArray outWeight;
    final DeviceArray outBias;
    final DeviceArray posEmbed;

    private final Allocations all = new Allocations();

    CudaWeights(AutoGazeWeights w) {
        this.config = w.config();
        AutoGazeConfig.Decoder d = config.decoder();
        String m = AutoGazeWeights.DECODER + "model.";
        this.embedHost = w.tensor(m + "embed_tokens.weight");
        this.embed = upload(embedHost, "embed_tokens");
        this.layers = new Layer[d.layers()];
        for (int l = 0; l < layers.length; l++) {
            String p = m + "layers." + l + ".";
            layers[l] = new Layer(upload(w.tensor(p + "input_layernorm.weight"), p + "input_layernorm"),
                    upload(w.tensor(p + "post_attention_layernorm.weight"), p + "post_attention_layernorm"),
                    matrix(concat(w.tensor(p + "self_attn.q_proj.weight"), w.tensor(p + "self_attn.k_proj.weight"),
                            w.tensor(p + "self_attn.v_proj.weight")), d.hiddenSize(), p + "qkv"),
                    matrix(w.tensor(p + "self_attn.o_proj.weight"), d.heads() * d.headDim(), p + "o_proj"),
                    matrix(concat(w.tensor(p + "mlp.gate_proj.weight"), w.tensor(p + "mlp.up_proj.weight")),
                            d.hiddenSize(), true, p + "gate_up"),
                    matrix(w.tensor(p + "mlp.down_proj.weight"), d.intermediateSize(), p + "down_proj"));
        }
        this.finalNorm = upload(w.tensor(m + "norm.weight"), "norm");
        this.heads = matrix(concat(w.tensor(AutoGazeWeights.DECODER + "lm_head.weight"),
                w.tensor(AutoGazeWeights.DECODER + "task_loss_prediction_head.weight")), d.hiddenSize(),
                "lm_head + task head");

        AutoGazeConfig.Vision v = config.vision();
        String p = AutoGazeWeights.VISION;
        this.patchWeight = upload(w.tensor(p + "temporal_conv.weight"), "temporal_conv");
        this.patchBias = upload(w.tensor(p + "temporal_conv.bias"), "temporal_conv.bias");
        this.normWeight = upload(w.tensor(p + "norm.weight"), "vision norm");
        this.normBias = upload(w.tensor(p + "norm.bias"), "vision norm.bias");
        int hidden = v.hiddenDim();
        int taps = v.trunkTemporalKernel() * v.trunkSpatialKernel() * v.trunkSpatialKernel();
        this.trunkWeight = new DeviceArray[v.depth()];
        this.trunkBias = new DeviceArray[v.depth()];
        for (int b = 0; b < v.depth(); b++) {
            float[] raw = w.tensor(p + "blocks." + b + ".conv3d.weight"); // [out, in, kt, ks, ks]
            float[] permuted = new float[raw.length];
            for (int o = 0; o < hidden; o++) {
                for (int i = 0; i < hidden; i++) {
                    for (int tap = 0; tap < taps; tap++) {
                        permuted[(o * taps + tap) * hidden + i] = raw[(o * hidden + i) * taps + tap];
                    }
                }
            }
            trunkWeight[b] = upload(permuted, "blocks." + b + ".conv3d");
            trunkBias[b] = upload(w.tensor(p + "blocks." + b + ".conv3d.bias"), "blocks." + b + ".conv3d.bias");
        }
        this.outWeight = upload(w.tensor(p + "out_proj.weight"), "out_proj");
        this.outBias = upload(w.tensor(p + "out_proj.bias"), "out_proj.bias");
        this.posEmbed = upload(w.tensor(AutoGazeWeights.CONNECTOR + "pos_embed"), "pos_embed");
    }

    private Matrix matrix(float[] data, int k, String what) {
        return matrix(data, k, false, what);
    }

    /** A [n][k] weight with k columns, uploaded with its transpose (halves interleaved in both if asked). */
    private Matrix matrix(float[] data, int k, boolean interleave, String what) {
        float[][] both = layouts(data, k, interleave);
        return new Matrix(upload(both[0], what), upload(both[1], what + " (transposed)"), data.length / k, k);
    }

    /**
     * The two device layouts of a [n][k] weight: {W [n][k], its transpose [k][n]}. With `interleave` the output
     * columns run gate 0, up 0, gate 1, up 1, ... (the weight's first half is the gate, its second the up).
     */
    static float[][] layouts(float[] data, int k, boolean interleave) {
        int n = data.length / k;
        float[] w = new float[data.length];
        float[] t = new float[data.length];
        for (int i = 0; i < n; i++) {
            int column = interleave ? (i < n / 2 ? 2 * i : 2 * (i - n / 2) + 1) : i;
            System.arraycopy(data, i * k, w, column * k, k);
            for (int j = 0; j < k; j++) {
                t[j * n + column] = data[i * k + j];
            }
        }
        return new float[][] {w, t};
    }

    private DeviceArray upload(float[] data, String what) {
        DeviceArray a = all.track(DeviceArray.floats(data.length, what));
        try (FloatPointer host = new FloatPointer(data)) {
            Cuda.check(cudart.cudaMemcpy(a.at(0), host, (long) data.length * Float.BYTES,
                    cudart.cudaMemcpyHostToDevice), "upload of " + what);
        }
        return a;
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The device the weights live on (read from the embedding table's allocation). */
    int device() {
        return embed.device();
    }

    long bytes() {
        return all.deviceBytes();
    }

    @Override
    public void close() {
        all.close();
    }
}
