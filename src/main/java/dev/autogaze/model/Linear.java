package dev.autogaze.model;

/**
 * A bias-free PyTorch Linear (y = x·Wᵀ, W stored [out, in]) kept in the blocked layout of
 * {@link Kernels#blockedMatmul} (chunks of 32 output columns, each [in][32] contiguous, the last one zero-padded);
 * the decoder's threads each compute their own range of output columns.
 */
public final class Linear {

    private final int in;
    private final int out;
    private final float[] wt;

    /** One Linear from several weights [out_i, in] stacked along the output (e.g. fused q, k, v). */
    public Linear(int in, float[]... weights) {
        int total = 0;
        for (float[] w : weights) {
            if (w.length % in != 0) {
                throw new IllegalArgumentException("linear weight of " + w.length + " values is not a multiple of in="
                        + in);
            }
            total += w.length / in;
        }
        this.in = in;
        this.out = total;
        this.wt = new float[in * Kernels.padded(total)];
        int base = 0;
        for (float[] w : weights) {
            int rows = w.length / in;
            for (int o = 0; o < rows; o++) {
                int c = base + o;
                int block = c / Kernels.KEY_BLOCK * in * Kernels.KEY_BLOCK + c % Kernels.KEY_BLOCK;
                for (int i = 0; i < in; i++) {
                    wt[block + i * Kernels.KEY_BLOCK] = w[o * in + i];
                }
            }
            base += rows;
        }
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** y[r][colFrom..colTo) = x[r]·Wᵀ for those output columns only, on the caller's thread. */
    void applyColumns(Kernels kernels, float[] x, int xOff, int rows, float[] y, int yOff, int colFrom, int colTo) {
        if (colTo > colFrom) {
            kernels.blockedMatmul(x, xOff, in, rows, in, wt, y, yOff, out, colFrom, colTo);
        }
    }
}
