package dev.autogaze.model;

/** Plain-Java kernels: the reference for {@link VectorKernels} and the fallback without jdk.incubator.vector. */
final class ScalarKernels extends Kernels {

    @Override
    String name() {
        return "scalar";
    }

    /** y[r][c] = Σ_d x[r][d] · w[d][c] (row-major w) for c in [colFrom, colTo): one key block at a time. */
    private static void matmul(float[] x, int xOff, int xStride, int rows, int k, float[] w, int wOff, int wStride,
                float[] y, int yOff, int yStride, int colFrom, int colTo) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * xStride;
            int yo = yOff + r * yStride;
            java.util.Arrays.fill(y, yo + colFrom, yo + colTo, 0f);
            for (int d = 0; d < k; d++) {
                float a = x[xo + d];
                int wo = wOff + d * wStride;
                for (int c = colFrom; c < colTo; c++) {
                    y[yo + c] = Math.fma(a, w[wo + c], y[yo + c]); // the SIMD tiles' order and rounding
                }
            }
        }
    }

    @Override
    void keyScores(float[] x, int xOff, int xStride, int rows, int k, float[] w, int wOff, float[] y, int yOff,
                   int yStride, int cols) {
        for (int c = 0; c < cols; c += KEY_BLOCK) {
            matmul(x, xOff, xStride, rows, k, w, wOff + c * k - c, KEY_BLOCK, y, yOff, yStride, c, c + KEY_BLOCK);
        }
    }

    @Override
    void weightedSum(float[] p, int pOff, int pStride, int rows, float[] v, int vOff, int len, float[] out,
                     int outOff, int outStride, int dims) {
        for (int r = 0; r < rows; r++) {
            int po = pOff + r * pStride;
            int o = outOff + r * outStride;
            java.util.Arrays.fill(out, o, o + dims, 0f);
            for (int j = 0; j < len; j++) {
                float pj = p[po + j];
                int vo = vOff + j * dims;
                for (int d = 0; d < dims; d++) {
                    out[o + d] += pj * v[vo + d];
                }
            }
        }
    }

    @Override
    float scaleMaskMax(float[] s, int off, int limit, float scale, float[] bias) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < limit; j++) {
            float x = s[off + j] * scale + bias[j];
            s[off + j] = x;
            max = Math.max(max, x);
        }
        for (int j = limit, end = padded(limit); j < end; j++) {
            s[off + j] = Float.NEGATIVE_INFINITY;
        }
        return max;
    }

    @Override
    float expSum(float[] s, int off, int len, float max) {
        float sum = 0f;
        for (int j = 0, end = padded(len); j < end; j++) {
            float e = PortableExp.exp(s[off + j] - max);
            s[off + j] = e;
            if (j < len) {
                sum += e;
            }
        }
        return sum;
    }

    @Override
    void silu(float[] gateUp, int go, float[] act, int ao, int e0, int e1, int inter) {
        for (int e = e0; e < e1; e++) {
            float g = gateUp[go + e];
            act[ao + e] = g / (PortableExp.exp(-g) + 1f) * gateUp[go + inter + e];
        }
    }
}
