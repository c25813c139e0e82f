package dev.autogaze.model;

import dev.autogaze.video.RgbClip;

/**
 * A clip with the host-side part of its gaze done ahead ({@link GazeSource#prepare}): for AutoGaze the processor's
 * pixel values (squashed to the model's size for the CUDA engine); null {@code pixels} when a source has nothing to
 * prepare.
 */
public record PreparedClip(RgbClip clip, PixelValues pixels) {
}
