package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

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

    @Override
    public void close() {
        model.close();
    }
}
