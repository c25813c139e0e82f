package dev.autogaze.model;

/**
 * PyTorch's {@code interpolate(mode="bicubic", align_corners=False, antialias=False)} on f32 planes (spec §3.1):
 * the gaze model squashes any frame to its input size with it, so the arithmetic mirrors torch's CPU kernel in f32
 * (weights from a float scale, clamped taps, the width sum inside the height sum).
 *
 * <p>Bit-exact with the reference build (x86-64, AVX2): its compiler fuses some multiply-adds, and the rounding of
 * a fused multiply-add differs from a multiply then an add. The fusions were found against the
 * nvidia-preprocess-240x320 fixture (all 602,112 values equal): the source coordinate {@code fma(scale, d + 0.5,
 * -0.5)}, the middle step of the outer cubic {@code cc2}, and the 4-tap sum {@code fma(fma(fma(v0, w0, v1 * w1), v2,
 * w2), v3, w3)}. Without them the result is still within 1.1e-5.
 */
public final class BicubicResize {

    private static final float A = -0.75f;

    private BicubicResize() {
    }

    /** Four taps (clamped input indices) and their weights per output sample of one axis. */
    public record Axis(int[] taps, float[] weights) {
    }

    /** torch's cubic-convolution indices and weights for {@code in -> out} samples. */
    public static Axis axis(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("bicubic resize " + in + " -> " + out + ": sizes must be positive");
        }
        float scale = (float) in / (float) out;
        int[] taps = new int[out * 4];
        float[] weights = new float[out * 4];
        for (int d = 0; d < out; d++) {
            float src = Math.fma(scale, d + 0.5f, -0.5f);
            float floor = (float) Math.floor(src);
            int i0 = (int) floor;
            float t = src - floor;
            float u = 1f - t;
            weights[d * 4] = cc2(t + 1f);
            weights[d * 4 + 1] = cc1(t);
            weights[d * 4 + 2] = cc1(u);
            weights[d * 4 + 3] = cc2(u + 1f);
            for (int j = 0; j < 4; j++) {
                taps[d * 4 + j] = Math.min(Math.max(i0 - 1 + j, 0), in - 1);
            }
        }
        return new Axis(taps, weights);
    }

    static float cc1(float x) {
        return ((A + 2f) * x - (A + 3f)) * x * x + 1f;
    }

    static float cc2(float x) {
        float r = A * x - 5f * A;
        r = Math.fma(r, x, 8f * A);
        return r * x - 4f * A;
    }

    /** The reference's 4-tap sum: {@code v0 * w0 + v1 * w1 + v2 * w2 + v3 * w3} with its fused rounding. */
    static float sum4(float v0, float w0, float v1, float w1, float v2, float w2, float v3, float w3) {
        float s = Math.fma(v0, w0, v1 * w1);
        s = Math.fma(v2, w2, s);
        return Math.fma(v3, w3, s);
    }

    /**
     * Resizes {@code planes} ({@code [count, height, width]} f32) to {@code [count, size, size]}. Input already of
     * that size is returned as is (the kernel is then exactly the identity).
     */
    public static float[] squash(float[] planes, int count, int height, int width, int size) {
        return resize(planes, count, height, width, size, size);
    }

    /** Resizes {@code [count, height, width]} planes to {@code [count, outHeight, outWidth]}. */
    public static float[] resize(float[] planes, int count, int height, int width, int outHeight, int outWidth) {
        if (count <= 0 || height <= 0 || width <= 0 || outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("bicubic resize of " + count + " planes " + height + "x" + width
                    + " -> " + outHeight + "x" + outWidth + ": sizes must be positive");
        }
        if (planes.length != (long) count * height * width) {
            throw new IllegalArgumentException("bicubic resize: " + planes.length + " floats, expected " + count
                    + "x" + height + "x" + width);
        }
        if (height == outHeight && width == outWidth) {
            return planes;
        }
        Axis ax = axis(width, outWidth);
        Axis ay = axis(height, outHeight);
        float[] out = new float[count * outHeight * outWidth];
        float[] rows = new float[height * outWidth];
        int[] tx = ax.taps();
        float[] wx = ax.weights();
        for (int p = 0; p < count; p++) {
            int inBase = p * height * width;
            // Width pass first: torch evaluates the inner (width) sum for each of the 4 rows of an output pixel.
            for (int y = 0; y < height; y++) {
                int row = inBase + y * width;
                for (int x = 0; x < outWidth; x++) {
                    int q = x * 4;
                    rows[y * outWidth + x] = sum4(planes[row + tx[q]], wx[q], planes[row + tx[q + 1]], wx[q + 1],
                            planes[row + tx[q + 2]], wx[q + 2], planes[row + tx[q + 3]], wx[q + 3]);
                }
            }
            int outBase = p * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                int q = y * 4;
                int r0 = ay.taps()[q] * outWidth;
                int r1 = ay.taps()[q + 1] * outWidth;
                int r2 = ay.taps()[q + 2] * outWidth;
                int r3 = ay.taps()[q + 3] * outWidth;
                float w0 = ay.weights()[q];
                float w1 = ay.weights()[q + 1];
                float w2 = ay.weights()[q + 2];
                float w3 = ay.weights()[q + 3];
                int o = outBase + y * outWidth;
                for (int x = 0; x < outWidth; x++) {
                    out[o + x] = sum4(rows[r0 + x], w0, rows[r1 + x], w1, rows[r2 + x], w2, rows[r3 + x], w3);
                }
            }
        }
        return out;
    }
}
