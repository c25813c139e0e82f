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

    /**
     * The {@code w x h} window at (x0, y0) of every frame; pixels past the frame's right or bottom edge are black
     * (an AnyRes tile that overhangs the frame).
     */
    public RgbClip crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 >= width || y0 >= height || w <= 0 || h <= 0) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x0 + ", " + y0 + ") does not start"
                    + " inside the " + width + "x" + height + " frame");
        }
        int copyW = Math.min(w, width - x0);
        int copyH = Math.min(h, height - y0);
        byte[][] out = new byte[frames.length][];
        for (int t = 0; t < frames.length; t++) {
            byte[] dst = new byte[w * h * 3];
            for (int y = 0; y < copyH; y++) {
                System.arraycopy(frames[t], ((y0 + y) * width + x0) * 3, dst, y * w * 3, copyW * 3);
            }
            out[t] = dst;
        }
        return new RgbClip(w, h, out);
    }

    @Override
    public String toString() {
        return "RgbClip[" + frames.length + " frames of " + width + "x" + height + "]";
    }
}
