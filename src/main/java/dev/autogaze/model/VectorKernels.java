package dev.autogaze.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the incubating Vector API: register-blocked FMA tiles (up to 8 rows × 2 vectors) and a vector
 * exp ({@link PortableExp}), which the attention softmax needs hundreds of millions of times per clip. Each tile
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
    void keyScores(float[] x, int xOff, int xStride, int rows, int k, float[] w, int wOff, float[] y, int yOff,
                   int yStride, int cols) {
        int step = 2 * L;
        int c = 0;
        if (rows == 1) {
            for (; c + 2 * step <= cols; c += 2 * step) {
                int c2 = c + step;
                tile1x4(x, xOff, k, w, wOff + (c / KEY_BLOCK) * k * KEY_BLOCK + c % KEY_BLOCK,
                        wOff + (c2 / KEY_BLOCK) * k * KEY_BLOCK + c2 % KEY_BLOCK, y, yOff + c);
            }
        }
        for (; c < cols; c += step) {
            int wo = wOff + (c / KEY_BLOCK) * k * KEY_BLOCK + c % KEY_BLOCK;
            int r = 0;
            for (; r + 8 <= rows; r += 8) {
                tile8(x, xOff + r * xStride, xStride, k, w, wo, KEY_BLOCK, y, yOff + r * yStride + c, yStride);
            }
            for (; r + 4 <= rows; r += 4) {
                tile4(x, xOff + r * xStride, xStride, k, w, wo, KEY_BLOCK, y, yOff + r * yStride + c, yStride);
            }
            for (; r + 2 <= rows; r += 2) {
                tile2(x, xOff + r * xStride, xStride, k, w, wo, KEY_BLOCK, y, yOff + r * yStride + c, yStride);
            }
            for (; r < rows; r++) {
                tile1(x, xOff + r * xStride, k, w, wo, KEY_BLOCK, y, yOff + r * yStride + c);
            }
        }
    }

    private static void tile8(float[] x, int x0, int xs, int k, float[] w, int wo, int ws, float[] y, int y0, int ys) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S);
        FloatVector a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S);
        FloatVector a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S);
        FloatVector a31 = FloatVector.zero(S);
        FloatVector a40 = FloatVector.zero(S);
        FloatVector a41 = FloatVector.zero(S);
        FloatVector a50 = FloatVector.zero(S);
        FloatVector a51 = FloatVector.zero(S);
        FloatVector a60 = FloatVector.zero(S);
        FloatVector a61 = FloatVector.zero(S);
        FloatVector a70 = FloatVector.zero(S);
        FloatVector a71 = FloatVector.zero(S);
        for (int d = 0; d < k; d++, wo += ws) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
            int xd = x0 + d;
            FloatVector b = FloatVector.broadcast(S, x[xd]);
            a00 = w0.fma(b, a00);
            a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(S, x[xd + xs]);
            a10 = w0.fma(b, a10);
            a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(S, x[xd + 2 * xs]);
            a20 = w0.fma(b, a20);
            a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(S, x[xd + 3 * xs]);
            a30 = w0.fma(b, a30);
            a31 = w1.fma(b, a31);
            b = FloatVector.broadcast(S, x[xd + 4 * xs]);
            a40 = w0.fma(b, a40);
            a41 = w1.fma(b, a41);
            b = FloatVector.broadcast(S, x[xd + 5 * xs]);
            a50 = w0.fma(b, a50);
            a51 = w1.fma(b, a51);
            b = FloatVector.broadcast(S, x[xd + 6 * xs]);
            a60 = w0.fma(b, a60);
            a61 = w1.fma(b, a61);
            b = FloatVector.broadcast(S, x[xd + 7 * xs]);
            a70 = w0.fma(b, a70);
            a71 = w1.fma(b, a71);
        }
        a00.intoArray(y, y0);
        a01.intoArray(y, y0 + L);
        a10.intoArray(y, y0 + ys);
        a11.intoArray(y, y0 + ys + L);
        a20.intoArray(y, y0 + 2 * ys);
        a21.intoArray(y, y0 + 2 * ys + L);
        a30.intoArray(y, y0 + 3 * ys);
        a31.intoArray(y, y0 + 3 * ys + L);
        a40.intoArray(y, y0 + 4 * ys);
        a41.intoArray(y, y0 + 4 * ys + L);
        a50.intoArray(y, y0 + 5 * ys);
        a51.intoArray(y, y0 + 5 * ys + L);
        a60.intoArray(y, y0 + 6 * ys);
        a61.intoArray(y, y0 + 6 * ys + L);
        a70.intoArray(y, y0 + 7 * ys);
        a71.intoArray(y, y0 + 7 * ys + L);
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

    /**
     * One row against two column chunks of the blocked layout at once (the last layer's MLP and the lm head of a
     * decode call): one row's two accumulators alone would wait on FMA latency.
     */
    private static void tile1x4(float[] x, int x0, int k, float[] w, int wa, int wb, float[] y, int y0) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (int d = 0; d < k; d++, wa += KEY_BLOCK, wb += KEY_BLOCK) {
            FloatVector b = FloatVector.broadcast(S, x[x0 + d]);
            a0 = FloatVector.fromArray(S, w, wa).fma(b, a0);
            a1 = FloatVector.fromArray(S, w, wa + L).fma(b, a1);
            a2 = FloatVector.fromArray(S, w, wb).fma(b, a2);
            a3 = FloatVector.fromArray(S, w, wb + L).fma(b, a3);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + L);
        a2.intoArray(y, y0 + 2 * L);
        a3.intoArray(y, y0 + 3 * L);
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

    /** Values per block of the weighted sum: 256 tokens x 32 dims = 32 KiB stays in L1/L2 for every row tile. */
    private static final int VALUE_BLOCK = 256;

    @Override
    void weightedSum(float[] p, int pOff, int pStride, int rows, float[] v, int vOff, int len, float[] out,
                     int outOff, int outStride, int dims) {
        int pairEnd = dims / (2 * L) * (2 * L);
        int vecEnd = dims / L * L;
        for (int j0 = 0; j0 < len; j0 += VALUE_BLOCK) {
            int n = Math.min(VALUE_BLOCK, len - j0);
            boolean accumulate = j0 > 0;
            for (int c = 0; c < pairEnd; c += 2 * L) {
                int vo = vOff + j0 * dims + c;
                int r = 0;
                for (; r + 8 <= rows; r += 8) {
                    axpy8x2(p, pOff + r * pStride + j0, pStride, v, vo, dims, n, out, outOff + r * outStride + c,
                            outStride, accumulate);
                }
                for (; r + 2 <= rows; r += 2) {
                    axpy2x2(p, pOff + r * pStride + j0, pStride, v, vo, dims, n, out, outOff + r * outStride + c,
                            outStride, accumulate);
                }
                for (; r < rows; r++) {
                    axpy1x2(p, pOff + r * pStride + j0, v, vo, dims, n, out, outOff + r * outStride + c, accumulate);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = pairEnd; c < vecEnd; c += L) {
                axpy1x1(p, pOff + r * pStride, v, vOff + c, dims, len, out, outOff + r * outStride + c);
            }
            for (int c = vecEnd; c < dims; c++) {
                float acc = 0f;
                for (int j = 0; j < len; j++) {
                    acc = Math.fma(p[pOff + r * pStride + j], v[vOff + j * dims + c], acc);
                }
                out[outOff + r * outStride + c] = acc;
            }
        }
    }

    private static void axpy8x2(float[] p, int p0, int ps, float[] v, int vo, int vs, int len, float[] out, int o,
                                int os, boolean accumulate) {
        FloatVector a00 = start(out, o, accumulate);
        FloatVector a01 = start(out, o + L, accumulate);
        FloatVector a10 = start(out, o + os, accumulate);
        FloatVector a11 = start(out, o + os + L, accumulate);
        FloatVector a20 = start(out, o + 2 * os, accumulate);
        FloatVector a21 = start(out, o + 2 * os + L, accumulate);
        FloatVector a30 = start(out, o + 3 * os, accumulate);
        FloatVector a31 = start(out, o + 3 * os + L, accumulate);
        FloatVector a40 = start(out, o + 4 * os, accumulate);
        FloatVector a41 = start(out, o + 4 * os + L, accumulate);
        FloatVector a50 = start(out, o + 5 * os, accumulate);
        FloatVector a51 = start(out, o + 5 * os + L, accumulate);
        FloatVector a60 = start(out, o + 6 * os, accumulate);
        FloatVector a61 = start(out, o + 6 * os + L, accumulate);
        FloatVector a70 = start(out, o + 7 * os, accumulate);
        FloatVector a71 = start(out, o + 7 * os + L, accumulate);
        for (int j = 0; j < len; j++, vo += vs) {
            FloatVector c0 = FloatVector.fromArray(S, v, vo);
            FloatVector c1 = FloatVector.fromArray(S, v, vo + L);
            int pj = p0 + j;
            FloatVector b = FloatVector.broadcast(S, p[pj]);
            a00 = c0.fma(b, a00);
            a01 = c1.fma(b, a01);
            b = FloatVector.broadcast(S, p[pj + ps]);
            a10 = c0.fma(b, a10);
            a11 = c1.fma(b, a11);
            b = FloatVector.broadcast(S, p[pj + 2 * ps]);
            a20 = c0.fma(b, a20);
            a21 = c1.fma(b, a21);
            b = FloatVector.broadcast(S, p[pj + 3 * ps]);
            a30 = c0.fma(b, a30);
            a31 = c1.fma(b, a31);
            b = FloatVector.broadcast(S, p[pj + 4 * ps]);
            a40 = c0.fma(b, a40);
            a41 = c1.fma(b, a41);
            b = FloatVector.broadcast(S, p[pj + 5 * ps]);
            a50 = c0.fma(b, a50);
            a51 = c1.fma(b, a51);
            b = FloatVector.broadcast(S, p[pj + 6 * ps]);
            a60 = c0.fma(b, a60);
            a61 = c1.fma(b, a61);
            b = FloatVector.broadcast(S, p[pj + 7 * ps]);
            a70 = c0.fma(b, a70);
            a71 = c1.fma(b, a71);
        }
        a00.intoArray(out, o);
        a01.intoArray(out, o + L);
        a10.intoArray(out, o + os);
        a11.intoArray(out, o + os + L);
        a20.intoArray(out, o + 2 * os);
        a21.intoArray(out, o + 2 * os + L);
        a30.intoArray(out, o + 3 * os);
        a31.intoArray(out, o + 3 * os + L);
        a40.intoArray(out, o + 4 * os);
        a41.intoArray(out, o + 4 * os + L);
        a50.intoArray(out, o + 5 * os);
        a51.intoArray(out, o + 5 * os + L);
        a60.intoArray(out, o + 6 * os);
        a61.intoArray(out, o + 6 * os + L);
        a70.intoArray(out, o + 7 * os);
        a71.intoArray(out, o + 7 * os + L);
    }

    private static FloatVector start(float[] out, int o, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(S, out, o) : FloatVector.zero(S);
    }

    private static void axpy2x2(float[] p, int p0, int ps, float[] v, int vo, int vs, int len, float[] out, int o,
                                int os, boolean accumulate) {
        FloatVector a00 = start(out, o, accumulate);
        FloatVector a01 = start(out, o + L, accumulate);
        FloatVector a10 = start(out, o + os, accumulate);
        FloatVector a11 = start(out, o + os + L, accumulate);
        for (int j = 0; j < len; j++, vo += vs) {
            FloatVector c0 = FloatVector.fromArray(S, v, vo);
            FloatVector c1 = FloatVector.fromArray(S, v, vo + L);
            FloatVector b = FloatVector.broadcast(S, p[p0 + j]);
            a00 = c0.fma(b, a00);
            a01 = c1.fma(b, a01);
            b = FloatVector.broadcast(S, p[p0 + ps + j]);
            a10 = c0.fma(b, a10);
            a11 = c1.fma(b, a11);
        }
        a00.intoArray(out, o);
        a01.intoArray(out, o + L);
        a10.intoArray(out, o + os);
        a11.intoArray(out, o + os + L);
    }

    private static void axpy1x2(float[] p, int p0, float[] v, int vo, int vs, int len, float[] out, int o,
                                boolean accumulate) {
        FloatVector a0 = start(out, o, accumulate);
        FloatVector a1 = start(out, o + L, accumulate);
        for (int j = 0; j < len; j++, vo += vs) {
            FloatVector b = FloatVector.broadcast(S, p[p0 + j]);
            a0 = FloatVector.fromArray(S, v, vo).fma(b, a0);
            a1 = FloatVector.fromArray(S, v, vo + L).fma(b, a1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + L);
    }

    private static void axpy1x1(float[] p, int p0, float[] v, int vo, int vs, int len, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(S);
        for (int j = 0; j < len; j++, vo += vs) {
            a0 = FloatVector.fromArray(S, v, vo).fma(FloatVector.broadcast(S, p[p0 + j]), a0);
        }
        a0.intoArray(out, o);
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

    /**
     * exp(s − max) in place over [0, end); returns the lane sum over [0, full). Two loops rather than a conditional
     * add: C2 (JDK 17) could not keep a conditionally updated accumulator in a register and ran the add through
     * the boxed Java fallback (a tenth of the decode profile).
     */
    private static float expVector(float[] s, int off, int end, int full, float max) {
        FloatVector sum = FloatVector.zero(S);
        FloatVector shift = FloatVector.broadcast(S, max);
        int j = 0;
        for (; j < full; j += L) {
            FloatVector e = exp(FloatVector.fromArray(S, s, off + j).sub(shift));
            e.intoArray(s, off + j);
            sum = sum.add(e);
        }
        for (; j < end; j += L) {
            exp(FloatVector.fromArray(S, s, off + j).sub(shift)).intoArray(s, off + j);
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }

    @Override
    void silu(float[] gateUp, int go, float[] act, int ao, int e0, int e1, int inter) {
        int e = e0;
        for (; e + L <= e1; e += L) {
            FloatVector g = FloatVector.fromArray(S, gateUp, go + e);
            FloatVector up = FloatVector.fromArray(S, gateUp, go + inter + e);
            g.div(exp(g.neg()).add(1f)).mul(up).intoArray(act, ao + e);
        }
        for (; e < e1; e++) {
            float g = gateUp[go + e];
            act[ao + e] = g / (PortableExp.exp(-g) + 1f) * gateUp[go + inter + e];
        }
    }

    /** {@link PortableExp#exp} on every lane, the same operations in the same order. */
    private static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.LT, PortableExp.CUTOFF).or(x.test(VectorOperators.IS_NAN));
        VectorMask<Float> over = x.compare(VectorOperators.GT, PortableExp.OVERFLOW);
        FloatVector t = x.fma(PortableExp.LOG2E, PortableExp.ROUNDER);
        FloatVector n = t.sub(PortableExp.ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -PortableExp.LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -PortableExp.LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, PortableExp.P0).fma(r, FloatVector.broadcast(S, PortableExp.P1));
        p = p.fma(r, FloatVector.broadcast(S, PortableExp.P2));
        p = p.fma(r, FloatVector.broadcast(S, PortableExp.P3));
        p = p.fma(r, FloatVector.broadcast(S, PortableExp.P4));
        p = p.fma(r, FloatVector.broadcast(S, PortableExp.P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(PortableExp.EXPONENT_BIAS)
                .reinterpretAsFloats();
        return y.mul(scale).blend(Float.POSITIVE_INFINITY, over).blend(0f, under);
    }
}
