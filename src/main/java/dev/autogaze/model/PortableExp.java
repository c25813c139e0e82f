package dev.autogaze.model;

/**
 * exp(x) in f32 from plain IEEE operations (Cephes expf: x = n·ln2 + r, a polynomial for e^r, 2^n from the exponent
 * bits), so SIMD and scalar code give the same bits on every JIT tier; used by the attention softmax (x ≤ 0, −∞ → 0)
 * and SiLU. The Vector API's own EXP does not: compiled code calls SVML while interpreted code falls back to
 * Math.exp, and the two can differ in the last bit, which made one clip's logits depend on JIT warm-up.
 * Accuracy: within 2 ulp of the correctly rounded value (tested against Math.exp).
 */
final class PortableExp {

    /** Below ln(smallest normal float) the result is 0 (the true value is subnormal, invisible next to the max's 1). */
    static final float CUTOFF = -87.33654f;
    /**
     * Above this 2^n would leave the float range, so the result is +∞; the true value is still finite up to 88.7228
     * (SiLU, the only caller with positive inputs, then divides by it: −x/∞ = −0 instead of about −3e−37).
     */
    static final float OVERFLOW = 88.37626f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2^23: adding it rounds to an integer kept in the low mantissa bits. */
    static final float ROUNDER = 12582912f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;
    static final int EXPONENT_BIAS = 127 << 23;

    private PortableExp() {
    }

    /** The scalar form; {@link VectorKernels} evaluates the same operations lane by lane. */
    static float exp(float x) {
        if (!(x >= CUTOFF)) {
            return 0f; // also −∞ (a masked key); NaN never reaches here from finite scores
        }
        if (x > OVERFLOW) {
            return Float.POSITIVE_INFINITY;
        }
        float t = Math.fma(x, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) << 23) + EXPONENT_BIAS);
        return y * scale;
    }
}
