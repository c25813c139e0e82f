package dev.autogaze.model;

/**
 * One implementation of the gaze decoder's forward pass, so the one generation loop ({@link GazeGenerator}) and the
 * teacher-forced replay can run either the JVM kernels ({@link GazeDecoder}) or ND4J ops ({@link Nd4jDecoder}, which
 * follow ND4J's backend onto a GPU). Not thread-safe; close it to release threads or native memory.
 */
public interface DecoderEngine extends AutoCloseable {

    AutoGazeConfig.Decoder config();

    /** What runs the arithmetic, for reports: kernels and threads ("vector-512 x2") or the ND4J backend. */
    String engine();

    /** A cache for `batch` rows of up to `capacity` tokens each, usable only with this engine. */
    DecoderCache newCache(int batch, int capacity);

    /** Copies the embedding of token `id` (0..V-1) to out[off..off+hidden). */
    void embed(int id, float[] out, int off);

    /**
     * Feeds `count` new tokens per batch row at cache indices [cache.length(), +count); the caller sets the key-mask
     * entries of the new indices first.
     *
     * @param input     [B][count][hidden] input embeddings
     * @param positions [B][count] RoPE positions
     * @param logits    out: [B][K*V] raw last-row logits (element k*V + v)
     * @param taskLoss  out: [B][K] last-row task-loss predictions
     */
    void forward(DecoderCache cache, float[] input, int count, int[] positions, float[] logits, float[] taskLoss);

    @Override
    void close();

    /** The argument checks every engine's forward makes before touching the cache. */
    static void checkForward(int batch, int hidden, float[] input, int count, int[] positions) {
        if (count <= 0) {
            throw new IllegalArgumentException("decoder call with " + count + " new tokens");
        }
        if (input.length < batch * count * hidden || positions.length < batch * count) {
            throw new IllegalArgumentException("decoder input holds " + input.length + " floats / " + positions.length
                    + " positions, expected " + batch * count * hidden + " / " + batch * count);
        }
    }

    default int hidden() {
        return config().hiddenSize();
    }

    default int vocab() {
        return config().vocabSize();
    }

    default int outHeads() {
        return config().multiTokenHeads();
    }
}
