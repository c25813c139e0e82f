package dev.autogaze.model;

/**
 * A bias-free PyTorch Linear (y = x·Wᵀ, W stored [out, in]) kept transposed as [in, out] so {@link Kernels#matmul}
 * streams contiguous weight rows; big products are split by output columns across the workers.
 */
public final class Linear {

    private static final int COLUMN_CHUNK = 64;
    private static final long PARALLEL_MACS = 1L << 18;

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
        this.wt = new float[in * total];
        int base = 0;
        for (float[] w : weights) {
            int rows = w.length / in;
            for (int o = 0; o < rows; o++) {
                for (int i = 0; i < in; i++) {
                    wt[i * total + base + o] = w[o * in + i];
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

    /** y[r][0..out) = x[r]·Wᵀ for `rows` consecutive rows of x (stride in) and y (stride out). */
    void apply(Kernels kernels, Workers workers, float[] x, int xOff, int rows, float[] y, int yOff) {
        int chunks = (out + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
        if (workers.size() == 1 || chunks == 1 || (long) rows * in * out < PARALLEL_MACS) {
            kernels.matmul(x, xOff, in, rows, in, wt, 0, out, y, yOff, out, 0, out);
            return;
        }
        workers.run(chunks, (task, worker) -> {
            int from = task * COLUMN_CHUNK;
            kernels.matmul(x, xOff, in, rows, in, wt, 0, out, y, yOff, out, from, Math.min(out, from + COLUMN_CHUNK));
        });
    }
}
