package dev.autogaze.video;

/**
 * The frames of one clip as packed RGB uint8, the form every gaze source takes.
 *
 * @param width  frame width in pixels
 * @param height frame height in pixels
 * @param frames [T][height * width * 3], row-major, R G B per pixel, values 0-255 stored in signed bytes
 */
public record RgbClip(int width, int height, byte[][] frames) {

    public RgbClip {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " must be positive");
        }
        if (frames.length == 0) {
            throw new IllegalArgumentException("a clip needs at least one frame");
        }
        long expected = (long) width * height * 3;
        for (int t = 0; t < frames.length; t++) {
            if (frames[t].length != expected) {
                throw new IllegalArgumentException("frame " + t + " has " + frames[t].length + " bytes, expected "
                        + expected + " for " + width + "x" + height + " RGB");
            }
        }
    }

    public int frameCount() {
        return frames.length;
    }

    /** Channel c (0 = R) of pixel (x, y) in frame t, as 0-255. */
    public int sample(int t, int y, int x, int c) {
        return frames[t][(y * width + x) * 3 + c] & 0xFF;
    }

    @Override
    public String toString() {
        return "RgbClip[" + frames.length + " frames of " + width + "x" + height + "]";
    }
}
