package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
import java.util.List;

/** The AutoGaze model as a {@link GazeSource}: RGB clips in, the official gaze triple (with confidence) out. */
public final class AutoGazeGazeSource implements GazeSource {

    private final AutoGazeModel model;

    public AutoGazeGazeSource(AutoGazeModel model) {
        this.model = model;
    }

    @Override
    public String name() {
        return "autogaze";
    }

    @Override
    public ScaleLayout layout() {
        return model.layout();
    }

    @Override
    public GeneratedGaze gaze(List<RgbClip> clips, GazeOptions options) {
        return model.generate(clips, options).gaze();
    }

    /** {@link AutoGazeModel#generateEach}: batched where the rows cannot interact, one clip at a time otherwise. */
    @Override
    public List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
        List<GeneratedGaze> out = new ArrayList<>(clips.size());
        for (GazeResult r : model.generateEach(clips, options)) {
            out.add(r.gaze());
        }
        return out;
    }

    /**
     * {@link AutoGazeModel#prepare} on the caller's thread: the processor for the host engines, nothing for the CUDA
     * engine (it processes clips on the device).
     */
    @Override
    public PreparedClip prepare(RgbClip clip) {
        return new PreparedClip(clip, model.prepare(clip));
    }

    @Override
    public List<GeneratedGaze> gazeEachPrepared(List<PreparedClip> clips, GazeOptions options) {
        List<PixelValues> pixels = new ArrayList<>(clips.size());
        List<RgbClip> frames = new ArrayList<>(clips.size());
        for (PreparedClip c : clips) {
            pixels.add(c.pixels());
            frames.add(c.clip());
        }
        List<GazeResult> results = pixels.contains(null) ? model.generateEach(frames, options)
                : model.generateEachPixels(pixels, options);
        List<GeneratedGaze> out = new ArrayList<>(clips.size());
        for (GazeResult r : results) {
            out.add(r.gaze());
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
