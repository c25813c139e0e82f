package dev.autogaze.model;

/**
 * {@link GazeSteps} over a host {@link DecoderEngine} (the JVM kernels or ND4J) with SELECT on the CPU
 * ({@link GazeSelector}). It takes only uniform calls (every batch row, the same count at the same cache index),
 * which is all the official batch semantics and a single row ever need.
 */
final class HostSteps implements GazeSteps {

    private final DecoderEngine decoder;
    private final int hidden;
    private final int heads;
    private final int vocab;
    private final int eos;
    private DecoderCache cache;
    private GazeSelector selector;
    private int batch;
    private int frames;
    private int visionTokens;
    private float[] vision;
    private float[] input = new float[0];
    private int[] positions = new int[0];
    private float[] logits = new float[0];
    private float[] taskLoss = new float[0];
    private boolean[] unfinished = new boolean[0];

    HostSteps(DecoderEngine decoder) {
        this.decoder = decoder;
        this.hidden = decoder.hidden();
        this.heads = decoder.outHeads();
        this.vocab = decoder.vocab();
        this.eos = decoder.config().eosTokenId();
    }

    @Override
    public AutoGazeConfig.Decoder config() {
        return decoder.config();
    }

    @Override
    public boolean raggedRows() {
        return false;
    }

    /** The cache of the current batch (for memory accounting). */
    DecoderCache cache() {
        return cache;
    }

    @Override
    public void begin(int batch, int frames, int visionTokens, int capacity, float[] visionEmbeds) {
        if (visionEmbeds == null) {
            throw new IllegalArgumentException("the " + decoder.engine() + " engine needs the vision embeddings");
        }
        if (cache == null || cache.batch() != batch || cache.capacity() < capacity) {
            if (cache != null) {
                cache.close(); // native or device memory of the nd4j engine, freed now rather than at GC
            }
            cache = null;
            cache = decoder.newCache(batch, capacity);
        }
        cache.reset();
        if (selector == null || this.batch != batch) {
            selector = new GazeSelector(batch, heads, vocab, eos);
            unfinished = new boolean[batch];
        }
        this.batch = batch;
        this.frames = frames;
        this.visionTokens = visionTokens;
        this.vision = visionEmbeds;
        if (logits.length != batch * heads * vocab) {
            logits = new float[batch * heads * vocab];
            taskLoss = new float[batch * heads];
        }
    }

    @Override
    public void setMask(int b, int index, boolean attendable) {
        cache.setMask(b, index, attendable);
    }

    @Override
    public void feed(FeedPlan plan) {
        if (plan.rows() != batch) {
            throw new IllegalStateException("the " + decoder.engine() + " engine feeds every batch row at once; the plan"
                    + " has " + plan.rows() + " of " + batch);
        }
        int count = plan.count(0);
        int at = cache.length();
        for (int r = 0; r < batch; r++) {
            if (plan.row(r) != r || plan.count(r) != count || plan.start(r) != at) {
                throw new IllegalStateException("the " + decoder.engine() + " engine needs uniform rows; row " + r
                        + " takes " + plan.count(r) + " tokens at " + plan.start(r) + ", row 0 " + count + " at " + at);
            }
        }
        if (input.length < batch * count * hidden) {
            input = new float[batch * count * hidden];
            positions = new int[batch * count];
        }
        for (int i = 0; i < plan.tokens(); i++) {
            int b = i / count;
            int src = plan.source(i);
            cache.setMask(b, at + i % count, plan.attend(i));
            if (src >= 0) {
                decoder.embed(src, input, i * hidden);
            } else {
                int j = -1 - src;
                System.arraycopy(vision, ((b * frames + plan.frame()) * visionTokens + j) * hidden, input, i * hidden,
                        hidden);
            }
            positions[i] = plan.position(i);
        }
        decoder.forward(cache, input, count, positions, logits, taskLoss);
    }

    @Override
    public void select(SelectPlan plan, StepPicks out) {
        if (plan.rows() != batch) {
            throw new IllegalStateException("select over " + plan.rows() + " of " + batch + " rows");
        }
        int emitted = plan.emitted(0);
        for (int r = 0; r < batch; r++) {
            if (plan.emitted(r) != emitted) {
                throw new IllegalStateException("the " + decoder.engine() + " engine selects rows in step: row " + r
                        + " emitted " + plan.emitted(r) + ", row 0 " + emitted);
            }
            unfinished[r] = plan.unfinished(r);
        }
        if (plan.firstStep()) {
            selector.startFrame();
        }
        selector.select(logits, taskLoss, emitted, plan.budget(), plan.requirement(), plan.firstStep(), unfinished);
        out.reset(batch);
        for (int r = 0; r < batch; r++) {
            out.set(r, selector.count, selector.picks, selector.meetAny[r], selector.earlyStop);
            for (int i = 0; i < selector.picks; i++) {
                out.setToken(r, i, selector.tokens[r * heads + i], selector.confidence[r * heads + i]);
            }
        }
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
