package dev.autogaze.model;

/**
 * What the frame-causal encoder must remember between calls to encode one video piece by piece (spec §3.2,
 * {@code past_conv_values}): per trunk block and batch row, the last {@code kt - 1} frames of that block's input.
 * Feeding a clip in pieces through one stream gives the embeddings of the whole clip (up to float rounding).
 * One stream belongs to one sequence of calls with the same batch size; it is not thread-safe.
 */
public final class EncoderStream {

    private final int batch;
    private final int keep;
    private final int frameSize;
    /** [block][row] -> up to {@code keep} frames of {@code frameSize} floats, oldest first. */
    private final float[][][] past;
    private int held;

    EncoderStream(int depth, int batch, int keep, int frameSize) {
        if (batch <= 0) {
            throw new IllegalArgumentException("stream batch size " + batch + " must be positive");
        }
        this.batch = batch;
        this.keep = keep;
        this.frameSize = frameSize;
        this.past = new float[depth][batch][0];
    }

    public int batch() {
        return batch;
    }

    /** Frames of history held per row (0 at the start, then up to kt - 1). */
    public int heldFrames() {
        return held;
    }

    /** Block {@code b}'s input with the held frames of each row in front: {@code [batch, held + frames, ...]}. */
    float[] prepend(int b, float[] x, int frames) {
        if (held == 0) {
            return x;
        }
        int len = held + frames;
        float[] out = new float[batch * len * frameSize];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(past[b][r], 0, out, r * len * frameSize, held * frameSize);
            System.arraycopy(x, r * frames * frameSize, out, (r * len + held) * frameSize, frames * frameSize);
        }
        return out;
    }

    /** Keeps the last {@code kt - 1} frames of each row of block {@code b}'s extended input. */
    void remember(int b, float[] extended, int len) {
        int n = Math.min(keep, len);
        for (int r = 0; r < batch; r++) {
            float[] kept = new float[n * frameSize];
            System.arraycopy(extended, (r * len + len - n) * frameSize, kept, 0, n * frameSize);
            past[b][r] = kept;
        }
    }

    /** Called once per encode, after every block has remembered its input. */
    void advance(int frames) {
        held = Math.min(keep, held + frames);
    }
}
