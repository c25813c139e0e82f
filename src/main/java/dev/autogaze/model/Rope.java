package dev.autogaze.model;

/**
 * Rotary position embedding of the gaze decoder (HF LLaMA "rotate_half" convention, llama3 frequency scaling).
 * inv_freq follows the HF recipe one f32 operation at a time, because evaluating it in f64 moves 6 of 16 values
 * by an ulp; cos/sin are tabulated per position so the decode step does no transcendental work.
 */
public final class Rope {

    private final int headDim;
    private final int half;
    private final float[] invFreq;
    private float[] cos = new float[0];
    private float[] sin = new float[0];
    private int tabulated;

    public Rope(AutoGazeConfig.Decoder decoder) {
        this.headDim = decoder.headDim();
        this.half = headDim / 2;
        this.invFreq = invFreq(decoder);
    }

    /** HF `_compute_default_rope_parameters` then `_compute_llama3_parameters`, every step rounded to f32. */
    public static float[] invFreq(AutoGazeConfig.Decoder d) {
        int dim = d.headDim();
        float theta = (float) d.ropeTheta();
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) dim;
            float pow = (float) Math.pow(theta, exponent);
            inv[i] = 1.0f / pow;
        }
        AutoGazeConfig.RopeScaling s = d.ropeScaling();
        if (s == null) {
            return inv;
        }
        float factor = (float) s.factor();
        float lowFactor = (float) s.lowFreqFactor();
        float highFactor = (float) s.highFreqFactor();
        float oldContext = s.originalMaxPositionEmbeddings();
        double lowWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
        double highWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
        float twoPi = (float) (2 * Math.PI);
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            // python `scalar / tensor` is reciprocal(tensor) * scalar in torch
            float wavelen = (1.0f / inv[i]) * twoPi;
            float llama = wavelen > lowWavelen ? inv[i] / factor : inv[i];
            float smooth = ((1.0f / wavelen) * oldContext - lowFactor) / (highFactor - lowFactor);
            float smoothed = (1.0f - smooth) * llama / factor + smooth * llama;
            boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            out[i] = medium ? smoothed : llama;
        }
        return out;
    }

    public float[] invFreq() {
        return invFreq.clone();
    }

    /** Makes sure cos/sin exist for positions [0, maxPosition]. */
    public void ensurePositions(int maxPosition) {
        int need = maxPosition + 1;
        if (need <= tabulated) {
            return;
        }
        int size = Math.max(need, tabulated * 2);
        float[] c = new float[size * half];
        float[] s = new float[size * half];
        System.arraycopy(cos, 0, c, 0, tabulated * half);
        System.arraycopy(sin, 0, s, 0, tabulated * half);
        for (int p = tabulated; p < size; p++) {
            float pos = p;
            for (int i = 0; i < half; i++) {
                float freq = pos * invFreq[i];
                c[p * half + i] = (float) Math.cos(freq);
                s[p * half + i] = (float) Math.sin(freq);
            }
        }
        cos = c;
        sin = s;
        tabulated = size;
    }

    /**
     * The tabulated cos and sin of positions [0, positions), [positions][headDim / 2] each, the very values
     * {@link #apply} uses (engines on other devices upload them, so every engine rotates by the same bits).
     */
    public float[][] tables(int positions) {
        if (positions <= 0) {
            throw new IllegalArgumentException("RoPE table of " + positions + " positions");
        }
        ensurePositions(positions - 1);
        return new float[][] {java.util.Arrays.copyOf(cos, positions * half), java.util.Arrays.copyOf(sin, positions * half)};
    }

    /**
     * Writes the full-width cos and sin rows of RoPE position `pos` (concat(freq, freq), headDim values each) to
     * cos[off..] and sin[off..], for engines that rotate with elementwise ops: x*cos + rotate_half(x)*sin.
     */
    void fillRow(int pos, float[] cos, float[] sin, int off) {
        if (pos < 0) {
            throw new IllegalArgumentException("RoPE position " + pos + " is negative");
        }
        if (pos >= tabulated) {
            ensurePositions(pos);
        }
        int t = pos * half;
        System.arraycopy(this.cos, t, cos, off, half);
        System.arraycopy(this.cos, t, cos, off + half, half);
        System.arraycopy(this.sin, t, sin, off, half);
        System.arraycopy(this.sin, t, sin, off + half, half);
    }

    /**
     * Rotates `heads` consecutive head vectors starting at x[off] in place for RoPE position `pos`:
     * out = x*cos(emb) + rotate_half(x)*sin(emb), emb = concat(freq, freq).
     */
    public void apply(float[] x, int off, int heads, int pos) {
        if (pos < 0) {
            throw new IllegalArgumentException("RoPE position " + pos + " is negative");
        }
        if (pos >= tabulated) {
            ensurePositions(pos);
        }
        int t = pos * half;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float c = cos[t + i];
                float s = sin[t + i];
                float a = x[base + i];
                float b = x[base + half + i];
                x[base + i] = a * c + (-b) * s;
                x[base + half + i] = b * c + a * s;
            }
        }
    }
}
