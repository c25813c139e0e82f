package dev.autogaze.model;

import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * AutoGaze with resolution adaptation, as {@code AutoGazeModel.forward(..., target_scales, target_patch_size)}: clips
 * are processed to the largest target scale (the processor's fixed size, as the official quick start sets it),
 * tiled by {@link ResolutionAdapter}, gazed on the model's engine through its one generation path, and recovered
 * into the target layout. Not thread-safe, like the model it wraps.
 */
public final class AdaptedGeneration {

    private final AutoGazeModel model;
    private final ResolutionAdapter adapter;
    private final AutoGazeProcessor processor;

    public AdaptedGeneration(AutoGazeModel model, ResolutionTarget target) {
        this.model = model;
        this.adapter = new ResolutionAdapter(model.layout(), target);
        int size = target.inputSize();
        this.processor = new AutoGazeProcessor(ProcessorConfig.loadOrDefaults(model.folder()).withFixedSize(size, size));
    }

    public ResolutionAdapter adapter() {
        return adapter;
    }

    /** The layout of the returned gazes: the target's. */
    public ScaleLayout layout() {
        return adapter.layout();
    }

    /** Official batch semantics: every clip's tiles in one generate call, recovered together. */
    public GazeResult generate(List<RgbClip> clips, GazeOptions options) {
        List<PixelValues> pixels = process(clips);
        if (adapter.identity()) {
            return model.generatePixels(pixels, options);
        }
        return adapter.recover(model.generatePixels(tilesOf(pixels), options), clips.size());
    }

    /**
     * Every clip's result as {@code generate(List.of(clip))} returns it. Without a task-loss requirement the tile rows
     * cannot interact, so all tiles of all clips are one call; with one, each clip's tiles are one call (the
     * official batch of that clip alone, whose rows do interact).
     */
    public List<GazeResult> generateEach(List<RgbClip> clips, GazeOptions options) {
        List<PixelValues> pixels = process(clips);
        if (adapter.identity()) {
            return model.generateEachPixels(pixels, options);
        }
        int tiles = adapter.tilesPerClip();
        List<GazeResult> out = new ArrayList<>(clips.size());
        if (options.taskLossRequirement() == null) {
            GazeResult all = model.generatePixels(tilesOf(pixels), options);
            for (int b = 0; b < clips.size(); b++) {
                out.add(adapter.recover(all.rows(b * tiles, tiles), 1));
            }
        } else {
            for (PixelValues p : pixels) {
                out.add(adapter.recover(model.generatePixels(adapter.tiles(p), options), 1));
            }
        }
        return out;
    }

    private List<PixelValues> process(List<RgbClip> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips to gaze at");
        }
        PixelValues[] out = new PixelValues[clips.size()];
        // as the model does: several clips at once only when a GPU waits for them
        IntStream range = IntStream.range(0, out.length);
        (model.cuda() != null ? range.parallel() : range).forEach(b -> out[b] = processor.process(clips.get(b)));
        return List.of(out);
    }

    private List<PixelValues> tilesOf(List<PixelValues> clips) {
        List<PixelValues> tiles = new ArrayList<>(clips.size() * adapter.tilesPerClip());
        for (PixelValues p : clips) {
            tiles.addAll(adapter.tiles(p));
        }
        return tiles;
    }
}
