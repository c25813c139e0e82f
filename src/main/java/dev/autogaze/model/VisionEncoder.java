package dev.autogaze.model;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;

/**
 * The gaze model's frame-causal conv encoder and connector (spec §3): normalized frames to one embedding per 16-px
 * patch, positional table added. Every conv runs as a row-major GEMM through {@link Gemm} (patchify, the trunk's
 * 3-D conv via im2col, the 1x1x1 projection), which is what makes it fast enough on two cores.
 *
 * <p>Activations are token-major {@code [B*T*grid*grid, channels]}. The trunk weights are permuted once to
 * {@code [out, tap, in]} so that im2col copies whole channel vectors. The trunk conv is one spatial im2col per
 * frame and one GEMM per temporal offset (rows shifted by whole frames), so the zero frames in front of a clip cost
 * nothing. Thread-safe: scratch memory is per call.
 */
public final class VisionEncoder implements AutoCloseable {

    /** Frames per GEMM; bounds the scratch memory ((16 + 2) x 196 x 1728 floats = 24 MB). */
    private static final int CHUNK_FRAMES = 16;

    private final int size;
    private final int patch;
    private final int grid;
    private final int tokens;
    private final int hidden;
    private final int outDim;
    private final int depth;
    private final int kt;
    private final int ks;
    private final float eps = 1e-5f;

    private final FloatPointer patchWeight;   // [hidden, 3*patch*patch]
    private final float[] patchBias;
    private final float[] normWeight;
    private final float[] normBias;
    private final FloatPointer[] blockWeight; // [hidden, kt*ks*ks*hidden], column = tap * hidden + in
    private final float[][] blockBias;
    private final FloatPointer outWeight;     // [outDim, hidden]
    private final float[] outBias;
    private final float[] posEmbed;           // [tokens, outDim]

    public VisionEncoder(AutoGazeWeights weights) {
        AutoGazeConfig c = weights.config();
        AutoGazeConfig.Vision v = c.vision();
        size = c.inputImageSize();
        patch = v.kernelSize();
        grid = c.visionGrid();
        tokens = c.visionTokens();
        hidden = v.hiddenDim();
        outDim = v.outDim();
        depth = v.depth();
        kt = v.trunkTemporalKernel();
        ks = v.trunkSpatialKernel();
        if (ks % 2 != 1) {
            throw new ModelFormatException("config.json: trunk_spatial_kernel_size " + ks
                    + " must be odd (same-size spatial padding)");
        }
        String p = AutoGazeWeights.VISION;
        patchWeight = new FloatPointer(weights.tensor(p + "temporal_conv.weight"));
        patchBias = weights.tensor(p + "temporal_conv.bias");
        normWeight = weights.tensor(p + "norm.weight");
        normBias = weights.tensor(p + "norm.bias");
        blockWeight = new FloatPointer[depth];
        blockBias = new float[depth][];
        int taps = kt * ks * ks;
        for (int b = 0; b < depth; b++) {
            float[] w = weights.tensor(p + "blocks." + b + ".conv3d.weight"); // [out, in, kt, ks, ks]
            float[] permuted = new float[w.length];
            for (int o = 0; o < hidden; o++) {
                for (int i = 0; i < hidden; i++) {
                    for (int tap = 0; tap < taps; tap++) {
                        permuted[(o * taps + tap) * hidden + i] = w[(o * hidden + i) * taps + tap];
                    }
                }
            }
            blockWeight[b] = new FloatPointer(permuted);
            blockBias[b] = weights.tensor(p + "blocks." + b + ".conv3d.bias");
        }
        outWeight = new FloatPointer(weights.tensor(p + "out_proj.weight"));
        outBias = weights.tensor(p + "out_proj.bias");
        posEmbed = weights.tensor(AutoGazeWeights.CONNECTOR + "pos_embed");
    }

    /** Tokens per frame (grid x grid, 196 released). */
    public int tokensPerFrame() {
        return tokens;
    }

    /** Embedding width (192 released). */
    public int embedDim() {
        return outDim;
    }

    /** The square frame size the encoder works at (224 released); other sizes are squashed to it first. */
    public int inputSize() {
        return size;
    }

    /** One processed clip to {@code [T, tokens, embedDim]}. */
    public float[] encode(PixelValues clip) {
        return encode(clip.data(), 1, clip.frames(), clip.height(), clip.width());
    }

    /**
     * {@code [B, T, 3, H, W]} normalized pixels to {@code [B, T, tokens, embedDim]} embeddings with the positional
     * table added. Frames of any size are first squashed to {@link #inputSize()} with torch bicubic.
     */
    public float[] encode(float[] pixels, int batch, int frames, int height, int width) {
        return encode(pixels, batch, frames, height, width, null);
    }

    /** A stream for encoding videos of {@code batch} rows piece by piece with {@link #encode(float[], int, int,
     * int, int, EncoderStream)}. */
    public EncoderStream newStream(int batch) {
        return new EncoderStream(depth, batch, kt - 1, tokens * hidden);
    }

    /**
     * Like {@link #encode(float[], int, int, int, int)}, continuing the videos of {@code stream} (null = a fresh
     * start): the first frames of this piece see the stream's last frames instead of the zero padding.
     */
    public float[] encode(float[] pixels, int batch, int frames, int height, int width, EncoderStream stream) {
        if (stream != null && stream.batch() != batch) {
            throw new IllegalArgumentException("stream of batch " + stream.batch() + " fed a batch of " + batch);
        }
        if (batch <= 0 || frames <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("encoder input " + batch + "x" + frames + "x3x" + height + "x" + width
                    + ": sizes must be positive");
        }
        long expected = (long) batch * frames * 3 * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("encoder input holds " + pixels.length + " floats, expected " + batch
                    + "x" + frames + "x3x" + height + "x" + width + " = " + expected);
        }
        int n = batch * frames;
        float[] square = BicubicResize.squash(pixels, n * 3, height, width, size);
        int rows = n * tokens;
        int patchLen = 3 * patch * patch;
        int chunkFrames = Math.min(n, CHUNK_FRAMES);
        int chunkRows = chunkFrames * tokens;
        int plane = ks * ks * hidden;
        long aCap = Math.max((long) chunkRows * Math.max(patchLen, hidden),
                depth > 0 ? (long) (Math.min(frames, CHUNK_FRAMES) + kt - 1) * tokens * plane : 0);
        long cCap = (long) chunkRows * Math.max(hidden, outDim);
        float[] x = new float[rows * hidden];
        try (FloatPointer a = new FloatPointer(aCap); FloatPointer c = new FloatPointer(cCap)) {
            FloatBuffer aBuf = a.asBuffer();
            FloatBuffer cBuf = c.asBuffer();
            float[] patchRows = new float[chunkRows * patchLen];
            for (int f0 = 0; f0 < n; f0 += CHUNK_FRAMES) {
                int fn = Math.min(CHUNK_FRAMES, n - f0);
                int m = fn * tokens;
                patchify(square, f0, fn, patchRows);
                aBuf.put(0, patchRows, 0, m * patchLen);
                Gemm.sgemm(false, true, m, hidden, patchLen, 1f, a, 0, patchLen, patchWeight, 0, patchLen, 0f, c, 0,
                        hidden);
                cBuf.get(0, x, f0 * tokens * hidden, m * hidden);
            }
            addBiasAndNormalize(x, rows);
            int hist = stream == null ? 0 : stream.heldFrames();
            int len = hist + frames;
            for (int b = 0; b < depth; b++) {
                float[] xe = stream == null ? x : stream.prepend(b, x, frames);
                float[] y = new float[rows * hidden];
                for (int clip = 0; clip < batch; clip++) {
                    for (int t0 = hist; t0 < len; t0 += CHUNK_FRAMES) {
                        trunk(xe, clip * len, y, clip * frames - hist, t0, Math.min(CHUNK_FRAMES, len - t0),
                                blockWeight[b], a, c);
                    }
                }
                if (stream != null) {
                    stream.remember(b, xe, len);
                }
                biasRelu(y, blockBias[b]);
                x = y;
            }
            if (stream != null) {
                stream.advance(frames);
            }
            return project(x, rows, a, c);
        }
    }

    /**
     * One trunk conv (no bias) for frames {@code [t0, t0+tn)} of the clip starting at flattened frame
     * {@code xStart} of {@code x}; output frame t goes to frame {@code yStart + t} of {@code y}. Output frame t
     * sums, over dt, source frame {@code t - (kt-1) + dt} times {@code W[:, :, dt]}; source frames before the
     * clip are the zero front padding and are skipped.
     */
    private void trunk(float[] x, int xStart, float[] y, int yStart, int t0, int tn, FloatPointer w, FloatPointer a,
                       FloatPointer c) {
        int plane = ks * ks * hidden;
        int sFirst = Math.max(0, t0 - (kt - 1));
        spatialIm2col(x, xStart + sFirst, t0 + tn - sFirst, a.asBuffer());
        for (int k = 0; k < kt; k++) {
            int dt = kt - 1 - k; // the current frame first: it covers every output row, so it may overwrite C
            int tStart = Math.max(t0, kt - 1 - dt);
            if (tStart >= t0 + tn) {
                continue;
            }
            int src = tStart - (kt - 1) + dt - sFirst;
            Gemm.sgemm(false, true, (t0 + tn - tStart) * tokens, hidden, plane, 1f, a, (long) src * tokens * plane,
                    plane, w, (long) dt * plane, kt * plane, k == 0 ? 0f : 1f, c, (long) (tStart - t0) * tokens * hidden,
                    hidden);
        }
        c.asBuffer().get(0, y, (yStart + t0) * tokens * hidden, tn * tokens * hidden);
    }

    /** Rows {@code [f0*tokens, (f0+fn)*tokens)} of the patch matrix, each patch flattened in (c, ky, kx) order. */
    private void patchify(float[] square, int f0, int fn, float[] out) {
        int plane = size * size;
        int patchLen = 3 * patch * patch;
        for (int f = 0; f < fn; f++) {
            int frameBase = (f0 + f) * 3 * plane;
            for (int pi = 0; pi < grid; pi++) {
                for (int pj = 0; pj < grid; pj++) {
                    int row = (f * tokens + pi * grid + pj) * patchLen;
                    for (int ch = 0; ch < 3; ch++) {
                        for (int ky = 0; ky < patch; ky++) {
                            System.arraycopy(square, frameBase + ch * plane + (pi * patch + ky) * size + pj * patch,
                                    out, row + (ch * patch + ky) * patch, patch);
                        }
                    }
                }
            }
        }
    }

    /** Conv bias, then LayerNorm over the channels of each token. */
    private void addBiasAndNormalize(float[] x, int rows) {
        for (int r = 0; r < rows; r++) {
            int o = r * hidden;
            for (int ch = 0; ch < hidden; ch++) {
                x[o + ch] += patchBias[ch];
            }
            layerNorm(x, o, hidden, normWeight, normBias, eps);
        }
    }

    /** In place over {@code x[off, off+n)}: biased variance, eps inside the root; moments in f64, output in f32. */
    static void layerNorm(float[] x, int off, int n, float[] weight, float[] bias, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[off + i];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - mean;
            sq += d * d;
        }
        float rstd = (float) (1.0 / Math.sqrt(sq / n + eps));
        float fm = (float) mean;
        for (int i = 0; i < n; i++) {
            x[off + i] = (x[off + i] - fm) * rstd * weight[i] + bias[i];
        }
    }

    /**
     * Spatial im2col rows of {@code count} frames from flattened frame {@code first}: tap (dy, dx) of token (i, j)
     * reads (i + dy - ks/2, j + dx - ks/2) of the same frame, zeros off the grid; columns are (tap, channel).
     */
    private void spatialIm2col(float[] x, int first, int count, FloatBuffer out) {
        int plane = ks * ks * hidden;
        int pad = ks / 2;
        float[] zeros = new float[hidden];
        for (int f = 0; f < count; f++) {
            int frameBase = (first + f) * tokens;
            for (int i = 0; i < grid; i++) {
                for (int j = 0; j < grid; j++) {
                    int row = (f * tokens + i * grid + j) * plane;
                    int tap = 0;
                    for (int dy = 0; dy < ks; dy++) {
                        int si = i + dy - pad;
                        for (int dx = 0; dx < ks; dx++, tap++) {
                            int sj = j + dx - pad;
                            if (si < 0 || si >= grid || sj < 0 || sj >= grid) {
                                out.put(row + tap * hidden, zeros, 0, hidden);
                            } else {
                                out.put(row + tap * hidden, x, (frameBase + si * grid + sj) * hidden, hidden);
                            }
                        }
                    }
                }
            }
        }
    }

    private void biasRelu(float[] y, float[] bias) {
        for (int o = 0; o < y.length; o += hidden) {
            for (int ch = 0; ch < hidden; ch++) {
                float v = y[o + ch] + bias[ch];
                y[o + ch] = v > 0f ? v : 0f;
            }
        }
    }

    /** The 1x1x1 out_proj plus its bias, then the connector's positional table. */
    private float[] project(float[] x, int rows, FloatPointer a, FloatPointer c) {
        float[] out = new float[rows * outDim];
        FloatBuffer aBuf = a.asBuffer();
        FloatBuffer cBuf = c.asBuffer();
        int chunkRows = Math.min(rows / tokens, CHUNK_FRAMES) * tokens;
        for (int r0 = 0; r0 < rows; r0 += chunkRows) {
            int m = Math.min(chunkRows, rows - r0);
            aBuf.put(0, x, r0 * hidden, m * hidden);
            Gemm.sgemm(false, true, m, outDim, hidden, 1f, a, 0, hidden, outWeight, 0, hidden, 0f, c, 0, outDim);
            cBuf.get(0, out, r0 * outDim, m * outDim);
        }
        for (int r = 0; r < rows; r++) {
            int o = r * outDim;
            int pe = (r % tokens) * outDim;
            for (int ch = 0; ch < outDim; ch++) {
                out[o + ch] = out[o + ch] + outBias[ch] + posEmbed[pe + ch];
            }
        }
        return out;
    }

    /** Frees the off-heap weight copies now rather than at garbage collection. */
    @Override
    public void close() {
        patchWeight.close();
        for (FloatPointer w : blockWeight) {
            w.close();
        }
        outWeight.close();
    }
}
