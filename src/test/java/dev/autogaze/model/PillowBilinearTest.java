package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PillowBilinearTest {

    @Test
    void halvingUsesAWidenedTriangleOfThreeTaps() {
        // scale 2: support 2; sample 0 has centre 1.0 -> taps 0..2 with TRI weights .75,.75,.25 / 1.75 = 3/7,3/7,1/7
        PillowBilinear.Coefficients k = PillowBilinear.coefficients(4, 2);
        assertArrayEquals(new int[] {0, 1}, k.start());
        assertArrayEquals(new int[] {3, 3}, k.count());
        int big = (int) (3.0 / 7 * (1 << 22) + 0.5);   // 1797559
        int small = (int) (1.0 / 7 * (1 << 22) + 0.5); // 599186
        assertEquals(1797559, big);
        assertEquals(599186, small);
        assertArrayEquals(new int[] {big, big, small}, java.util.Arrays.copyOfRange(k.weights(), 0, 3));
        assertArrayEquals(new int[] {small, big, big}, java.util.Arrays.copyOfRange(k.weights(), k.stride(),
                k.stride() + 3));
    }

    @Test
    void doublingInterpolatesQuarterAndThreeQuarters() {
        PillowBilinear.Coefficients k = PillowBilinear.coefficients(2, 4);
        // sample 0: centre 0.25, one tap of weight 1; sample 1: centre 0.75, taps 0,1 with .75, .25
        assertEquals(1, k.count()[0]);
        assertEquals(1 << 22, k.weights()[0]);
        assertEquals(2, k.count()[1]);
        assertEquals(3 << 20, k.weights()[k.stride()]);
        assertEquals(1 << 20, k.weights()[k.stride() + 1]);
    }

    @Test
    void halvingARowRoundsInFixedPoint() {
        // one row of 4 grey pixels 0,70,140,210 -> 3/7*0+3/7*70+1/7*140 = 50 and 1/7*70+3/7*140+3/7*210 = 160
        byte[] row = new byte[12];
        int[] v = {0, 70, 140, 210};
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                row[i * 3 + c] = (byte) v[i];
            }
        }
        byte[] out = PillowBilinear.resize(row, 4, 1, 2, 1);
        assertEquals(50, out[0] & 0xFF);
        assertEquals(160, out[3] & 0xFF);
    }

    @Test
    void sameSizeIsACopy() {
        byte[] in = new byte[2 * 3 * 3];
        new SplittableRandom(1).nextBytes(in);
        byte[] out = PillowBilinear.resize(in, 2, 3, 2, 3);
        assertArrayEquals(in, out);
        assertNotSame(in, out);
    }

    @Test
    void constantImageStaysConstantAtAnySize() {
        byte[] in = new byte[7 * 5 * 3];
        java.util.Arrays.fill(in, (byte) 200);
        byte[] out = PillowBilinear.resize(in, 7, 5, 3, 11);
        for (byte b : out) {
            assertEquals(200, b & 0xFF);
        }
    }

    @Test
    void wrongBufferLengthIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PillowBilinear.resize(new byte[10], 2, 2, 1, 1));
        assertTrue(e.getMessage().contains("10 bytes, expected 12"), e.getMessage());
    }
}
