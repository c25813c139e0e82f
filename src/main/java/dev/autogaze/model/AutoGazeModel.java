package dev.autogaze.model;

import dev.autogaze.model.cuda.CudaEngine;
import dev.autogaze.model.cuda.CudaResidency;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * The whole AutoGaze inference path behind one object: processor (RGB clip to normalized pixels), vision encoder,
 * and the gaze decoder's generation loop, on the engine chosen at load time (the JVM kernels, ND4J, or the CUDA
 * engine, which runs the encoder and the whole loop on a GPU). Entry points take clips, pixel values or ready
 * vision embeddings, so tests and tools can enter at the stage they have. Not thread-safe (the generator reuses
 * its buffers); use one per thread or serialize calls.
 */
public final class AutoGazeModel implements AutoCloseable {

    /** Lanes of the cuda engine unless a caller says otherwise (docs/performance.md: lanes side by side). */
    public static final int DEFAULT_CUDA_LANES = 2;
    public static final int MAX_CUDA_LANES = 8;

    /** `lanes` when in 1..MAX_CUDA_LANES; else an error naming `flag` and the value. */
    public static int checkCudaLanes(int lanes, String flag) {
        if (lanes < 1 || lanes > MAX_CUDA_LANES) {
            throw new IllegalArgumentException(flag + " " + lanes + " must be in 1.." + MAX_CUDA_LANES);
        }
        return lanes;
    }

    private final Path folder;
    private final AutoGazeConfig config;
    private final AutoGazeProcessor processor;
    private final EngineChoice engineChoice;
    private final VisionEncoder encoder;     // host engines
    private final DecoderEngine decoder;     // host engines
    private final Lanes<CudaLane> lanes;     // the cuda engine
    private final GazeGenerator generator;   // host engines; the cuda engine's first lane
    private final Map<Long, ProcessorPlan> plans = new ConcurrentHashMap<>();

    private AutoGazeModel(Path folder, AutoGazeWeights weights, AutoGazeProcessor processor, int threads,
                          EngineChoice engine, String gpuAddress, int cudaLanes) {
        this.folder = folder;
        this.config = weights.config();
        this.processor = processor;
        this.engineChoice = engine.resolve();
        if (engineChoice == EngineChoice.CUDA) {
            this.encoder = null;
            this.decoder = null;
            this.lanes = CudaLane.open(weights, gpuAddress, cudaLanes);
            this.generator = lanes.first().generator();
        } else {
            this.encoder = new VisionEncoder(weights);
            this.decoder = engineChoice.open(weights, threads);
            this.lanes = null;
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
        return load(modelDir, threads, engine, gpuAddress, DEFAULT_CUDA_LANES);
    }

    /**
     * As above, with the cuda engine as `cudaLanes` lanes on its device (see {@link CudaLane}): batches of
     * independent rows ({@link #generateEach}, {@link #generateEachPixels}) split across them and run at once.
     */
    public static AutoGazeModel load(Path modelDir, int threads, EngineChoice engine, String gpuAddress,
                                     int cudaLanes) {
        checkCudaLanes(cudaLanes, "cuda lanes");
        Path dir = ModelLocator.system().locate(modelDir);
        return new AutoGazeModel(dir, AutoGazeWeights.load(dir), AutoGazeProcessor.forModel(dir), threads, engine,
                gpuAddress, cudaLanes);
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
        return engineChoice.label() + " (" + (lanes != null ? lanes.first().engine().describe()
                + (lanes.count() > 1 ? ", " + lanes.count() + " lanes" : "") : decoder.engine()) + ")";
    }

    /** The resolved engine: JVM, ND4J or CUDA. */
    public EngineChoice engineChoice() {
        return engineChoice;
    }

    /** The CUDA engine, or null for the host engines (memory reports, device identity). */
    public CudaEngine cuda() {
        return lanes == null ? null : lanes.first().engine();
    }

    /** Where each lane of the cuda engine runs, as CUDA reports it (see CudaResidency); empty for host engines. */
    public List<CudaResidency> cudaResidency() {
        return lanes == null ? List.of()
                : lanes.all().stream().map(l -> l.engine().residency(l.steps().bytes())).toList();
    }

    /** Device bytes of the cuda engine's current batch plus its fixed part; 0 for the host engines. */
    public long deviceBytes() {
        return lanes == null ? 0 : lanes.all().stream().mapToLong(CudaLane::deviceBytes).sum();
    }

    /** Generation from connector outputs [B][T][visionTokens][hidden] (the decoder alone), official batch semantics. */
    public GazeResult generate(float[] visionEmbeds, int batch, int frames, GazeOptions options) {
        return generator.generate(visionEmbeds, batch, frames, options);
    }

    /** Generation from normalized pixel values [B][T][3][H][W] (encoder + decoder), official batch semantics. */
    public GazeResult generate(float[] pixels, int batch, int frames, int height, int width, GazeOptions options) {
        long t0 = System.nanoTime();
        if (lanes != null) {
            int size = config.inputImageSize();
            float[] square = BicubicResize.squash(pixels, batch * frames * 3, height, width, size);
            int per = frames * 3 * size * size;
            float[][] clips = new float[batch][];
            for (int b = 0; b < batch; b++) {
                clips[b] = java.util.Arrays.copyOfRange(square, b * per, (b + 1) * per);
            }
            CudaLane lane = lanes.first();
            lane.steps().encode(clips, frames);
            return held(lane, batch, frames, options, true, System.nanoTime() - t0).get(0);
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

    /**
     * {@link #generateEach} from clips already through {@link #prepare} (or any processed clips): the engine's part
     * alone, so the host's part can run elsewhere, e.g. on the job's decoding threads.
     */
    public List<GazeResult> generateEachPixels(List<PixelValues> pixels, GazeOptions options) {
        return runPixels(pixels, options, false, System.nanoTime());
    }

    /**
     * The host's part of a clip's gaze, thread-safe: the processor for the host engines; null for the CUDA engine,
     * which processes and squashes clips on the device (nothing is left for the host).
     */
    public PixelValues prepare(RgbClip clip) {
        return lanes == null ? processor.process(clip) : null;
    }

    /** The CUDA engine's recipe for a clip size (processor passes and squash), made once per size. */
    private ProcessorPlan plan(RgbClip clip) {
        return plans.computeIfAbsent(((long) clip.height() << 32) | clip.width(),
                k -> processor.plan(clip.height(), clip.width(), config.inputImageSize()));
    }

    private List<GazeResult> run(List<RgbClip> clips, GazeOptions options, boolean shared) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips to gaze at");
        }
        long t0 = System.nanoTime();
        if (lanes != null) {
            int frames = sharedFrameCount(clips.stream().map(RgbClip::frameCount).toList());
            return onLanes(clips.size(), shared, (lane, part) -> {
                lane.steps().encodeRgb(clips.subList(part.from(), part.to()), this::plan);
                return held(lane, part.size(), frames, options, shared, System.nanoTime() - t0);
            });
        }
        PixelValues[] pixels = new PixelValues[clips.size()];
        for (int b = 0; b < pixels.length; b++) {
            pixels[b] = processor.process(clips.get(b));
        }
        return runPixels(List.of(pixels), options, shared, t0);
    }

    /** The frame count every clip of a batch has; a batch of mixed counts is rejected naming the first odd clip. */
    private static int sharedFrameCount(List<Integer> counts) {
        int frames = counts.get(0);
        for (int b = 1; b < counts.size(); b++) {
            if (counts.get(b) != frames) {
                throw new IllegalArgumentException("clips in a batch must share their frame count: clip 0 has " + frames
                        + " frames, clip " + b + " has " + counts.get(b));
            }
        }
        return frames;
    }

    private List<GazeResult> runPixels(List<PixelValues> pixels, GazeOptions options, boolean shared, long t0) {
        if (pixels.isEmpty()) {
            throw new IllegalArgumentException("no clips to gaze at");
        }
        int frames = sharedFrameCount(pixels.stream().map(PixelValues::frames).toList());
        int batch = pixels.size();
        if (lanes != null) {
            int size = config.inputImageSize();
            return onLanes(batch, shared, (lane, part) -> {
                float[][] square = new float[part.size()][];
                IntStream.range(0, part.size()).parallel().forEach(i -> {
                    PixelValues p = pixels.get(part.from() + i);
                    square[i] = p.height() == size && p.width() == size ? p.data()
                            : BicubicResize.squash(p.data(), p.frames() * 3, p.height(), p.width(), size);
                });
                lane.steps().encode(square, frames);
                return held(lane, part.size(), frames, options, shared, System.nanoTime() - t0);
            });
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

    /**
     * A cuda batch: independent rows (not `shared`) split across the lanes and run at once; the official batch
     * semantics (one call whose rows share their steps) on the first lane alone.
     */
    private List<GazeResult> onLanes(int batch, boolean shared,
                                     BiFunction<CudaLane, Lanes.Part, List<GazeResult>> work) {
        return shared ? work.apply(lanes.first(), new Lanes.Part(0, batch)) : lanes.each(batch, work);
    }

    private List<GazeResult> held(CudaLane lane, int batch, int frames, GazeOptions options, boolean shared,
                                  long encodeNanos) {
        return withEncoder(lane.generator().generateHeld(batch, frames, config.visionTokens(), options, shared),
                encodeNanos);
    }

    private static List<GazeResult> withEncoder(List<GazeResult> results, long encodeNanos) {
        return results.stream().map(r -> new GazeResult(r.gaze(), r.masks(), r.timings().withEncoderNanos(encodeNanos)))
                .toList();
    }

    @Override
    public void close() {
        if (lanes != null) {
            lanes.close();
        } else {
            decoder.close();
            encoder.close();
        }
    }
}
