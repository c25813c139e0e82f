package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
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

    /**
     * One batch-of-one result per clip, each equal to {@code gaze(List.of(clip), options)}, whatever else is in the
     * list: clips may come from different videos and differ in size (they share the frame count). This is what the
     * job calls, so its rows never depend on batch composition; {@link #gaze} instead returns the official batch
     * semantics, where rows can interact (a row that meets the task-loss requirement emits pads while the others
     * continue). The default gazes the clips one at a time; sources whose batch rows are independent override it
     * to batch the work.
     */
    default List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
        List<GeneratedGaze> out = new ArrayList<>(clips.size());
        for (RgbClip clip : clips) {
            out.add(gaze(List.of(clip), options));
        }
        return out;
    }

    /**
     * The part of a clip's gaze that needs no engine (AutoGaze: the processor, and for the CUDA engine the squash to
     * the model's size). Thread-safe: the job runs it on its decoding threads, so it overlaps the engine's work on an
     * earlier batch instead of holding the engine. Default: nothing to do.
     */
    default PreparedClip prepare(RgbClip clip) {
        return new PreparedClip(clip, null);
    }

    /** {@link #gazeEach} over clips from {@link #prepare}: the same results as gazeEach on their clips. */
    default List<GeneratedGaze> gazeEachPrepared(List<PreparedClip> clips, GazeOptions options) {
        List<RgbClip> plain = new ArrayList<>(clips.size());
        for (PreparedClip c : clips) {
            plain.add(c.clip());
        }
        return gazeEach(plain, options);
    }

    /**
     * True when gaze() and gazeEach() may be called from several threads at once; otherwise callers serialize their
     * calls.
     */
    default boolean threadSafe() {
        return false;
    }

    @Override
    default void close() {
    }
}
