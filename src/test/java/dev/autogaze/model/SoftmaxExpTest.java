package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxExpTest {

    @Test
    void everyFloatFromTheCutoffToZeroIsWithinTwoUlpOfTheCorrectlyRoundedExp() {
        int worst = 0;
        float worstAt = 0;
        // every float in [CUTOFF, 0]: about 1.1 billion values would take too long, so every 97th bit pattern
        for (int bits = Float.floatToRawIntBits(-0f); ; bits += 97) {
            float x = Float.intBitsToFloat(bits);
            if (!(x >= SoftmaxExp.CUTOFF)) {
                break;
            }
            float expected = (float) Math.exp(x);
            int ulps = Math.abs(Float.floatToRawIntBits(SoftmaxExp.exp(x)) - Float.floatToRawIntBits(expected));
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp at x = " + worstAt);
    }

    @Test
    void softmaxEdgeValuesAreExact() {
        assertEquals(1f, SoftmaxExp.exp(0f));
        assertEquals(1f, SoftmaxExp.exp(-0f));
        assertEquals(0f, SoftmaxExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, SoftmaxExp.exp(Float.NaN));
        assertEquals(0f, SoftmaxExp.exp(Math.nextDown(SoftmaxExp.CUTOFF)));
        assertTrue(SoftmaxExp.exp(SoftmaxExp.CUTOFF) >= Float.MIN_NORMAL, "the cutoff itself stays normal");
    }
}
