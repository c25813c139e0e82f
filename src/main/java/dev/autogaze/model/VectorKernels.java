package dev.autogaze.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the incubating Vector API: register-blocked FMA tiles (up to 4 rows × 2 vectors) and a vector
 * exp (SVML-backed in HotSpot), which the attention softmax needs hundreds of millions of times per clip. Each tile
 * is its own small method: C2 only intrinsifies vector ops it inlines, and a large method can exhaust the inlining
 * budget and fall back to the (allocation-heavy) Java implementation. Loaded only when jdk.incubator.vector is in
 * the boot layer (see {@link Kernels#best()}).
 */
final class VectorKernels extends Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    void matmul(float[] x, int xOff, int xStride, int rows, int k, float[] w, int wOff, int wStride,
                float[] y, int yOff, int yStride, int colFrom, int colTo) {
        int step = 2 * L;
        int vecEnd = colFrom + (colTo - colFrom) / step * step;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            for (int c = colFrom; c < vecEnd; c += step) {
                tile4(x, xOff + r * xStride, xStride, k, w, wOff + c, wStride, y, yOff + r * yStride + c, yStride);
            }
        }
        for (; r + 2 <= rows; r += 2) {
            for (int c = colFrom; c < vecEnd; c += step) {
                tile2(x, xOff + r * xStride, xStride, k, w, wOff + c, wStride, y, yOff + r * yStride + c, yStride);
            }
        }
        for (; r < rows; r++) {
            for (int c = colFrom; c < vecEnd; c += step) {
                tile1(x, xOff + r * xStride, k, w, wOff + c, wStride, y, yOff + r * yStride + c);
            }
        }
        if (vecEnd < colTo) {
            for (r = 0; r < rows; r++) {
                int xo = xOff + r * xStride;
                int yo = yOff + r * yStride;
                for (int c = vecEnd; c < colTo; c++) {
                    float acc = 0f;
                    for (int d = 0; d < k; d++) {
                        acc = Math.fma(x[xo + d], w[wOff + d * wStride + c], acc);
                    }
                    y[yo + c] = acc;
                }
            }
        }
    }

    private static void tile4(float[] x, int x0, int xs, int k, float[] w, int wo, int ws, float[] y, int y0, int ys) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S);
        FloatVector a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S);
        FloatVector a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S);
        FloatVector a31 = FloatVector.zero(S);
        int x1 = x0 + xs;
        int x2 = x1 + xs;
        int x3 = x2 + xs;
        for (int d = 0; d < k; d++, wo += ws) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
            FloatVector b0 = FloatVector.broadcast(S, x[x0 + d]);
            FloatVector b1 = FloatVector.broadcast(S, x[x1 + d]);
            FloatVector b2 = FloatVector.broadcast(S, x[x2 + d]);
            FloatVector b3 = FloatVector.broadcast(S, x[x3 + d]);
            a00 = w0.fma(b0, a00);
            a01 = w1.fma(b0, a01);
            a10 = w0.fma(b1, a10);
            a11 = w1.fma(b1, a11);
            a20 = w0.fma(b2, a20);
            a21 = w1.fma(b2, a21);
            a30 = w0.fma(b3, a30);
            a31 = w1.fma(b3, a31);
        }
        a00.intoArray(y, y0);
        a01.intoArray(y, y0 + L);
        a10.intoArray(y, y0 + ys);
        a11.intoArray(y, y0 + ys + L);
        a20.intoArray(y, y0 + 2 * ys);
        a21.intoArray(y, y0 + 2 * ys + L);
        a30.intoArray(y, y0 + 3 * ys);
        a31.intoArray(y, y0 + 3 * ys + L);
    }

    private static void tile2(float[] x, int x0, int xs, int k, float[] w, int wo, int ws, float[] y, int y0, int ys) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S);
        FloatVector a11 = FloatVector.zero(S);
        int x1 = x0 + xs;
        for (int d = 0; d < k; d++, wo += ws) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
            FloatVector b0 = FloatVector.broadcast(S, x[x0 + d]);
            FloatVector b1 = FloatVector.broadcast(S, x[x1 + d]);
            a00 = w0.fma(b0, a00);
            a01 = w1.fma(b0, a01);
            a10 = w0.fma(b1, a10);
            a11 = w1.fma(b1, a11);
        }
        a00.intoArray(y, y0);
        a01.intoArray(y, y0 + L);
        a10.intoArray(y, y0 + ys);
        a11.intoArray(y, y0 + ys + L);
    }

    private static void tile1(float[] x, int x0, int k, float[] w, int wo, int ws, float[] y, int y0) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        for (int d = 0; d < k; d++, wo += ws) {
            FloatVector b = FloatVector.broadcast(S, x[x0 + d]);
            a0 = FloatVector.fromArray(S, w, wo).fma(b, a0);
            a1 = FloatVector.fromArray(S, w, wo + L).fma(b, a1);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + L);
    }

    @Override
    void dotRows(float[] p, int pOff, int pStride, int rows, float[] vt, int vtOff, int vtStride, int len,
                 float[] out, int outOff, int outStride, int dims) {
        int end = padded(len);
        int evenDims = dims & ~1;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            for (int d = 0; d < evenDims; d += 2) {
                dot4x2(p, pOff + r * pStride, pStride, vt, vtOff + d * vtStride, vtStride, end, out,
                        outOff + r * outStride + d, outStride);
            }
        }
        for (; r + 2 <= rows; r += 2) {
            for (int d = 0; d < evenDims; d += 2) {
                dot2x2(p, pOff + r * pStride, pStride, vt, vtOff + d * vtStride, vtStride, end, out,
                        outOff + r * outStride + d, outStride);
            }
        }
        for (; r < rows; r++) {
            for (int d = 0; d < evenDims; d++) {
                out[outOff + r * outStride + d] = dot(p, pOff + r * pStride, vt, vtOff + d * vtStride, end);
            }
        }
        for (int d = evenDims; d < dims; d++) {
            for (r = 0; r < rows; r++) {
                out[outOff + r * outStride + d] = dot(p, pOff + r * pStride, vt, vtOff + d * vtStride, end);
            }
        }
    }

    private static void dot4x2(float[] p, int p0, int ps, float[] vt, int v0, int vs, int end, float[] out, int o,
                               int os) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S);
        FloatVector a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S);
        FloatVector a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S);
        FloatVector a31 = FloatVector.zero(S);
        int v1 = v0 + vs;
        int p1 = p0 + ps;
        int p2 = p1 + ps;
        int p3 = p2 + ps;
        for (int j = 0; j < end; j += L) {
            FloatVector c0 = FloatVector.fromArray(S, vt, v0 + j);
            FloatVector c1 = FloatVector.fromArray(S, vt, v1 + j);
            FloatVector q0 = FloatVector.fromArray(S, p, p0 + j);
            FloatVector q1 = FloatVector.fromArray(S, p, p1 + j);
            FloatVector q2 = FloatVector.fromArray(S, p, p2 + j);
            FloatVector q3 = FloatVector.fromArray(S, p, p3 + j);
            a00 = q0.fma(c0, a00);
            a01 = q0.fma(c1, a01);
            a10 = q1.fma(c0, a10);
            a11 = q1.fma(c1, a11);
            a20 = q2.fma(c0, a20);
            a21 = q2.fma(c1, a21);
            a30 = q3.fma(c0, a30);
            a31 = q3.fma(c1, a31);
        }
        out[o] = a00.reduceLanes(VectorOperators.ADD);
        out[o + 1] = a01.reduceLanes(VectorOperators.ADD);
        out[o + os] = a10.reduceLanes(VectorOperators.ADD);
        out[o + os + 1] = a11.reduceLanes(VectorOperators.ADD);
        out[o + 2 * os] = a20.reduceLanes(VectorOperators.ADD);
        out[o + 2 * os + 1] = a21.reduceLanes(VectorOperators.ADD);
        out[o + 3 * os] = a30.reduceLanes(VectorOperators.ADD);
        out[o + 3 * os + 1] = a31.reduceLanes(VectorOperators.ADD);
    }

    private static void dot2x2(float[] p, int p0, int ps, float[] vt, int v0, int vs, int end, float[] out, int o,
                               int os) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S);
        FloatVector a11 = FloatVector.zero(S);
        int v1 = v0 + vs;
        int p1 = p0 + ps;
        for (int j = 0; j < end; j += L) {
            FloatVector c0 = FloatVector.fromArray(S, vt, v0 + j);
            FloatVector c1 = FloatVector.fromArray(S, vt, v1 + j);
            FloatVector q0 = FloatVector.fromArray(S, p, p0 + j);
            FloatVector q1 = FloatVector.fromArray(S, p, p1 + j);
            a00 = q0.fma(c0, a00);
            a01 = q0.fma(c1, a01);
            a10 = q1.fma(c0, a10);
            a11 = q1.fma(c1, a11);
        }
        out[o] = a00.reduceLanes(VectorOperators.ADD);
        out[o + 1] = a01.reduceLanes(VectorOperators.ADD);
        out[o + os] = a10.reduceLanes(VectorOperators.ADD);
        out[o + os + 1] = a11.reduceLanes(VectorOperators.ADD);
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int end) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < end; j += L) {
            acc = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    float scaleMaskMax(float[] s, int off, int limit, float scale, float[] bias) {
        int vecEnd = limit / L * L;
        float m = vecEnd == 0 ? Float.NEGATIVE_INFINITY : scaleMaskMaxVector(s, off, vecEnd, scale, bias);
        for (int j = vecEnd; j < limit; j++) {
            float x = s[off + j] * scale + bias[j];
            s[off + j] = x;
            m = Math.max(m, x);
        }
        for (int j = limit, end = padded(limit); j < end; j++) {
            s[off + j] = Float.NEGATIVE_INFINITY;
        }
        return m;
    }

    private static float scaleMaskMaxVector(float[] s, int off, int vecEnd, float scale, float[] bias) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < vecEnd; j += L) {
            FloatVector x = FloatVector.fromArray(S, s, off + j).mul(scale).add(FloatVector.fromArray(S, bias, j));
            x.intoArray(s, off + j);
            max = max.max(x);
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    @Override
    float expSum(float[] s, int off, int len, float max) {
        int full = len / L * L;
        float total = expVector(s, off, padded(len), full, max);
        for (int j = full; j < len; j++) {
            total += s[off + j];
        }
        return total;
    }

    /** exp(s − max) in place over [0, end); returns the lane sum over [0, full). */
    private static float expVector(float[] s, int off, int end, int full, float max) {
        FloatVector sum = FloatVector.zero(S);
        FloatVector shift = FloatVector.broadcast(S, max);
        for (int j = 0; j < end; j += L) {
            FloatVector e = FloatVector.fromArray(S, s, off + j).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(s, off + j);
            if (j < full) {
                sum = sum.add(e);
            }
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
