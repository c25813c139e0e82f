package dev.autogaze.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the incubating Vector API: register-blocked FMA products (4 rows × 2 vectors) and a vector exp
 * (SVML-backed in HotSpot), which the attention softmax needs hundreds of millions of times per clip.
 * Loaded only when jdk.incubator.vector is in the boot layer (see {@link Kernels#best()}).
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
            int x0 = xOff + r * xStride;
            int x1 = x0 + xStride;
            int x2 = x1 + xStride;
            int x3 = x2 + xStride;
            int y0 = yOff + r * yStride;
            for (int c = colFrom; c < vecEnd; c += step) {
                FloatVector a00 = FloatVector.zero(S);
                FloatVector a01 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S);
                FloatVector a11 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S);
                FloatVector a21 = FloatVector.zero(S);
                FloatVector a30 = FloatVector.zero(S);
                FloatVector a31 = FloatVector.zero(S);
                int wo = wOff + c;
                for (int d = 0; d < k; d++, wo += wStride) {
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
                a00.intoArray(y, y0 + c);
                a01.intoArray(y, y0 + c + L);
                a10.intoArray(y, y0 + yStride + c);
                a11.intoArray(y, y0 + yStride + c + L);
                a20.intoArray(y, y0 + 2 * yStride + c);
                a21.intoArray(y, y0 + 2 * yStride + c + L);
                a30.intoArray(y, y0 + 3 * yStride + c);
                a31.intoArray(y, y0 + 3 * yStride + c + L);
            }
        }
        for (; r < rows; r++) {
            int xo = xOff + r * xStride;
            int yo = yOff + r * yStride;
            for (int c = colFrom; c < vecEnd; c += step) {
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S);
                int wo = wOff + c;
                for (int d = 0; d < k; d++, wo += wStride) {
                    FloatVector b = FloatVector.broadcast(S, x[xo + d]);
                    a0 = FloatVector.fromArray(S, w, wo).fma(b, a0);
                    a1 = FloatVector.fromArray(S, w, wo + L).fma(b, a1);
                }
                a0.intoArray(y, yo + c);
                a1.intoArray(y, yo + c + L);
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

    @Override
    void dotRows(float[] p, int pOff, int pStride, int rows, float[] vt, int vtOff, int vtStride, int len,
                 float[] out, int outOff, int outStride, int dims) {
        int end = padded(len);
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int p0 = pOff + r * pStride;
            int p1 = p0 + pStride;
            int p2 = p1 + pStride;
            int p3 = p2 + pStride;
            int o = outOff + r * outStride;
            int d = 0;
            for (; d + 2 <= dims; d += 2) {
                int v0 = vtOff + d * vtStride;
                int v1 = v0 + vtStride;
                FloatVector a00 = FloatVector.zero(S);
                FloatVector a01 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S);
                FloatVector a11 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S);
                FloatVector a21 = FloatVector.zero(S);
                FloatVector a30 = FloatVector.zero(S);
                FloatVector a31 = FloatVector.zero(S);
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
                out[o + d] = a00.reduceLanes(VectorOperators.ADD);
                out[o + d + 1] = a01.reduceLanes(VectorOperators.ADD);
                out[o + outStride + d] = a10.reduceLanes(VectorOperators.ADD);
                out[o + outStride + d + 1] = a11.reduceLanes(VectorOperators.ADD);
                out[o + 2 * outStride + d] = a20.reduceLanes(VectorOperators.ADD);
                out[o + 2 * outStride + d + 1] = a21.reduceLanes(VectorOperators.ADD);
                out[o + 3 * outStride + d] = a30.reduceLanes(VectorOperators.ADD);
                out[o + 3 * outStride + d + 1] = a31.reduceLanes(VectorOperators.ADD);
            }
            for (; d < dims; d++) {
                for (int rr = 0; rr < 4; rr++) {
                    out[o + rr * outStride + d] = dot(p, p0 + rr * pStride, vt, vtOff + d * vtStride, end);
                }
            }
        }
        for (; r < rows; r++) {
            int po = pOff + r * pStride;
            int o = outOff + r * outStride;
            for (int d = 0; d < dims; d++) {
                out[o + d] = dot(p, po, vt, vtOff + d * vtStride, end);
            }
        }
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
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < vecEnd; j += L) {
            FloatVector x = FloatVector.fromArray(S, s, off + j).mul(scale).add(FloatVector.fromArray(S, bias, j));
            x.intoArray(s, off + j);
            max = max.max(x);
        }
        float m = max.reduceLanes(VectorOperators.MAX);
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

    @Override
    float expSum(float[] s, int off, int len, float max) {
        int end = padded(len);
        int full = len / L * L;
        FloatVector sum = FloatVector.zero(S);
        FloatVector shift = FloatVector.broadcast(S, max);
        for (int j = 0; j < end; j += L) {
            FloatVector e = FloatVector.fromArray(S, s, off + j).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(s, off + j);
            if (j < full) {
                sum = sum.add(e);
            }
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (int j = full; j < len; j++) {
            total += s[off + j];
        }
        return total;
    }
}
