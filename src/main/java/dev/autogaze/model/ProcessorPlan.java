package dev.autogaze.model;

/**
 * How one clip size goes from packed RGB bytes to the model's input, step by step, for an engine that runs the
 * processor on a device ({@link AutoGazeProcessor#plan}): Pillow's horizontal then vertical pass to
 * {@code outHeight x outWidth} (null when that side keeps its size), the byte-to-value {@code table}
 * ([channel * 256 + byte]), then torch's bicubic squash to {@code size x size} (null axes when the processed frame
 * already has that size).
 */
public record ProcessorPlan(int inHeight, int inWidth, int outHeight, int outWidth, int size,
                            PillowBilinear.Coefficients horizontal, PillowBilinear.Coefficients vertical,
                            float[] table, BicubicResize.Axis squashX, BicubicResize.Axis squashY) {
}
