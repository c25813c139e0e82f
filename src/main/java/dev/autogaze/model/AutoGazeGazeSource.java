package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
import java.util.List;

/**
 * The AutoGaze model as a {@link GazeSource}: RGB clips in, the official gaze triple (with confidence) out, in the
 * model's own layout or, with a {@link ResolutionTarget}, in the target encoder's (official resolution adaptation).
 */
public final class AutoGazeGazeSource implements GazeSource {

    private final AutoGazeModel model;
    private final AdaptedGeneration adapted; // null: the model's own layout

    public AutoGazeGazeSource(AutoGazeModel model) {
        this(model, null);
    }

    /** With {@code target} null, the model's own layout. */
    public AutoGazeGazeSource(AutoGazeModel model, ResolutionTarget target) {
        this.model = model;
        this.adapted = target == null ? null : new AdaptedGeneration(model, target);
    }

    /** The model behind this source (device placement, memory). */
    public AutoGazeModel model() {
        return model;
    }

    @Override
    public String name() {
        return "autogaze";
    }

    @Override
    public ScaleLayout layout() {
        return adapted == null ? model.layout() : adapted.layout();
    }

    @Override
    public GeneratedGaze gaze(List<RgbClip> clips, GazeOptions options) {
        return (adapted == null ? model.generate(clips, options) : adapted.generate(clips, options)).gaze();
    }

    /** {@link AutoGazeModel#generateEach}: batched where the rows cannot interact, one clip at a time otherwise. */
    @Override
    public List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
        List<GeneratedGaze> out = new ArrayList<>(clips.size());
        for (GazeResult r : adapted == null ? model.generateEach(clips, options)
                : adapted.generateEach(clips, options)) {
            out.add(r.gaze());
        }
        return out;
    }

    /**
     * {@link AutoGazeModel#prepare} on the caller's thread: the processor for the host engines, nothing for the CUDA
     * engine (it processes clips on the device) nor with a resolution target (its adaptation tiles the clip first).
     */
    @Override
    public PreparedClip prepare(RgbClip clip) {
        return new PreparedClip(clip, adapted == null ? model.prepare(clip) : null);
    }

    @Override
    public List<GeneratedGaze> gazeEachPrepared(List<PreparedClip> clips, GazeOptions options) {
        List<PixelValues> pixels = new ArrayList<>(clips.size());
        List<RgbClip> frames = new ArrayList<>(clips.size());
        for (PreparedClip c : clips) {
            pixels.add(c.pixels());
            frames.add(c.clip());
        }
        if (adapted != null || pixels.contains(null)) {
            return gazeEach(frames, options);
        }
        List<GeneratedGaze> out = new ArrayList<>(clips.size());
        for (GazeResult r : model.generateEachPixels(pixels, options)) {
            out.add(r.gaze());
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
