package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import dev.autogaze.model.DecoderCache;
import dev.autogaze.model.DecoderEngine;
import dev.autogaze.model.FeedPlan;

import java.nio.FloatBuffer;

/**
 * The CUDA decoder behind the host {@link DecoderEngine} contract: input embeddings go up, the last rows' logits and
 * task-loss values come down on every call. Generation does not use this path ({@link CudaSteps} keeps logits on the
 * device); it exists for the teacher-forced replay of recorded traces, which feeds the official token history and
 * compares every call's outputs, and for checking the forward pass alone.
 */
final class CudaDecoderEngine implements DecoderEngine {

    private final CudaEngine engine;
    private final CudaWeights weights;
    private final AutoGazeConfig config;
    private final FeedPlan plan = new FeedPlan();

    CudaDecoderEngine(CudaEngine engine, CudaWeights weights) {
        this.engine = engine;
        this.weights = weights;
        this.config = engine.config();
    }

    @Override
    public AutoGazeConfig.Decoder config() {
        return config.decoder();
    }

    @Override
    public String engine() {
        return "cuda " + engine.device().describe();
    }

    @Override
    public DecoderCache newCache(int batch, int capacity) {
        Workspace ws = engine.oom(batch, () -> engine.workspace(batch, capacity, 1, config.visionTokens()));
        ws.resetMasks();
        return new Cache(ws);
    }

    @Override
    public void embed(int id, float[] out, int off) {
        int hidden = hidden();
        if (id < 0 || id >= vocab()) {
            throw new IllegalArgumentException("token id " + id + " is outside the decoder vocabulary [0, " + vocab() + ")");
        }
        System.arraycopy(weights.embedHost, id * hidden, out, off, hidden);
    }

    @Override
    public void forward(DecoderCache cache, float[] input, int count, int[] positions, float[] logits,
                        float[] taskLoss) {
        if (!(cache instanceof Cache c)) {
            throw new IllegalArgumentException("the cuda decoder cannot use a " + cache.getClass().getSimpleName());
        }
        engine.bind();
        Workspace ws = c.ws;
        int batch = ws.batch;
        int hidden = hidden();
        DecoderEngine.checkForward(batch, hidden, input, count, positions);
        int start = c.length;
        if (start + count > ws.capacity) {
            throw new IllegalStateException("KV cache overflow: " + start + " + " + count + " tokens exceed capacity "
                    + ws.capacity);
        }
        plan.reset(batch, batch * count, 0, count > outHeads());
        for (int b = 0; b < batch; b++) {
            plan.addRow(b, start);
            for (int i = 0; i < count; i++) {
                plan.addToken(0, positions[b * count + i], c.mask(b, start + i));
            }
        }
        long bytes = (long) batch * count * hidden * Float.BYTES;
        if (c.input == null || c.input.bytes() < bytes) {
            if (c.input != null) {
                c.input.close();
            }
            c.input = new PinnedBuffer((long) ws.maxTokens * hidden * Float.BYTES, "input staging");
        }
        FloatBuffer in = c.input.buffer().asFloatBuffer();
        in.put(0, input, 0, batch * count * hidden);
        var stream = engine.stream();
        ws.h.upload(c.input.pointer(), 0, 0, bytes, stream);
        engine.decoder().forward(ws, null, plan, true);
        c.length = start + count;
        int k = outHeads();
        int v = vocab();
        int rowOut = k * v + k;
        if (c.output == null) {
            c.output = new PinnedBuffer((long) batch * rowOut * Float.BYTES, "output staging");
        }
        ws.headOut.download(0, c.output.pointer(), 0, (long) batch * rowOut * Float.BYTES, stream);
        Cuda.check(org.bytedeco.cuda.global.cudart.cudaStreamSynchronize(stream), "decoder call");
        FloatBuffer out = c.output.buffer().asFloatBuffer();
        for (int b = 0; b < batch; b++) {
            out.get(b * rowOut, logits, b * k * v, k * v);
            out.get(b * rowOut + k * v, taskLoss, b * k, k);
        }
    }

    @Override
    public void close() {
        // the engine owns the weights; caches free their own workspaces
    }

    /** A workspace as a {@link DecoderCache}: the KV cache on the device, the key masks mirrored on the host. */
    private static final class Cache implements DecoderCache {
        final Workspace ws;
        int length;
        PinnedBuffer input;
        PinnedBuffer output;

        Cache(Workspace ws) {
            this.ws = ws;
        }

        @Override
        public int batch() {
            return ws.batch;
        }

        @Override
        public int capacity() {
            return ws.capacity;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void reset() {
            length = 0;
            ws.resetMasks();
        }

        @Override
        public void setMask(int b, int index, boolean attendable) {
            ws.setMask(b, index, attendable);
        }

        @Override
        public boolean mask(int b, int index) {
            return ws.maskMirror.buffer().get(b * ws.capacity + index) != 0;
        }

        @Override
        public long bytes() {
            return ws.bytes();
        }

        @Override
        public void close() {
            ws.close();
            if (input != null) {
                input.close();
            }
            if (output != null) {
                output.close();
            }
        }
    }
}
