package dev.autogaze.model.cuda;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The device layouts of a decoder projection (no GPU needed): the tiled GEMMs read W [n][k], gemm_rows its transpose,
 * and the SwiGLU epilogues of both expect gate i and up i side by side.
 */
class WeightLayoutsTest {

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        return x;
    }

    private static float[] row(float[] m, int r, int k) {
        float[] out = new float[k];
        System.arraycopy(m, r * k, out, 0, k);
        return out;
    }

    @Test
    void aPlainWeightKeepsItsRowsAndTheTransposeMirrorsThem() {
        int n = 5;
        int k = 3;
        float[] data = random(n * k, 1);
        float[][] both = CudaWeights.layouts(data, k, false);
        assertArrayEquals(data, both[0]);
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < k; j++) {
                assertEquals(data[c * k + j], both[1][j * n + c], "column " + c + ", k " + j);
            }
        }
    }

    @Test
    void aGateUpWeightInterleavesItsHalvesTheSameWayInBothLayouts() {
        int inter = 4;
        int n = 2 * inter;
        int k = 6;
        float[] data = random(n * k, 2); // rows 0..3 the gate projection, rows 4..7 the up projection
        float[][] both = CudaWeights.layouts(data, k, true);
        for (int i = 0; i < inter; i++) {
            assertArrayEquals(row(data, i, k), row(both[0], 2 * i, k), "gate " + i);
            assertArrayEquals(row(data, inter + i, k), row(both[0], 2 * i + 1, k), "up " + i);
        }
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < k; j++) {
                assertEquals(both[0][c * k + j], both[1][j * n + c], "column " + c + ", k " + j);
            }
        }
    }
}
