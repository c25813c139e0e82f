package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortableExpTest {

    @Test
    void everyFloatFromTheCutoffToZeroIsWithinTwoUlpOfTheCorrectlyRoundedExp() {
        int worst = 0;
        float worstAt = 0;
        // every float in [CUTOFF, 0]: about 1.1 billion values would take too long, so every 97th bit pattern
        for (int bits = Float.floatToRawIntBits(-0f); ; bits += 97) {
            float x = Float.intBitsToFloat(bits);
            if (!(x >= PortableExp.CUTOFF)) {
                break;
            }
            float expected = (float) Math.exp(x);
            int ulps = Math.abs(Float.floatToRawIntBits(PortableExp.exp(x)) - Float.floatToRawIntBits(expected));
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp at x = " + worstAt);
    }

    @Test
    void positiveInputsUpToTheOverflowBoundAreWithinTwoUlpToo() {
        int worst = 0;
        for (int bits = Float.floatToRawIntBits(Float.MIN_VALUE); ; bits += 97) {
            float x = Float.intBitsToFloat(bits);
            if (x > PortableExp.OVERFLOW) {
                break;
            }
            float expected = (float) Math.exp(x);
            worst = Math.max(worst, Math.abs(Float.floatToRawIntBits(PortableExp.exp(x)) - Float.floatToRawIntBits(expected)));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(Float.POSITIVE_INFINITY, PortableExp.exp(Math.nextUp(PortableExp.OVERFLOW)));
        assertEquals(Float.POSITIVE_INFINITY, PortableExp.exp(Float.POSITIVE_INFINITY));
    }

    @Test
    void softmaxEdgeValuesAreExact() {
        assertEquals(1f, PortableExp.exp(0f));
        assertEquals(1f, PortableExp.exp(-0f));
        assertEquals(0f, PortableExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, PortableExp.exp(Float.NaN));
        assertEquals(0f, PortableExp.exp(Math.nextDown(PortableExp.CUTOFF)));
        assertTrue(PortableExp.exp(PortableExp.CUTOFF) >= Float.MIN_NORMAL, "the cutoff itself stays normal");
    }
}
