package dev.autogaze.model;

/**
 * Pillow's {@code Image.resize(..., BILINEAR)} on packed RGB uint8, bit-exact (libImaging Resample.c, spec §2.2.1):
 * the released processor resizes with it, so any other resampler would shift every pixel value downstream.
 * Antialiased (the triangle support grows with the downscale factor), 8-bit fixed point, two passes, each
 * rounded and clamped to uint8: horizontal first, then vertical.
 */
public final class PillowBilinear {

    /** Fixed-point fraction bits of the integer weights (32 - 8 - 2). */
    static final int PRECISION_BITS = 22;

    private PillowBilinear() {
    }

    /**
     * One pass's coefficient table: output sample {@code xx} reads input samples {@code start[xx] .. start[xx] +
     * count[xx] - 1} with integer weights {@code weights[xx * stride + i]}.
     */
    public record Coefficients(int inSize, int outSize, int stride, int[] start, int[] count, int[] weights) {
    }

    /** The table Pillow builds for resampling {@code inSize} samples to {@code outSize} (f64, then fixed point). */
    public static Coefficients coefficients(int inSize, int outSize) {
        if (inSize <= 0 || outSize <= 0) {
            throw new IllegalArgumentException("resize " + inSize + " -> " + outSize + ": sizes must be positive");
        }
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = 1.0 * filterscale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * stride];
        double[] w = new double[stride];
        double ss = 1.0 / filterscale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double d = Math.abs((x + xmin - center + 0.5) * ss);
                w[x] = d < 1.0 ? 1.0 - d : 0.0;
                ww += w[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? w[x] / ww : w[x];
                double scaled = v * (1 << PRECISION_BITS);
                weights[xx * stride + x] = v < 0 ? (int) (scaled - 0.5) : (int) (scaled + 0.5);
            }
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(inSize, outSize, stride, start, count, weights);
    }

    /**
     * Resizes a packed RGB frame ({@code [height][width][3]}, values 0-255 in signed bytes) to
     * {@code newWidth x newHeight}. Equal sizes return a copy.
     */
    public static byte[] resize(byte[] rgb, int width, int height, int newWidth, int newHeight) {
        if (width <= 0 || height <= 0 || newWidth <= 0 || newHeight <= 0) {
            throw new IllegalArgumentException("resize " + width + "x" + height + " -> " + newWidth + "x" + newHeight
                    + ": sizes must be positive");
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("frame has " + rgb.length + " bytes, expected " + (width * height * 3)
                    + " for " + width + "x" + height + " RGB");
        }
        byte[] out = rgb;
        int w = width;
        if (newWidth != width) {
            out = horizontal(out, w, height, coefficients(width, newWidth));
            w = newWidth;
        }
        if (newHeight != height) {
            out = vertical(out, w, height, coefficients(height, newHeight));
        }
        return out == rgb ? rgb.clone() : out;
    }

    private static byte[] horizontal(byte[] in, int width, int height, Coefficients k) {
        int outW = k.outSize();
        byte[] out = new byte[outW * height * 3];
        int[] weights = k.weights();
        int stride = k.stride();
        for (int y = 0; y < height; y++) {
            int rowIn = y * width * 3;
            int rowOut = y * outW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = k.start()[xx];
                int n = k.count()[xx];
                int base = xx * stride;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int x = 0; x < n; x++) {
                    int p = rowIn + (xmin + x) * 3;
                    int wt = weights[base + x];
                    r += (in[p] & 0xFF) * wt;
                    g += (in[p + 1] & 0xFF) * wt;
                    b += (in[p + 2] & 0xFF) * wt;
                }
                int o = rowOut + xx * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int width, int height, Coefficients k) {
        int outH = k.outSize();
        int rowLen = width * 3;
        byte[] out = new byte[outH * rowLen];
        int[] weights = k.weights();
        int stride = k.stride();
        int[] acc = new int[rowLen];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = k.start()[yy];
            int n = k.count()[yy];
            int base = yy * stride;
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            // Tap-major so the inner loop runs along a row (the sums are integers: the order does not matter).
            for (int y = 0; y < n; y++) {
                int wt = weights[base + y];
                int row = (ymin + y) * rowLen;
                for (int i = 0; i < rowLen; i++) {
                    acc[i] += (in[row + i] & 0xFF) * wt;
                }
            }
            int o = yy * rowLen;
            for (int i = 0; i < rowLen; i++) {
                out[o + i] = clip8(acc[i]);
            }
        }
        return out;
    }

    /** Pillow's clip8: arithmetic shift out the fraction, clamp to 0..255. */
    static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
