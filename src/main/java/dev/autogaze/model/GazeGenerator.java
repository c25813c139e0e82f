package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;

/**
 * The one AutoGaze generation loop (spec §5.3, Appendix A), batched: per frame a prefill of the previous frame's
 * final-step tokens plus the vision tokens at cumsum-of-mask positions, then decode steps that feed the K tokens
 * just emitted at the frame's STALE positions P[L_t−K .. L_t−1] (as HF generate does; parity needs it), with
 * SELECT choosing each step. Buffers live for the clip and are reused across calls of the same shape.
 */
public final class GazeGenerator {

    private final DecoderEngine decoder;
    private final ScaleLayout layout;
    private final int hidden;
    private final int heads;
    private final int vocab;
    private final int eos;
    private DecoderCache cache;
    private int[][] cum = new int[0][];
    private float[] input = new float[0];
    private int[] positions = new int[0];
    private float[] logits = new float[0];
    private float[] taskLoss = new float[0];

    public GazeGenerator(DecoderEngine decoder, ScaleLayout layout) {
        this.decoder = decoder;
        this.layout = layout;
        this.hidden = decoder.hidden();
        this.heads = decoder.outHeads();
        this.vocab = decoder.vocab();
        this.eos = decoder.config().eosTokenId();
        if (layout.tokensPerFrame() != eos) {
            throw new IllegalArgumentException("layout has " + layout.tokensPerFrame() + " ids per frame but the decoder's"
                    + " EOS is " + eos);
        }
    }

    /**
     * Generates gazes from connector outputs.
     *
     * @param visionEmbeds [B][T][visionTokens][hidden], pos_embed already added
     */
    public GazeResult generate(float[] visionEmbeds, int batch, int frames, GazeOptions options) {
        if (batch <= 0 || frames <= 0) {
            throw new IllegalArgumentException("batch " + batch + " and frames " + frames + " must be positive");
        }
        long perFrame = (long) batch * frames * hidden;
        if (visionEmbeds.length == 0 || visionEmbeds.length % perFrame != 0) {
            throw new IllegalArgumentException("vision embeds hold " + visionEmbeds.length + " floats, not a multiple of"
                    + " B*T*hidden = " + perFrame);
        }
        int vis = (int) (visionEmbeds.length / perFrame);
        int[] budgets = new int[frames];
        int capacity = heads;
        int maxBudget = 0;
        for (int t = 0; t < frames; t++) {
            budgets[t] = options.budgetOfFrame(t, eos);
            capacity += vis + budgets[t];
            maxBudget = Math.max(maxBudget, budgets[t]);
        }
        float requirement = options.taskLossRequirement() == null ? Float.NaN : options.taskLossRequirement();
        prepare(batch, capacity, vis + heads);
        cache.reset();

        int total = 0;
        for (int b : budgets) {
            total += b;
        }
        int[][] outIds = new int[batch][total];
        float[][] outConf = new float[batch][total];
        int[] numGazing = new int[frames];
        GazeSelector select = new GazeSelector(batch, heads, vocab, eos);
        boolean[] unfinished = new boolean[batch];
        long prefillNs = 0;
        long decodeNs = 0;
        long selectNs = 0;
        int decodeCalls = 0;

        int written = 0;       // tokens of earlier frames in outIds
        int prevFed = 0;       // tokens of the previous frame already in the cache (fed by decode steps)
        int prevGenStart = 0;  // cache index of the previous frame's first gaze token
        for (int t = 0; t < frames; t++) {
            int start = cache.length();
            int prevLen = t == 0 ? 0 : numGazing[t - 1];
            int tail = prevLen - prevFed;
            int count = tail + vis;
            for (int b = 0; b < batch; b++) {
                for (int g = 0; g < prevLen; g++) {
                    int id = outIds[b][written - prevLen + g];
                    cache.setMask(b, prevGenStart + g, id != eos);
                }
                for (int i = 0; i < tail; i++) {
                    decoder.embed(outIds[b][written - tail + i], input, (b * count + i) * hidden);
                }
                for (int i = 0; i < vis; i++) {
                    cache.setMask(b, start + tail + i, true);
                }
                System.arraycopy(visionEmbeds, (b * frames + t) * vis * hidden, input, (b * count + tail) * hidden,
                        vis * hidden);
            }
            int frameLen = start + count;
            if (frameLen < heads) {
                throw new IllegalStateException("history of " + frameLen + " tokens is shorter than the " + heads
                        + " stale decode positions it must provide");
            }
            for (int b = 0; b < batch; b++) {
                int c = 0;
                int[] row = cum[b];
                for (int idx = 0; idx < frameLen; idx++) {
                    c += cache.mask(b, idx) ? 1 : 0;
                    row[idx] = c - 1;
                }
                for (int i = 0; i < count; i++) {
                    positions[b * count + i] = row[start + i];
                }
            }
            long t0 = System.nanoTime();
            decoder.forward(cache, input, count, positions, logits, taskLoss);
            prefillNs += System.nanoTime() - t0;

            select.startFrame();
            java.util.Arrays.fill(unfinished, true);
            int emitted = 0;
            int fed = 0;
            boolean first = true;
            while (true) {
                long s0 = System.nanoTime();
                select.select(logits, taskLoss, emitted, budgets[t], requirement, first, unfinished);
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < select.count; i++) {
                        outIds[b][written + emitted + i] = select.tokens[b * heads + i];
                        outConf[b][written + emitted + i] = select.confidence[b * heads + i];
                    }
                }
                emitted += select.count;
                first = false;
                boolean any = false;
                for (int b = 0; b < batch; b++) {
                    unfinished[b] &= !select.meetAny[b] && !select.hitBudget && !select.earlyStop;
                    any |= unfinished[b];
                }
                selectNs += System.nanoTime() - s0;
                if (!any) {
                    break;
                }
                if (select.count != heads) {
                    throw new IllegalStateException("step of " + select.count + " tokens continues the frame");
                }
                int at = cache.length();
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < heads; i++) {
                        cache.setMask(b, at + i, true);
                        decoder.embed(outIds[b][written + emitted - heads + i], input, (b * heads + i) * hidden);
                        positions[b * heads + i] = cum[b][frameLen - heads + i];
                    }
                }
                long d0 = System.nanoTime();
                decoder.forward(cache, input, heads, positions, logits, taskLoss);
                decodeNs += System.nanoTime() - d0;
                decodeCalls++;
                fed += heads;
            }
            numGazing[t] = emitted;
            prevGenStart = frameLen;
            prevFed = fed;
            written += emitted;
        }

        long[][] gazingPos = new long[batch][written];
        boolean[][] padded = new boolean[batch][written];
        float[][] confidence = new float[batch][written];
        for (int b = 0; b < batch; b++) {
            int i = 0;
            for (int t = 0; t < frames; t++) {
                for (int g = 0; g < numGazing[t]; g++, i++) {
                    int id = outIds[b][i];
                    gazingPos[b][i] = (long) eos * t + id;
                    padded[b][i] = id == eos;
                    confidence[b][i] = outConf[b][i];
                }
            }
        }
        GeneratedGaze gaze = new GeneratedGaze(gazingPos, padded, numGazing, confidence, eos);
        GazeResult.Timings timings = new GazeResult.Timings(0, prefillNs, decodeNs, selectNs, frames, decodeCalls);
        return new GazeResult(gaze, GazeResult.masksOf(gaze, layout), timings);
    }

    private void prepare(int batch, int capacity, int maxCount) {
        if (cache == null || cache.batch() != batch || cache.capacity() < capacity) {
            if (cache != null) {
                cache.close(); // free the old storage (native or GPU memory for the nd4j engine) before allocating
            }
            cache = null;
            cache = decoder.newCache(batch, capacity);
            cum = new int[batch][capacity];
        }
        if (input.length < batch * maxCount * hidden) {
            input = new float[batch * maxCount * hidden];
            positions = new int[batch * maxCount];
        }
        if (logits.length != batch * heads * vocab) {
            logits = new float[batch * heads * vocab];
            taskLoss = new float[batch * heads];
        }
    }

    /** The cache of the last call (for inspection and memory accounting; closed when a later call needs another). */
    public DecoderCache cache() {
        return cache;
    }
}
