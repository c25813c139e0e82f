package dev.autogaze.model;

import dev.autogaze.model.cuda.CudaEngine;
import dev.autogaze.model.cuda.CudaSteps;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The whole AutoGaze inference path behind one object: processor (RGB clip to normalized pixels), vision encoder,
 * and the gaze decoder's generation loop, on the engine chosen at load time (the JVM kernels, ND4J, or the CUDA
 * engine, which runs the encoder and the whole loop on a GPU). Entry points take clips, pixel values or ready
 * vision embeddings, so tests and tools can enter at the stage they have. Not thread-safe (the generator reuses
 * its buffers); use one per thread or serialize calls.
 */
public final class AutoGazeModel implements AutoCloseable {

    private final Path folder;
    private final AutoGazeConfig config;
    private final AutoGazeProcessor processor;
    private final EngineChoice engineChoice;
    private final VisionEncoder encoder;     // host engines
    private final DecoderEngine decoder;     // host engines
    private final CudaEngine cuda;           // the cuda engine
    private final CudaSteps cudaSteps;
    private final GazeGenerator generator;

    private AutoGazeModel(Path folder, AutoGazeWeights weights, AutoGazeProcessor processor, int threads,
                          EngineChoice engine, String gpuAddress) {
        this.folder = folder;
        this.config = weights.config();
        this.processor = processor;
        this.engineChoice = engine.resolve();
        if (engineChoice == EngineChoice.CUDA) {
            this.encoder = null;
            this.decoder = null;
            this.cuda = CudaEngine.open(weights, gpuAddress);
            this.cudaSteps = cuda.newSteps();
            this.generator = new GazeGenerator(cudaSteps, config.layout());
        } else {
            this.encoder = new VisionEncoder(weights);
            this.decoder = engineChoice.open(weights, threads);
            this.cuda = null;
            this.cudaSteps = null;
            this.generator = new GazeGenerator(decoder, config.layout());
        }
    }

    /**
     * Loads a model folder (or, when {@code modelDir} is null, the cached nvidia/AutoGaze snapshot) with one
     * decoder thread per available processor.
     */
    public static AutoGazeModel load(Path modelDir) {
        return load(modelDir, Runtime.getRuntime().availableProcessors());
    }

    public static AutoGazeModel load(Path modelDir, int threads) {
        return load(modelDir, threads, EngineChoice.JVM);
    }

    /** Loads with the given engine (AUTO resolves here, on the JVM that runs the model; CUDA uses device 0). */
    public static AutoGazeModel load(Path modelDir, int threads, EngineChoice engine) {
        return load(modelDir, threads, engine, null);
    }

    /**
     * Loads with the given engine; for CUDA, on the device a Spark GPU address names (an ordinal or a UUID; null =
     * device 0). `threads` sizes the JVM engine's workers and the host-side preprocessing.
     */
    public static AutoGazeModel load(Path modelDir, int threads, EngineChoice engine, String gpuAddress) {
        Path dir = ModelLocator.system().locate(modelDir);
        return new AutoGazeModel(dir, AutoGazeWeights.load(dir), AutoGazeProcessor.forModel(dir), threads, engine,
                gpuAddress);
    }

    public Path folder() {
        return folder;
    }

    public AutoGazeConfig config() {
        return config;
    }

    public ScaleLayout layout() {
        return config.layout();
    }

    /** The engine that runs and what runs inside it, for reports: "jvm (vector-512 x2)", "cuda (NVIDIA H200 …)". */
    public String engine() {
        return engineChoice.label() + " (" + (cuda != null ? cuda.describe() : decoder.engine()) + ")";
    }

    /** The resolved engine: JVM, ND4J or CUDA. */
    public EngineChoice engineChoice() {
        return engineChoice;
    }

    /** The CUDA engine, or null for the host engines (memory reports, device identity). */
    public CudaEngine cuda() {
        return cuda;
    }

    /** Device bytes of the cuda engine's current batch plus its fixed part; 0 for the host engines. */
    public long deviceBytes() {
        return cuda == null ? 0 : cuda.fixedBytes() + cudaSteps.bytes();
    }

    /** Generation from connector outputs [B][T][visionTokens][hidden] (the decoder alone), official batch semantics. */
    public GazeResult generate(float[] visionEmbeds, int batch, int frames, GazeOptions options) {
        return generator.generate(visionEmbeds, batch, frames, options);
    }

    /** Generation from normalized pixel values [B][T][3][H][W] (encoder + decoder), official batch semantics. */
    public GazeResult generate(float[] pixels, int batch, int frames, int height, int width, GazeOptions options) {
        long t0 = System.nanoTime();
        if (cuda != null) {
            int size = config.inputImageSize();
            float[] square = BicubicResize.squash(pixels, batch * frames * 3, height, width, size);
            int per = frames * 3 * size * size;
            float[][] clips = new float[batch][];
            for (int b = 0; b < batch; b++) {
                clips[b] = java.util.Arrays.copyOfRange(square, b * per, (b + 1) * per);
            }
            cudaSteps.encode(clips, frames);
            return held(batch, frames, options, true, System.nanoTime() - t0).get(0);
        }
        float[] embeds = encoder.encode(pixels, batch, frames, height, width);
        GazeResult r = generator.generate(embeds, batch, frames, options);
        return new GazeResult(r.gaze(), r.masks(), r.timings().withEncoderNanos(System.nanoTime() - t0));
    }

    /**
     * Generation for a batch of RGB clips (processor + encoder + decoder), official batch semantics: the clips are one
     * generate call. They must share their frame count; their sizes may differ.
     */
    public GazeResult generate(List<RgbClip> clips, GazeOptions options) {
        return run(clips, options, true).get(0);
    }

    /**
     * Every clip exactly as if gazed alone (B = 1 results, in order), whatever else shares the batch: what a dataset
     * job wants, since a row then never depends on its neighbours. The CUDA engine batches the clips in one piece;
     * the host engines do too when no task-loss requirement can make rows stop at different steps, else clip by
     * clip (see {@link GazeGenerator}). Each result's timings are those of the call that produced it (shared by the
     * rows of a batched call: do not sum them over results).
     */
    public List<GazeResult> generateEach(List<RgbClip> clips, GazeOptions options) {
        return run(clips, options, false);
    }

    /**
     * Generation from processed clips ({@link AutoGazeProcessor} output, any size; the model squashes them), official
     * batch semantics: the model alone, without the processor's cost.
     */
    public GazeResult generatePixels(List<PixelValues> pixels, GazeOptions options) {
        return runPixels(pixels, options, true, System.nanoTime()).get(0);
    }

    /** {@link #generateEach} from processed clips: every clip's result as if it were gazed alone. */
    public List<GazeResult> generateEachPixels(List<PixelValues> pixels, GazeOptions options) {
        return runPixels(pixels, options, false, System.nanoTime());
    }

    private List<GazeResult> run(List<RgbClip> clips, GazeOptions options, boolean shared) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips to gaze at");
        }
        long t0 = System.nanoTime();
        PixelValues[] pixels = new PixelValues[clips.size()];
        // the processor runs on the host; several clips at once when a GPU waits for them
        IntStream range = IntStream.range(0, pixels.length);
        (cuda != null ? range.parallel() : range).forEach(b -> pixels[b] = processor.process(clips.get(b)));
        return runPixels(List.of(pixels), options, shared, t0);
    }

    private List<GazeResult> runPixels(List<PixelValues> pixels, GazeOptions options, boolean shared, long t0) {
        if (pixels.isEmpty()) {
            throw new IllegalArgumentException("no clips to gaze at");
        }
        int frames = pixels.get(0).frames();
        for (int b = 1; b < pixels.size(); b++) {
            if (pixels.get(b).frames() != frames) {
                throw new IllegalArgumentException("clips in a batch must share their frame count: clip 0 has " + frames
                        + " frames, clip " + b + " has " + pixels.get(b).frames());
            }
        }
        int batch = pixels.size();
        if (cuda != null) {
            int size = config.inputImageSize();
            float[][] square = new float[batch][];
            IntStream.range(0, batch).parallel().forEach(b -> {
                PixelValues p = pixels.get(b);
                square[b] = p.height() == size && p.width() == size ? p.data()
                        : BicubicResize.squash(p.data(), p.frames() * 3, p.height(), p.width(), size);
            });
            cudaSteps.encode(square, frames);
            return held(batch, frames, options, shared, System.nanoTime() - t0);
        }
        float[] embeds = null;
        for (int b = 0; b < batch; b++) {
            float[] one = encoder.encode(pixels.get(b));
            if (embeds == null) {
                embeds = new float[one.length * batch];
            }
            System.arraycopy(one, 0, embeds, b * one.length, one.length);
        }
        long encode = System.nanoTime() - t0;
        List<GazeResult> out = shared ? List.of(generator.generate(embeds, batch, frames, options))
                : generator.generateEach(embeds, batch, frames, options);
        return withEncoder(out, encode);
    }

    private List<GazeResult> held(int batch, int frames, GazeOptions options, boolean shared, long encodeNanos) {
        return withEncoder(generator.generateHeld(batch, frames, config.visionTokens(), options, shared), encodeNanos);
    }

    private static List<GazeResult> withEncoder(List<GazeResult> results, long encodeNanos) {
        return results.stream().map(r -> new GazeResult(r.gaze(), r.masks(), r.timings().withEncoderNanos(encodeNanos)))
                .toList();
    }

    @Override
    public void close() {
        if (cuda != null) {
            cudaSteps.close();
            cuda.close();
        } else {
            decoder.close();
            encoder.close();
        }
    }
}
