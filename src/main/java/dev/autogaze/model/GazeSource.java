package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.util.List;

/**
 * Something that picks multi-scale gaze cells for clips: the AutoGaze model or the model-free patch-diff source.
 * Both return the official output contract so the readout and the job never care which one ran.
 */
public interface GazeSource extends AutoCloseable {

    /** Label written into every output row: "autogaze" or "patch-diff". */
    String name();

    /** The token layout the returned ids live in. */
    ScaleLayout layout();

    /** Gazes for a batch of clips that share a frame count; row b of the result is clips.get(b). */
    GeneratedGaze gaze(List<RgbClip> clips, GazeOptions options);

    /** True when gaze() may be called from several threads at once; otherwise callers serialize their calls. */
    default boolean threadSafe() {
        return false;
    }

    @Override
    default void close() {
    }
}
