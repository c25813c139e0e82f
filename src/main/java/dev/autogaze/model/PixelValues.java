package dev.autogaze.model;

/**
 * Normalized frames as the gaze model takes them: {@code [frames, 3, height, width]} f32, row-major (one clip).
 *
 * @param data shared, not copied; callers must not modify it after handing it on
 */
public record PixelValues(int frames, int height, int width, float[] data) {

    public PixelValues {
        if (frames <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("pixel values " + frames + "x3x" + height + "x" + width
                    + ": sizes must be positive");
        }
        if (data.length != (long) frames * 3 * height * width) {
            throw new IllegalArgumentException("pixel values hold " + data.length + " floats, expected " + frames
                    + "x3x" + height + "x" + width);
        }
    }

    @Override
    public String toString() {
        return "PixelValues[" + frames + "x3x" + height + "x" + width + "]";
    }
}
