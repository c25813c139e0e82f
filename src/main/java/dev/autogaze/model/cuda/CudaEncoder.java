package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * The gaze model's frame-causal conv encoder and connector on the device (spec §3.2): patchify GEMM + bias,
 * LayerNorm, the trunk's 3-D conv as an implicit-im2col GEMM with bias and ReLU (frames before a clip are zeros),
 * the 1x1x1 projection with bias and the positional table, straight into the decoder's vision buffer. Clips go up
 * in groups through two pinned buffers, so copying the next group overlaps the device's work on the current one.
 * Input frames must already be at the model's size (the processor and the bicubic squash run on the host).
 */
final class CudaEncoder implements AutoCloseable {

    private static final int EPI_BIAS = 1;
    private static final int EPI_BIAS_RELU = 3;
    private static final int EPI_BIAS_POS = 4;
    /** Clips per upload group: bounds pinned memory (2 x 154 MB at 16 frames of 224²) and encoder scratch. */
    static final int GROUP = 16;

    private final CudaModule module;
    private final CudaWeights w;
    private final CUstream_st stream;
    private final int size;
    private final int patch;
    private final int grid;
    private final int tokens;
    private final int hidden;
    private final int outDim;
    private final int kt;
    private final int ks;

    private int frames = -1;
    private final PinnedBuffer[] stage = new PinnedBuffer[2];
    private final CUevent_st[] uploaded = {new CUevent_st(), new CUevent_st()};
    private DeviceArray pixels;
    private DeviceArray x;
    private DeviceArray y;
    private final Allocations owned = new Allocations();

    CudaEncoder(CudaModule module, CudaWeights weights, CUstream_st stream) {
        this.module = module;
        this.w = weights;
        this.stream = stream;
        AutoGazeConfig c = weights.config;
        this.size = c.inputImageSize();
        this.patch = c.vision().kernelSize();
        this.grid = c.visionGrid();
        this.tokens = c.visionTokens();
        this.hidden = c.vision().hiddenDim();
        this.outDim = c.vision().outDim();
        this.kt = c.vision().trunkTemporalKernel();
        this.ks = c.vision().trunkSpatialKernel();
        for (CUevent_st e : uploaded) {
            Cuda.check(cudart.cudaEventCreate(e), "cudaEventCreate");
        }
    }

    /** The square frame side the encoder takes (224 released). */
    int inputSize() {
        return size;
    }

    /**
     * Encodes clips[b] ([T][3][size][size] normalized pixels each) into vision [B][T][tokens][outDim], enqueued on
     * the stream. Host copies run on the common fork-join pool, several clips at once.
     */
    void encode(float[][] clips, int frames, DeviceArray vision) {
        long perClip = (long) frames * 3 * size * size;
        for (int b = 0; b < clips.length; b++) {
            if (clips[b].length != perClip) {
                throw new IllegalArgumentException("clip " + b + " holds " + clips[b].length + " floats, expected " + frames
                        + "x3x" + size + "x" + size + " = " + perClip);
            }
        }
        prepare(frames);
        int slot = 0;
        for (int g0 = 0; g0 < clips.length; g0 += GROUP, slot ^= 1) {
            int n = Math.min(GROUP, clips.length - g0);
            PinnedBuffer host = stage[slot];
            Cuda.check(cudart.cudaEventSynchronize(uploaded[slot]), "waiting for an earlier upload");
            int from = g0;
            IntStream.range(0, n).parallel().forEach(i -> {
                FloatBuffer dst = host.buffer().duplicate().order(host.buffer().order()).asFloatBuffer();
                dst.position((int) (i * perClip));
                dst.put(clips[from + i]);
            });
            long bytes = n * perClip * Float.BYTES;
            pixels.upload(host.pointer(), 0, 0, bytes, stream);
            Cuda.check(cudart.cudaEventRecord(uploaded[slot], stream), "cudaEventRecord");
            encodeGroup(n, frames, vision, (long) g0 * frames * tokens * outDim * Float.BYTES);
        }
    }

    private void encodeGroup(int clips, int frames, DeviceArray vision, long visionOffset) {
        int m = clips * frames * tokens;
        int patchLen = 3 * patch * patch;
        module.launch("gemm_patch", 0, 256).grid((hidden + 63) / 64, (m + 127) / 128, 1).ptr(pixels).i(size).i(patch)
                .i(grid).ptr(w.patchWeight).i(m).i(hidden).i(patchLen).ptr(x).i(hidden).i(EPI_BIAS).ptr(w.patchBias)
                .on(stream);
        module.launch("layernorm", (m + 7) / 8, 256).ptr(x).ptr(w.normWeight).ptr(w.normBias).i(m).i(hidden).f(1e-5f)
                .on(stream);
        int k = kt * ks * ks * hidden;
        for (int b = 0; b < w.trunkWeight.length; b++) {
            module.launch("gemm_trunk", 0, 256).grid((hidden + 63) / 64, (m + 127) / 128, 1).ptr(x).i(frames).i(grid)
                    .i(hidden).i(kt).i(ks).ptr(w.trunkWeight[b]).i(m).i(hidden).i(k).ptr(y).i(hidden)
                    .i(EPI_BIAS_RELU).ptr(w.trunkBias[b]).on(stream);
            DeviceArray t = x;
            x = y;
            y = t;
        }
        module.launch("gemm_plain_l", 0, 256).grid((outDim + 63) / 64, (m + 127) / 128, 1).ptr(x).i(hidden)
                .ptr(w.outWeight).i(m).i(outDim).i(hidden).ptr(vision, visionOffset).i(outDim).i(EPI_BIAS_POS)
                .ptr(w.outBias).ptr(w.posEmbed).i(tokens).on(stream);
    }

    private void prepare(int frames) {
        if (frames == this.frames) {
            return;
        }
        release();
        long pixelsPerGroup = (long) GROUP * frames * 3 * size * size;
        long rows = (long) GROUP * frames * tokens;
        for (int i = 0; i < 2; i++) {
            stage[i] = track(new PinnedBuffer(pixelsPerGroup * Float.BYTES, "pixel staging"));
        }
        pixels = track(DeviceArray.floats(pixelsPerGroup, "encoder pixels"));
        x = track(DeviceArray.floats(rows * Math.max(hidden, outDim), "encoder features"));
        y = track(DeviceArray.floats(rows * Math.max(hidden, outDim), "encoder trunk output"));
        this.frames = frames;
    }

    private <T extends AutoCloseable> T track(T t) {
        return owned.track(t);
    }

    /** Device bytes held by the encoder's scratch. */
    long bytes() {
        return owned.deviceBytes();
    }

    private void release() {
        owned.close();
        frames = -1;
    }

    @Override
    public void close() {
        release();
        for (CUevent_st e : uploaded) {
            cudart.cudaEventDestroy(e);
        }
    }
}
