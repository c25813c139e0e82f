package dev.autogaze.model;

import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The whole AutoGaze inference path behind one object: processor (RGB clip to normalized pixels), vision encoder,
 * and the gaze decoder's generation loop. Entry points take clips, pixel values or ready vision embeddings, so
 * tests and tools can enter at the stage they have. Not thread-safe (the generator reuses its buffers); use one
 * per thread.
 */
public final class AutoGazeModel implements AutoCloseable {

    private final Path folder;
    private final AutoGazeConfig config;
    private final AutoGazeProcessor processor;
    private final VisionEncoder encoder;
    private final EngineChoice engineChoice;
    private final DecoderEngine decoder;
    private final GazeGenerator generator;

    private AutoGazeModel(Path folder, AutoGazeWeights weights, AutoGazeProcessor processor, int threads,
                          EngineChoice engine) {
        this.folder = folder;
        this.config = weights.config();
        this.processor = processor;
        this.encoder = new VisionEncoder(weights);
        this.engineChoice = engine.resolve();
        this.decoder = engineChoice.open(weights, threads);
        this.generator = new GazeGenerator(decoder, config.layout());
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

    /** Loads with the given decoder engine (AUTO resolves here, on the JVM that runs the model). */
    public static AutoGazeModel load(Path modelDir, int threads, EngineChoice engine) {
        Path dir = ModelLocator.system().locate(modelDir);
        return new AutoGazeModel(dir, AutoGazeWeights.load(dir), AutoGazeProcessor.forModel(dir), threads, engine);
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

    /** The decoder engine that runs and what runs inside it, for reports: "jvm (vector-512 x2)", "nd4j (CpuBackend)". */
    public String engine() {
        return engineChoice.label() + " (" + decoder.engine() + ")";
    }

    /** The resolved decoder engine: JVM or ND4J. */
    public EngineChoice engineChoice() {
        return engineChoice;
    }

    /** Generation from connector outputs [B][T][visionTokens][hidden] (the decoder alone). */
    public GazeResult generate(float[] visionEmbeds, int batch, int frames, GazeOptions options) {
        return generator.generate(visionEmbeds, batch, frames, options);
    }

    /** Generation from normalized pixel values [B][T][3][H][W] (encoder + decoder). */
    public GazeResult generate(float[] pixels, int batch, int frames, int height, int width, GazeOptions options) {
        long t0 = System.nanoTime();
        float[] embeds = encoder.encode(pixels, batch, frames, height, width);
        long encode = System.nanoTime() - t0;
        GazeResult r = generator.generate(embeds, batch, frames, options);
        return new GazeResult(r.gaze(), r.masks(), r.timings().withEncoderNanos(encode));
    }

    /**
     * Generation for a batch of RGB clips (processor + encoder + decoder). The clips must share their frame count;
     * their sizes may differ (each is processed and encoded on its own, then the decoder runs them as one batch).
     */
    public GazeResult generate(List<RgbClip> clips, GazeOptions options) {
        int frames = sharedFrameCount(clips);
        long t0 = System.nanoTime();
        float[] embeds = null;
        for (int b = 0; b < clips.size(); b++) {
            PixelValues pixels = processor.process(clips.get(b));
            float[] one = encoder.encode(pixels);
            if (embeds == null) {
                embeds = new float[one.length * clips.size()];
            }
            System.arraycopy(one, 0, embeds, b * one.length, one.length);
        }
        long encode = System.nanoTime() - t0;
        GazeResult r = generator.generate(embeds, clips.size(), frames, options);
        return new GazeResult(r.gaze(), r.masks(), r.timings().withEncoderNanos(encode));
    }

    /**
     * One result per clip, each equal to {@code generate(List.of(clip), options)} token for token and pad for pad,
     * for clips of any videos and sizes (sharing their frame count).
     *
     * <p>Why two paths: in one batched call the rows share the step loop (spec §5.3-5.4, §8 item 12). Without a
     * task-loss requirement every row of a frame runs until the same budget (or the same whole-batch exhaustion),
     * so no row ever pads for another and each row's computation is its own: one batched call is split into its
     * rows. With a requirement, a row that meets it keeps emitting pads until every row has stopped, so its
     * num_gazing_each_frame and pads depend on the other rows: each clip is generated alone (B = 1).
     *
     * <p>Each result's masks are its row's; its timings are those of the call that produced it (shared by all rows
     * of a batched call, so do not sum them over results).
     */
    public List<GazeResult> generateEach(List<RgbClip> clips, GazeOptions options) {
        sharedFrameCount(clips);
        List<GazeResult> out = new ArrayList<>(clips.size());
        if (options.taskLossRequirement() != null) {
            for (RgbClip clip : clips) {
                out.add(generate(List.of(clip), options));
            }
            return out;
        }
        GazeResult all = generate(clips, options);
        ScaleLayout layout = layout();
        int frames = all.gaze().frames();
        for (int b = 0; b < clips.size(); b++) {
            float[][] masks = new float[all.masks().length][];
            for (int s = 0; s < masks.length; s++) {
                int per = frames * layout.tokensOfScale(s);
                masks[s] = Arrays.copyOfRange(all.masks()[s], b * per, (b + 1) * per);
            }
            out.add(new GazeResult(all.gaze().row(b), masks, all.timings()));
        }
        return out;
    }

    private static int sharedFrameCount(List<RgbClip> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips to gaze at");
        }
        int frames = clips.get(0).frameCount();
        for (int b = 1; b < clips.size(); b++) {
            if (clips.get(b).frameCount() != frames) {
                throw new IllegalArgumentException("clips in a batch must share their frame count: clip 0 has " + frames
                        + " frames, clip " + b + " has " + clips.get(b).frameCount());
            }
        }
        return frames;
    }

    @Override
    public void close() {
        decoder.close();
        encoder.close();
    }
}
