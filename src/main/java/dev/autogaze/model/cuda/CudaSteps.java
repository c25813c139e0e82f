package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import dev.autogaze.model.FeedPlan;
import dev.autogaze.model.GazeSteps;
import dev.autogaze.model.ProcessorPlan;
import dev.autogaze.model.SelectPlan;
import dev.autogaze.model.StepPicks;
import dev.autogaze.video.RgbClip;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * {@link GazeSteps} on the device: vision tokens from the device encoder (or uploaded), every decoder call enqueued
 * by {@link CudaDecoder}, SELECT as one kernel over the fed rows. Logits never leave the device; per step only the
 * chosen tokens, their confidences and four status integers per row come back (one copy and one stream wait).
 * Rows may differ in token count and cache position, so independent rows batch in one piece.
 */
public final class CudaSteps implements GazeSteps {

    private final CudaEngine engine;
    private final AutoGazeConfig config;
    private final int heads;
    private final int hidden;
    private Workspace ws;
    private DeviceArray vision;
    private int visionBatch;
    private int visionFrames;
    private int visionTokens;
    private int fedRows;
    private int[] fedRow = new int[0]; // batch row of each row of the last feed, in its order

    CudaSteps(CudaEngine engine) {
        this.engine = engine;
        this.config = engine.config();
        this.heads = config.decoder().multiTokenHeads();
        this.hidden = config.decoder().hiddenSize();
    }

    @Override
    public AutoGazeConfig.Decoder config() {
        return config.decoder();
    }

    @Override
    public boolean raggedRows() {
        return true;
    }

    /**
     * Encodes clips[b] ([T][3][size][size] normalized pixels, already at the model's input size) on the device; the
     * next {@link #begin} with null embeddings generates from them.
     */
    public void encode(float[][] clips, int frames) {
        engine.bind();
        ensureVision(clips.length, frames, config.visionTokens());
        engine.encoder().encode(clips, frames, vision);
    }

    /**
     * Encodes RGB clips (any sizes, one frame count) on the device, the processor and squash included (each clip
     * through {@code plans.apply(clip)}); the next {@link #begin} with null embeddings generates from them.
     */
    public void encodeRgb(List<RgbClip> clips, Function<RgbClip, ProcessorPlan> plans) {
        engine.bind();
        int frames = clips.get(0).frameCount();
        ensureVision(clips.size(), frames, config.visionTokens());
        engine.encoder().encodeRgb(clips, frames, vision, engine.processor(), plans);
    }

    private void ensureVision(int batch, int frames, int tokens) {
        if (vision != null && visionBatch == batch && visionFrames == frames && visionTokens == tokens) {
            return;
        }
        if (vision != null) {
            vision.close();
            vision = null;
        }
        vision = engine.oom(batch, () -> DeviceArray.floats((long) batch * frames * tokens * hidden, "vision tokens"));
        visionBatch = batch;
        visionFrames = frames;
        visionTokens = tokens;
    }

    @Override
    public void begin(int batch, int frames, int visionTokens, int capacity, float[] visionEmbeds) {
        engine.bind();
        if (visionEmbeds != null) {
            ensureVision(batch, frames, visionTokens);
            try (FloatPointer host = new FloatPointer(visionEmbeds)) {
                Cuda.check(cudart.cudaMemcpy(vision.at(0), host, (long) visionEmbeds.length * Float.BYTES,
                        cudart.cudaMemcpyHostToDevice), "upload of vision embeddings");
            }
        } else if (vision == null || visionBatch != batch || visionFrames != frames
                || this.visionTokens != visionTokens) {
            throw new IllegalStateException("no encoded vision tokens for a batch of " + batch + " x " + frames
                    + " frames: call encode first");
        }
        if (ws == null || !ws.fits(batch, capacity, frames, visionTokens)) {
            if (ws != null) {
                ws.close();
                ws = null;
            }
            ws = engine.oom(batch, () -> engine.workspace(batch, capacity, frames, visionTokens));
        }
        ws.resetMasks();
    }

    @Override
    public void setMask(int b, int index, boolean attendable) {
        ws.setMask(b, index, attendable);
    }

    @Override
    public void feed(FeedPlan plan) {
        engine.decoder().forward(ws, vision, plan, false);
        fedRows = plan.rows();
        if (fedRow.length < fedRows) {
            fedRow = new int[ws.batch];
        }
        for (int i = 0; i < fedRows; i++) {
            fedRow[i] = plan.row(i);
        }
    }

    @Override
    public void select(SelectPlan plan, StepPicks out) {
        int r = plan.rows();
        if (r != fedRows) {
            throw new IllegalStateException("select over " + r + " rows after a call that fed " + fedRows);
        }
        IntBuffer p = ws.selectStage.buffer().asIntBuffer();
        for (int i = 0; i < r; i++) {
            p.put(5 * i, fedRow[i]);
            p.put(5 * i + 1, plan.emitted(i));
            p.put(5 * i + 2, plan.unfinished(i) ? 1 : 0);
            p.put(5 * i + 3, plan.firstStep() ? 1 : 0);
            p.put(5 * i + 4, plan.firstStep() ? 1 : 0);
        }
        var stream = engine.stream();
        ws.selectParams.upload(ws.selectStage.pointer(), 0, 0, (long) r * 5 * Integer.BYTES, stream);
        float requirement = plan.requirement();
        long tokAt = 0;
        long confAt = (long) ws.batch * heads * Integer.BYTES;
        long statusAt = 2L * ws.batch * heads * Integer.BYTES;
        engine.module().launch("select_step", r, 256).ptr(ws.headOut).ptr(ws.selectParams).i(r).i(plan.budget())
                .f(Float.isNaN(requirement) ? 0f : requirement).i(Float.isNaN(requirement) ? 0 : 1).ptr(ws.used)
                .ptr(ws.selectOut, tokAt).ptr(ws.selectOut, confAt).ptr(ws.selectOut, statusAt).on(stream);
        ws.selectOut.download(0, ws.selectResult.pointer(), 0, (long) ws.batch * (2 * heads + 4) * Integer.BYTES,
                stream);
        Cuda.check(cudart.cudaStreamSynchronize(stream), "decoder step");
        ByteBuffer res = ws.selectResult.buffer();
        IntBuffer tok = res.asIntBuffer();
        out.reset(r);
        int base = (int) (statusAt / Integer.BYTES);
        for (int i = 0; i < r; i++) {
            int count = tok.get(base + 4 * i);
            int picks = tok.get(base + 4 * i + 1);
            out.set(i, count, picks, tok.get(base + 4 * i + 2) != 0, tok.get(base + 4 * i + 3) != 0);
            for (int k = 0; k < picks; k++) {
                out.setToken(i, k, tok.get(i * heads + k), res.getFloat((int) confAt + (i * heads + k) * Float.BYTES));
            }
        }
    }

    /** The encoded vision tokens, [B][T][visionTokens][hidden], copied to the host (for tests). */
    float[] visionToHost() {
        engine.bind();
        float[] out = new float[(int) (vision.bytes() / Float.BYTES)];
        try (FloatPointer host = new FloatPointer(out.length)) {
            Cuda.check(cudart.cudaStreamSynchronize(engine.stream()), "encoder");
            Cuda.check(cudart.cudaMemcpy(host, vision.at(0), vision.bytes(), cudart.cudaMemcpyDeviceToHost),
                    "download of vision tokens");
            host.get(out);
        }
        return out;
    }

    /** Device bytes of the current batch: workspace and vision tokens (the encoder's scratch is the engine's). */
    public long bytes() {
        return (ws == null ? 0 : ws.bytes()) + (vision == null ? 0 : vision.bytes());
    }

    @Override
    public void close() {
        if (ws != null) {
            ws.close();
            ws = null;
        }
        if (vision != null) {
            vision.close();
            vision = null;
        }
    }
}
