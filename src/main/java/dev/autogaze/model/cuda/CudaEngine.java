package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import dev.autogaze.model.AutoGazeWeights;
import dev.autogaze.model.DecoderEngine;
import dev.autogaze.model.ProcessorPlan;
import dev.autogaze.model.Rope;
import dev.autogaze.video.RgbClip;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * AutoGaze on one CUDA device: the kernels compiled by NVRTC for the device's architecture and the model's sizes,
 * the weights uploaded once, one stream. It hands out {@link CudaSteps} (generation, device-resident) and a
 * {@link DecoderEngine} view (host inputs and logits, for teacher-forced replay). Not thread-safe (callers serialize,
 * as with every engine); several engines on one device run at once from their own threads (the model's cuda lanes,
 * dev.autogaze.model.CudaLane). Every entry binds the device to the calling thread.
 */
public final class CudaEngine implements AutoCloseable {

    private final CudaDevice device;
    private final AutoGazeConfig config;
    private final CUstream_st stream = new CUstream_st();
    private final CudaModule module;
    private final CudaWeights weights;
    private final CudaDecoder decoder;
    private final CudaEncoder encoder;
    private final CudaProcessor processor;
    private final Rope rope;
    private final KernelCompiler.Compiled compiled;

    private CudaEngine(CudaDevice device, AutoGazeWeights w) {
        this.device = device;
        this.config = w.config();
        checkSupported(config);
        bind();
        Cuda.check(cudart.cudaFree(null), "CUDA context creation on " + device.describe());
        this.compiled = KernelCompiler.compile(KernelCompiler.source(), KernelCompiler.options(config, device.arch()),
                KernelCompiler.defaultCacheDir());
        this.module = new CudaModule(compiled.cubin());
        Cuda.check(cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking), "cudaStreamCreate");
        this.weights = new CudaWeights(w);
        this.decoder = new CudaDecoder(module, weights, stream, device.multiprocessors());
        this.encoder = new CudaEncoder(module, weights, stream);
        this.processor = new CudaProcessor(module, stream);
        this.rope = new Rope(config.decoder());
    }

    /**
     * Opens the engine on the device a Spark GPU address names (null: device 0). Throws
     * {@link CudaUnavailableException} with the reason when no device is usable here.
     */
    public static CudaEngine open(AutoGazeWeights weights, String gpuAddress) {
        Cuda.requireDevice();
        return new CudaEngine(CudaDevice.resolve(gpuAddress), weights);
    }

    /** The kernels map one lane per head dimension and load float4s: the sizes they need, checked up front. */
    static void checkSupported(AutoGazeConfig c) {
        AutoGazeConfig.Decoder d = c.decoder();
        if (d.headDim() != 32) {
            throw new IllegalArgumentException("the cuda engine supports head_dim 32 only; this config has "
                    + d.headDim() + " (use --engine jvm)");
        }
        int[] multiplesOf4 = {d.hiddenSize(), d.intermediateSize(), c.vision().hiddenDim(), c.inputImageSize(),
                c.vision().kernelSize()};
        for (int v : multiplesOf4) {
            if (v % 4 != 0) {
                throw new IllegalArgumentException("the cuda engine needs hidden, intermediate, vision and patch sizes"
                        + " divisible by 4; this config has " + v + " (use --engine jvm)");
            }
        }
        if (d.vocabSize() > 1024) {
            throw new IllegalArgumentException("the cuda engine supports a decoder vocabulary of at most 1024 ids; this"
                    + " config has " + d.vocabSize());
        }
    }

    /** Makes this engine's device current for the calling thread (CUDA contexts are per thread). */
    void bind() {
        Cuda.check(cudart.cudaSetDevice(device.ordinal()), "cudaSetDevice(" + device.ordinal() + ")");
    }

    public CudaDevice device() {
        return device;
    }

    AutoGazeConfig config() {
        return config;
    }

    CUstream_st stream() {
        return stream;
    }

    CudaModule module() {
        return module;
    }

    CudaDecoder decoder() {
        return decoder;
    }

    CudaEncoder encoder() {
        return encoder;
    }

    CudaProcessor processor() {
        return processor;
    }

    /** "cuda (NVIDIA H200, device 0, sm_90, kernels compiled in 812 ms)". */
    public String describe() {
        return device.describe() + (compiled.cached() ? ", kernels from the cache"
                : String.format(Locale.ROOT, ", kernels compiled in %d ms", compiled.millis()));
    }

    /** A generation engine (its own workspace; close it to free device memory). */
    public CudaSteps newSteps() {
        bind();
        return new CudaSteps(this);
    }

    /** The decoder as a host {@link DecoderEngine}: inputs and logits cross to the host on every call. */
    public DecoderEngine decoderEngine() {
        return new CudaDecoderEngine(this, weights);
    }

    Workspace workspace(int batch, int capacity, int frames, int visionTokens) {
        bind();
        int positions = (capacity + 63) / 64 * 64;
        return new Workspace(config, batch, capacity, frames, visionTokens, rope.tables(positions));
    }

    /** Runs an allocation; device memory running out becomes an error naming the batch size to lower. */
    <T> T oom(int batch, Supplier<T> allocation) {
        try {
            return allocation.get();
        } catch (CudaOutOfMemoryException e) {
            throw new CudaOutOfMemoryException("device memory of " + device.describe() + " exhausted for a batch of "
                    + batch + " clips (" + e.getMessage() + ", " + memoryLine() + "); lower --batch-size");
        }
    }

    /** "used 12.3 of 139.8 GiB" for the whole device. */
    public String memoryLine() {
        long[] m = memory();
        return String.format(Locale.ROOT, "used %.1f of %.1f GiB", (m[1] - m[0]) / 1073741824.0, m[1] / 1073741824.0);
    }

    /** {free, total} device bytes. */
    public long[] memory() {
        return device.memory();
    }

    /** Per-kernel GPU time since the last call (AUTOGAZE_CUDA_PROFILE=1), else empty. */
    public String kernelProfile() {
        String p = module.profile();
        module.resetProfile();
        return p;
    }

    /** One clip through the device processor and squash, copied back (for tests). */
    float[] processOnDevice(RgbClip clip, ProcessorPlan plan) {
        bind();
        long n = (long) clip.frameCount() * 3 * plan.size() * plan.size();
        try (DeviceArray out = DeviceArray.floats(n, "processed clip"); FloatPointer host = new FloatPointer(n)) {
            processor.process(clip, plan, out, 0);
            Cuda.check(cudart.cudaStreamSynchronize(stream), "device processor");
            Cuda.check(cudart.cudaMemcpy(host, out.at(0), n * Float.BYTES, cudart.cudaMemcpyDeviceToHost),
                    "download of a processed clip");
            float[] values = new float[(int) n];
            host.get(values);
            return values;
        }
    }

    /**
     * Where this engine runs, as CUDA reports it: the device of its stream's context (cuStreamGetCtx, cuCtxGetDevice)
     * and of its weights' memory (cudaPointerGetAttributes), with `workspaceBytes` added to its own device bytes.
     */
    public CudaResidency residency(long workspaceBytes) {
        bind();
        int streamDevice;
        try (CUctx_st ctx = new CUctx_st(); IntPointer ordinal = new IntPointer(1)) {
            Cuda.checkDriver(cudart.cuStreamGetCtx(stream, ctx), "cuStreamGetCtx");
            Cuda.checkDriver(cudart.cuCtxPushCurrent(ctx), "cuCtxPushCurrent");
            try {
                Cuda.checkDriver(cudart.cuCtxGetDevice(ordinal), "cuCtxGetDevice");
            } finally {
                Cuda.checkDriver(cudart.cuCtxPopCurrent(new CUctx_st()), "cuCtxPopCurrent");
            }
            streamDevice = ordinal.get();
        }
        return new CudaResidency(streamDevice, weights.device(), fixedBytes() + workspaceBytes);
    }

    /** Device bytes this engine holds outside any workspace (weights, encoder scratch). */
    public long fixedBytes() {
        return weights.bytes() + encoder.bytes() + processor.bytes();
    }

    @Override
    public void close() {
        bind();
        encoder.close();
        processor.close();
        weights.close();
        module.close();
        cudart.cudaStreamDestroy(stream);
    }
}
