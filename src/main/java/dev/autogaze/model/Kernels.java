package dev.autogaze.model;

/**
 * The few dense loops the decoder spends its time in, behind one seam so a SIMD implementation (Vector API) and a
 * plain-Java fallback compute the same thing; {@link #best()} picks SIMD when jdk.incubator.vector is available.
 * Arrays are f32 with explicit offsets and strides (weights and keys in 32-column blocks); nothing allocates.
 */
abstract class Kernels {

    private static final Kernels BEST = choose();

    static Kernels best() {
        return BEST;
    }

    static Kernels scalar() {
        return new ScalarKernels();
    }

    private static Kernels choose() {
        if (!Boolean.getBoolean("autogaze.scalar") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Kernels) Class.forName("dev.autogaze.model.VectorKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarKernels();
            }
        }
        return new ScalarKernels();
    }

    /** Short name for reports ("vector-512" or "scalar"). */
    abstract String name();

    /** Keys per block of the cache's key layout (see {@link #keyScores}). */
    static final int KEY_BLOCK = 32;

    /**
     * y[r][j] = Σ_{d<k} x[r][d] · key(d, j) for j < cols (a multiple of {@link #KEY_BLOCK}), keys stored in blocks of
     * 32: key(d, j) = w[wOff + (j / 32)·k·32 + d·32 + j % 32]. One block is one contiguous 4 KiB run, which keeps
     * the hardware prefetcher on a single stream when the cache no longer fits in L3.
     */
    abstract void keyScores(float[] x, int xOff, int xStride, int rows, int k, float[] w, int wOff, float[] y,
                            int yOff, int yStride, int cols);

    /**
     * y[r][c] = Σ_{d<k} x[r][d] · w(d, c) for c in [colFrom, colTo), with w in the blocked layout of
     * {@link #keyScores} (w(d, c) = w[(c / 32)·k·32 + d·32 + c % 32]): each 32-column chunk of a weight matrix is one
     * contiguous run that the prefetcher streams, where a row-major [k][out] chunk is k lines a row apart (in the
     * decoder those were fetched from DRAM one latency at a time, 5× the arithmetic). Ragged edges run here, fused
     * multiply-adds in the same order as the SIMD tiles, so a column's value does not depend on the range.
     */
    final void blockedMatmul(float[] x, int xOff, int xStride, int rows, int k, float[] w, float[] y, int yOff,
                             int yStride, int colFrom, int colTo) {
        int alignedFrom = Math.min(colTo, padded(colFrom));
        int alignedTo = Math.max(alignedFrom, colTo / KEY_BLOCK * KEY_BLOCK);
        blockedEdge(x, xOff, xStride, rows, k, w, y, yOff, yStride, colFrom, alignedFrom);
        if (alignedTo > alignedFrom) {
            keyScores(x, xOff, xStride, rows, k, w, alignedFrom * k, y, yOff + alignedFrom, yStride,
                    alignedTo - alignedFrom);
        }
        blockedEdge(x, xOff, xStride, rows, k, w, y, yOff, yStride, alignedTo, colTo);
    }

    private static void blockedEdge(float[] x, int xOff, int xStride, int rows, int k, float[] w, float[] y, int yOff,
                                    int yStride, int from, int to) {
        for (int r = 0; r < rows; r++) {
            for (int c = from; c < to; c++) {
                int wo = c / KEY_BLOCK * k * KEY_BLOCK + c % KEY_BLOCK;
                float acc = 0f;
                for (int d = 0; d < k; d++) {
                    acc = Math.fma(x[xOff + r * xStride + d], w[wo + d * KEY_BLOCK], acc);
                }
                y[yOff + r * yStride + c] = acc;
            }
        }
    }

    /**
     * out[r][d] = Σ_{j<len} p[r][j] · v[j][d] for rows r < rows, d < dims, with v token-major (row j of v at
     * vOff + j·dims): the attention-weighted sum of values.
     */
    abstract void weightedSum(float[] p, int pOff, int pStride, int rows, float[] v, int vOff, int len, float[] out,
                              int outOff, int outStride, int dims);

    /**
     * One attention row: s[j] = s[j]·scale + bias[j] for j < limit and −inf for limit ≤ j < padded(limit); returns
     * the maximum over j < limit.
     */
    abstract float scaleMaskMax(float[] s, int off, int limit, float scale, float[] bias);

    /** s[j] = exp(s[j] − max) for j < padded(len), in place; returns Σ over j < len in f32. */
    abstract float expSum(float[] s, int off, int len, float max);

    /**
     * act[e] = silu(gate[e]) · up[e] = gate / (exp(−gate) + 1) · up for e in [e0, e1) of one row of a fused
     * [gate | up] projection (up at offset `inter`), with {@link PortableExp}.
     */
    abstract void silu(float[] gateUp, int go, float[] act, int ao, int e0, int e1, int inter);

    /** Lengths are padded to this multiple so kernels never need a ragged tail. */
    static int padded(int len) {
        return (len + 31) & ~31;
    }
}
