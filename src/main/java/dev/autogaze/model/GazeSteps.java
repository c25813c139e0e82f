package dev.autogaze.model;

/**
 * What the one generation loop ({@link GazeGenerator}) asks of an engine: take a batch's vision tokens, feed planned
 * tokens through the decoder (a prefill or a decode step), and run SELECT on the rows just fed. The host engines
 * ({@link HostSteps}: the JVM kernels or ND4J, selection on the CPU) take only uniform calls, every row with the same
 * tokens at the same cache index; the CUDA engine also takes independent rows and keeps logits on the device.
 */
public interface GazeSteps extends AutoCloseable {

    /** The decoder this engine runs (sizes, K, EOS). */
    AutoGazeConfig.Decoder config();

    /** True when rows may differ in token count and cache position within one call. */
    boolean raggedRows();

    /**
     * Starts a batch: room for `batch` rows of `capacity` cache slots, and the vision tokens the prefills feed.
     *
     * @param visionEmbeds [B][T][visionTokens][hidden] on the host, or null when the engine already holds the batch's
     *                     vision tokens (the CUDA engine's own encoder)
     */
    void begin(int batch, int frames, int visionTokens, int capacity, float[] visionEmbeds);

    /** Sets the key-mask value of cache slot `index` of batch row b (a previous frame's pad becomes masked). */
    void setMask(int b, int index, boolean attendable);

    /** Feeds the planned tokens; the fed rows' last-token outputs are then ready for {@link #select}. */
    void feed(FeedPlan plan);

    /** SELECT for the rows of the last feed, in its order; fills `out`. */
    void select(SelectPlan plan, StepPicks out);

    @Override
    void close();
}
