package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SIMD kernels agree with the plain-Java ones on seeded random shapes, ragged tails included. */
class KernelsTest {

    private final Kernels scalar = Kernels.scalar();
    private final Kernels best = Kernels.best();
    private final Random random = new Random(42);

    @Test
    void theVectorApiIsActiveInTheTestJvm() {
        assertTrue(best.name().startsWith("vector-"), "surefire runs with --add-modules jdk.incubator.vector: "
                + best.name());
    }

    @Test
    void aLinearOfAnyColumnRangeGivesTheSameBitsAsTheWholeProductAndMatchesTheDefinition() {
        for (Kernels kernels : new Kernels[] {best, scalar}) {
            for (int rows : new int[] {1, 2, 3, 5, 7, 10, 17}) { // every row tile: 8, 4, 2, 1
                int in = 1 + random.nextInt(70);
                int out = 100;
                float[] w = gaussian(out * in); // PyTorch layout [out][in]
                float[] x = gaussian(rows * in);
                Linear linear = new Linear(in, w);
                float[] whole = new float[rows * out];
                linear.applyColumns(kernels, x, 0, rows, whole, 0, 0, out);
                float[] pieces = new float[rows * out];
                for (int[] range : new int[][] {{0, 13}, {13, 64}, {64, 65}, {65, 100}}) {
                    linear.applyColumns(kernels, x, 0, rows, pieces, 0, range[0], range[1]);
                }
                String what = kernels.name() + " rows " + rows + " in " + in;
                assertArrayEquals(whole, pieces, what);
                float[] expected = new float[rows * out];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < out; c++) {
                        double acc = 0;
                        for (int d = 0; d < in; d++) {
                            acc += (double) x[r * in + d] * w[c * in + d];
                        }
                        expected[r * out + c] = (float) acc;
                    }
                }
                assertClose(expected, whole, what);
            }
        }
    }

    @Test
    void siluIsTheSameBitsOnBothPathsAndCloseToItsDefinition() {
        int inter = 37;
        float[] gateUp = gaussian(2 * inter + 3);
        gateUp[3] = -120f; // exp(120) overflows: silu is −0, as in PyTorch
        gateUp[4] = 95f;
        for (int i = 5; i < 2 * inter; i += 3) {
            gateUp[i] *= 8;
        }
        float[] a = new float[inter + 1];
        float[] b = new float[inter + 1];
        scalar.silu(gateUp, 1, a, 1, 0, inter, inter);
        best.silu(gateUp, 1, b, 1, 0, inter, inter);
        for (int e = 0; e < inter; e++) {
            float g = gateUp[1 + e];
            float expected = (float) (g / (1 + Math.exp(-g)) * gateUp[1 + inter + e]);
            assertEquals(Float.floatToIntBits(a[1 + e]), Float.floatToIntBits(b[1 + e]), "element " + e);
            assertEquals(expected, b[1 + e], 1e-6 * (1 + Math.abs(expected)), "element " + e);
        }
    }

    @Test
    void keyScoresReadTheBlockedKeyLayout() {
        for (int rows : new int[] {1, 2, 5, 10, 16}) {
            for (int k : new int[] {16, 32, 48}) {
                int cols = 96;
                float[] x = gaussian(rows * k);
                float[] w = gaussian(5 + k * cols);
                float[] expected = new float[rows * cols];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        double acc = 0;
                        for (int d = 0; d < k; d++) {
                            acc += x[r * k + d] * w[5 + (j / 32) * k * 32 + d * 32 + j % 32];
                        }
                        expected[r * cols + j] = (float) acc;
                    }
                }
                float[] a = new float[rows * cols];
                float[] b = new float[rows * cols];
                scalar.keyScores(x, 0, k, rows, k, w, 5, a, 0, cols, cols);
                best.keyScores(x, 0, k, rows, k, w, 5, b, 0, cols, cols);
                assertClose(expected, a, "scalar rows " + rows + " k " + k);
                assertClose(expected, b, "vector rows " + rows + " k " + k);
            }
        }
    }

    @Test
    void weightedSumAgreesForAnyRowCountHeadSizeAndLength() {
        for (int rows : new int[] {1, 2, 3, 8, 10, 16, 17}) {
            for (int dims : new int[] {16, 20, 32, 48, 64}) {
                for (int len : new int[] {1, 31, 256, 257, 700}) {
                    int stride = Kernels.padded(len);
                    float[] p = gaussian(rows * stride);
                    float[] v = gaussian(len * dims + 5);
                    float[] a = new float[rows * dims];
                    float[] b = new float[rows * dims];
                    scalar.weightedSum(p, 0, stride, rows, v, 5, len, a, 0, dims, dims);
                    best.weightedSum(p, 0, stride, rows, v, 5, len, b, 0, dims, dims);
                    assertClose(a, b, "rows " + rows + " dims " + dims + " len " + len);
                }
            }
        }
    }

    @Test
    void softmaxPiecesAgreeAndMaskedOrPaddedEntriesBecomeZero() {
        for (int limit : new int[] {1, 15, 16, 33, 500}) {
            float[] bias = new float[Kernels.padded(limit)];
            for (int j = 0; j < limit; j++) {
                bias[j] = j % 7 == 3 && j > 0 ? Float.NEGATIVE_INFINITY : 0f;
            }
            float[] s1 = gaussian(Kernels.padded(limit));
            float[] s2 = s1.clone();
            float m1 = scalar.scaleMaskMax(s1, 0, limit, 0.25f, bias);
            float m2 = best.scaleMaskMax(s2, 0, limit, 0.25f, bias);
            assertEquals(m1, m2);
            float sum1 = scalar.expSum(s1, 0, limit, m1);
            float sum2 = best.expSum(s2, 0, limit, m2);
            assertEquals(sum1, sum2, 1e-5 * sum1);
            for (int j = 0; j < s2.length; j++) {
                if (j >= limit || bias[j] != 0f) {
                    assertEquals(0f, s2[j], "entry " + j + " of limit " + limit);
                }
                // the same exp bits on both paths (so on every JIT tier: the fallback of each vector op is exact)
                assertEquals(Float.floatToIntBits(s1[j]), Float.floatToIntBits(s2[j]), "exp of entry " + j);
            }
        }
    }

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }
}
