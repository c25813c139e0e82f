package dev.autogaze.model;

/**
 * A bias-free PyTorch Linear (y = x·Wᵀ, W stored [out, in]) kept transposed as [in, out], so a row of y is a run of
 * contiguous multiply-adds that the JIT vectorises; no per-call allocation.
 */
public final class Linear {

    private final int in;
    private final int out;
    private final float[] wt;

    public Linear(float[] weight, int out, int in) {
        if (weight.length != (long) out * in) {
            throw new IllegalArgumentException("linear weight has " + weight.length + " values, expected " + out + "x" + in);
        }
        this.in = in;
        this.out = out;
        this.wt = new float[weight.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                wt[i * out + o] = weight[o * in + i];
            }
        }
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** y[r][0..out) = x[r]·Wᵀ for `rows` consecutive rows of x (stride in) and y (stride out). */
    public void apply(float[] x, int xOff, int rows, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * in;
            int yo = yOff + r * out;
            java.util.Arrays.fill(y, yo, yo + out, 0f);
            for (int k = 0; k < in; k++) {
                float a = x[xo + k];
                int wo = k * out;
                for (int o = 0; o < out; o++) {
                    y[yo + o] += a * wt[wo + o];
                }
            }
        }
    }
}
