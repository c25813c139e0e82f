package dev.autogaze.model;

import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GemmTest {

    /** Threads sharing one off-heap operand (the encoder's weights) at different offsets get the sequential results. */
    @Test
    void concurrentProductsOnASharedOffHeapOperandGiveTheSequentialResults() throws Exception {
        int m = 64;
        int k = 96;
        int n = 32;
        int parts = 4;
        SplittableRandom r = new SplittableRandom(5);
        float[] w = new float[parts * n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextDouble(-1, 1);
        }
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (FloatPointer shared = new FloatPointer(w); FloatPointer xs = new FloatPointer(x)) {
            float[][] expected = new float[parts][m * n];
            for (int p = 0; p < parts; p++) {
                try (FloatPointer y = new FloatPointer((long) m * n)) {
                    Gemm.sgemm(false, true, m, n, k, 1f, xs, 0, k, shared, (long) p * n * k, k, 0f, y, 0, n);
                    y.get(expected[p]);
                }
            }
            var futures = new java.util.ArrayList<java.util.concurrent.Future<float[]>>();
            for (int round = 0; round < 200; round++) {
                for (int p = 0; p < parts; p++) {
                    long offset = (long) p * n * k;
                    futures.add(pool.submit(() -> {
                        float[] out = new float[m * n];
                        try (FloatPointer y = new FloatPointer((long) m * n)) {
                            Gemm.sgemm(false, true, m, n, k, 1f, xs, 0, k, shared, offset, k, 0f, y, 0, n);
                            y.get(out);
                        }
                        return out;
                    }));
                }
            }
            for (int f = 0; f < futures.size(); f++) {
                assertArrayEquals(expected[f % parts], futures.get(f).get(), "product " + f);
            }
            assertEquals(0, shared.position(), "the caller's pointer is not moved");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void linearMultipliesByTheTransposedTorchWeight() {
        // x = [[1,2,3],[4,5,6]], W[out=2,in=3] = [[1,0,-1],[2,1,0]] -> y = x W^T = [[-2,4],[-2,13]]
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] w = {1, 0, -1, 2, 1, 0};
        float[] y = new float[4];
        Gemm.linear(x, 2, 3, w, 2, y);
        assertArrayEquals(new float[] {-2, 4, -2, 13}, y);
    }

    @Test
    void betaOneAccumulatesAndBetaZeroOverwrites() {
        float[] a = {1, 2};          // [1,2]
        float[] b = {3, 4};          // [2,1]
        float[] c = {10};
        Gemm.sgemm(false, false, 1, 1, 2, 1f, a, 2, b, 1, 1f, c, 1);
        assertEquals(21f, c[0]);
        c[0] = Float.NaN;
        Gemm.sgemm(false, false, 1, 1, 2, 1f, a, 2, b, 1, 0f, c, 1);
        assertEquals(11f, c[0]);
    }

    @Test
    void offHeapWithOffsetsAndTransposesMatchesNaiveProduct() {
        SplittableRandom r = new SplittableRandom(7);
        int m = 13, n = 9, k = 21, off = 5;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(r, m * k);
                float[] b = random(r, k * n);
                float[] expected = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            float av = ta ? a[p * m + i] : a[i * k + p];
                            float bv = tb ? b[j * k + p] : b[p * n + j];
                            s += (double) av * bv;
                        }
                        expected[i * n + j] = (float) s;
                    }
                }
                try (FloatPointer pa = new FloatPointer(off + a.length);
                     FloatPointer pb = new FloatPointer(off + b.length);
                     FloatPointer pc = new FloatPointer(off + m * n)) {
                    pa.position(off).put(a, 0, a.length).position(0);
                    pb.position(off).put(b, 0, b.length).position(0);
                    Gemm.sgemm(ta, tb, m, n, k, 1f, pa, off, ta ? m : k, pb, off, tb ? k : n, 0f, pc, off, n);
                    assertEquals(0L, pa.position());
                    float[] got = new float[m * n];
                    pc.position(off).get(got, 0, got.length).position(0);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(expected[i], got[i], 1e-4f, "ta=" + ta + " tb=" + tb + " at " + i);
                    }
                                    }
            }
        }
    }

    @Test
    void arrayOffsetsSelectSubmatricesAndLeaveTheRestAlone() {
        // A = [[1,2],[3,4]] at offset 2 of a padded array; B = the 2x2 weight [[0,1],[1,0]] (transposed use swaps
        // columns); C written at offset 1 with row stride 3.
        float[] a = {9, 9, 1, 2, 3, 4};
        float[] w = {5, 0, 1, 1, 0};
        float[] c = {-1, -1, -1, -1, -1, -1, -1};
        Gemm.sgemm(false, true, 2, 2, 2, 1f, a, 2, 2, w, 1, 2, 0f, c, 1, 3);
        assertArrayEquals(new float[] {-1, 2, 1, -1, 4, 3, -1}, c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, true, 2, 2, 2, 1f, a, 3, 2, w, 1, 2, 0f, c, 1, 3));
        assertTrue(e.getMessage().contains("operand A needs 7 floats (offset 3"), e.getMessage());
    }

    @Test
    void operandTooSmallIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, new float[5], 3, new float[6], 2, 0f, new float[4], 2));
        assertTrue(e.getMessage().contains("operand A needs 6 floats"), e.getMessage());
    }

    @Test
    void strideBelowRowLengthIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, true, 2, 2, 3, 1f, new float[6], 2, new float[6], 3, 0f, new float[4], 2));
        assertTrue(e.getMessage().contains("lda=2"), e.getMessage());
    }

    static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
