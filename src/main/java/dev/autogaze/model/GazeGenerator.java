package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one AutoGaze generation loop (spec §5.3, Appendix A), batched, over any {@link GazeSteps} engine: per frame a
 * prefill of the previous frame's final-step tokens plus the vision tokens at cumsum-of-mask positions, then decode
 * steps that feed the K tokens just emitted at the frame's STALE positions P[L_t−K .. L_t−1] (as HF generate does;
 * parity needs it), with SELECT choosing each step.
 *
 * <p>Two batch semantics, the same loop:
 * <ul>
 *   <li>{@link #generate}: the official one, a batch is one HF generate call. Rows share the steps of a frame: a row
 *       that met the task-loss requirement keeps emitting pads (fed with key-mask 1 during the frame) until every row
 *       is done, so a row's output depends on its neighbours. This is what the reference fixtures record.</li>
 *   <li>{@link #generateEach}: every row exactly as if it ran alone (B = 1): a finished row stops feeding and its
 *       frame ends with its own count. Rows may then differ in cache length and call size, which only engines with
 *       {@link GazeSteps#raggedRows()} accept; without a task-loss requirement both semantics coincide (every row
 *       stops at the same budget), and any engine takes the batch in one piece.</li>
 * </ul>
 * Per-row integer bookkeeping (masks, positions, counts) lives here on the host; the engine holds the floats.
 */
public final class GazeGenerator {

    private final GazeSteps steps;
    private final ScaleLayout layout;
    private final int heads;
    private final int eos;
    private final FeedPlan feed = new FeedPlan();
    private final SelectPlan select = new SelectPlan();
    private final StepPicks picks;

    public GazeGenerator(GazeSteps steps, ScaleLayout layout) {
        this.steps = steps;
        this.layout = layout;
        this.heads = steps.config().multiTokenHeads();
        this.eos = steps.config().eosTokenId();
        this.picks = new StepPicks(heads);
        if (layout.tokensPerFrame() != eos) {
            throw new IllegalArgumentException("layout has " + layout.tokensPerFrame() + " ids per frame but the decoder's"
                    + " EOS is " + eos);
        }
    }

    /** The loop over a host decoder engine (the JVM kernels or ND4J), SELECT on the CPU. */
    public GazeGenerator(DecoderEngine decoder, ScaleLayout layout) {
        this(new HostSteps(decoder), layout);
    }

    /** The engine this loop drives. */
    public GazeSteps steps() {
        return steps;
    }

    /** The host engine's cache of the last call (for inspection and memory accounting), or null for other engines. */
    public DecoderCache cache() {
        return steps instanceof HostSteps h ? h.cache() : null;
    }

    /**
     * Official batch semantics from connector outputs.
     *
     * @param visionEmbeds [B][T][visionTokens][hidden], pos_embed already added
     */
    public GazeResult generate(float[] visionEmbeds, int batch, int frames, GazeOptions options) {
        return run(visionEmbeds, batch, frames, visionTokensOf(visionEmbeds, batch, frames), options, true).get(0);
    }

    /** Every row as if alone (B = 1 results, one per row), from connector outputs on the host. */
    public List<GazeResult> generateEach(float[] visionEmbeds, int batch, int frames, GazeOptions options) {
        return run(visionEmbeds, batch, frames, visionTokensOf(visionEmbeds, batch, frames), options, false);
    }

    /**
     * Either semantics with the vision tokens already held by the engine (visionEmbeds null), e.g. the CUDA engine's
     * own encoder output; `shared` selects the official batch semantics.
     */
    public List<GazeResult> generateHeld(int batch, int frames, int visionTokens, GazeOptions options, boolean shared) {
        return run(null, batch, frames, visionTokens, options, shared);
    }

    private int visionTokensOf(float[] visionEmbeds, int batch, int frames) {
        if (batch <= 0 || frames <= 0) {
            throw new IllegalArgumentException("batch " + batch + " and frames " + frames + " must be positive");
        }
        long perFrame = (long) batch * frames * steps.config().hiddenSize();
        if (visionEmbeds.length == 0 || visionEmbeds.length % perFrame != 0) {
            throw new IllegalArgumentException("vision embeds hold " + visionEmbeds.length + " floats, not a multiple of"
                    + " B*T*hidden = " + perFrame);
        }
        return (int) (visionEmbeds.length / perFrame);
    }

    /** Per-row state of one batch. */
    private static final class Rows {
        final int[] len;          // tokens in the row's cache
        final int[] written;      // tokens of earlier frames in ids
        final int[] prevLen;      // tokens of the previous frame
        final int[] prevFed;      // of those, already in the cache (fed by decode steps)
        final int[] prevGenStart; // cache index of the previous frame's first gaze token
        final int[] frameLen;     // cache length after this frame's prefill
        final int[] emitted;      // tokens emitted in this frame
        final int[] fed;          // of those, fed back by decode steps
        final boolean[] unfinished;
        final int[][] ids;
        final float[][] conf;
        final int[][] numGazing;
        final boolean[][] mask;
        final int[][] pos;

        Rows(int batch, int frames, int total, int capacity) {
            len = new int[batch];
            written = new int[batch];
            prevLen = new int[batch];
            prevFed = new int[batch];
            prevGenStart = new int[batch];
            frameLen = new int[batch];
            emitted = new int[batch];
            fed = new int[batch];
            unfinished = new boolean[batch];
            ids = new int[batch][total];
            conf = new float[batch][total];
            numGazing = new int[batch][frames];
            mask = new boolean[batch][capacity];
            pos = new int[batch][capacity];
        }
    }

    private List<GazeResult> run(float[] visionEmbeds, int batch, int frames, int vis, GazeOptions options,
                                 boolean shared) {
        if (batch <= 0 || frames <= 0 || vis <= 0) {
            throw new IllegalArgumentException("batch " + batch + ", frames " + frames + " and vision tokens " + vis
                    + " must be positive");
        }
        float requirement = options.taskLossRequirement() == null ? Float.NaN : options.taskLossRequirement();
        if (!shared && batch > 1 && !steps.raggedRows() && !Float.isNaN(requirement)) {
            // rows would stop at different steps; a host engine runs them one at a time instead
            List<GazeResult> out = new ArrayList<>(batch);
            int hidden = steps.config().hiddenSize();
            int per = frames * vis * hidden;
            for (int b = 0; b < batch; b++) {
                float[] one = Arrays.copyOfRange(visionEmbeds, b * per, (b + 1) * per);
                out.addAll(run(one, 1, frames, vis, options, true));
            }
            return out;
        }
        int[] budgets = new int[frames];
        int capacity = heads;
        int total = 0;
        for (int t = 0; t < frames; t++) {
            budgets[t] = options.budgetOfFrame(t, eos);
            capacity += vis + budgets[t];
            total += budgets[t];
        }
        steps.begin(batch, frames, vis, capacity, visionEmbeds);
        Rows s = new Rows(batch, frames, total, capacity);
        long prefillNs = 0;
        long decodeNs = 0;
        long selectNs = 0;
        int decodeCalls = 0;
        int[] emittedBefore = new int[batch];
        int[] selected = new int[batch];

        for (int t = 0; t < frames; t++) {
            feed.reset(batch, batch * (heads + vis), t, true);
            for (int b = 0; b < batch; b++) {
                prefillRow(s, b, vis);
            }
            long t0 = System.nanoTime();
            steps.feed(feed);
            prefillNs += System.nanoTime() - t0;

            Arrays.fill(s.emitted, 0);
            Arrays.fill(s.fed, 0);
            Arrays.fill(s.unfinished, true);
            boolean first = true;
            while (true) {
                long s0 = System.nanoTime();
                select.reset(batch, budgets[t], requirement, first);
                int n = 0;
                for (int b = 0; b < batch; b++) {
                    if (shared || s.unfinished[b]) {
                        selected[n++] = b;
                        select.add(s.emitted[b], s.unfinished[b]);
                    }
                }
                steps.select(select, picks);
                boolean hit = false;
                boolean early = false;
                for (int r = 0; r < n; r++) {
                    int b = selected[r];
                    emittedBefore[b] = s.emitted[b];
                    int c = picks.count(r);
                    for (int i = 0; i < c; i++) {
                        s.ids[b][s.written[b] + s.emitted[b] + i] = picks.token(r, i);
                        s.conf[b][s.written[b] + s.emitted[b] + i] = picks.confidence(r, i);
                    }
                    s.emitted[b] += c;
                    hit |= picks.hitBudget(r, emittedBefore[b], budgets[t]);
                    early |= picks.early(r);
                }
                for (int r = 0; r < n; r++) {
                    int b = selected[r];
                    boolean rowHit = shared ? hit : picks.hitBudget(r, emittedBefore[b], budgets[t]);
                    boolean rowEarly = shared ? early : picks.early(r);
                    s.unfinished[b] &= !picks.meetAny(r) && !rowHit && !rowEarly;
                }
                first = false;
                selectNs += System.nanoTime() - s0;
                feed.reset(batch, batch * heads, t, false);
                boolean any = false;
                for (int b = 0; b < batch; b++) {
                    any |= s.unfinished[b];
                }
                if (!any) {
                    break;
                }
                for (int b = 0; b < batch; b++) {
                    if (shared || s.unfinished[b]) {
                        decodeRow(s, b);
                    }
                }
                long d0 = System.nanoTime();
                steps.feed(feed);
                decodeNs += System.nanoTime() - d0;
                decodeCalls++;
            }
            for (int b = 0; b < batch; b++) {
                s.numGazing[b][t] = s.emitted[b];
                s.prevLen[b] = s.emitted[b];
                s.prevFed[b] = s.fed[b];
                s.prevGenStart[b] = s.frameLen[b];
                s.written[b] += s.emitted[b];
            }
        }
        GazeResult.Timings timings = new GazeResult.Timings(0, prefillNs, decodeNs, selectNs, frames, decodeCalls);
        return shared ? List.of(sharedResult(s, batch, frames, timings)) : eachResult(s, batch, frames, timings);
    }

    /** Plans row b's prefill: the previous frame's pads masked, its unfed tail, then the frame's vision tokens. */
    private void prefillRow(Rows s, int b, int vis) {
        int w = s.written[b];
        int prevLen = s.prevLen[b];
        for (int g = 0; g < s.prevFed[b]; g++) {
            int idx = s.prevGenStart[b] + g;
            boolean m = s.ids[b][w - prevLen + g] != eos;
            s.mask[b][idx] = m;
            steps.setMask(b, idx, m);
        }
        int start = s.len[b];
        int c = 0; // attendable tokens so far: P = cumsum(mask) - 1
        boolean[] mask = s.mask[b];
        for (int i = 0; i < start; i++) {
            c += mask[i] ? 1 : 0;
        }
        feed.addRow(b, start);
        int tail = prevLen - s.prevFed[b];
        int at = start;
        for (int i = 0; i < tail; i++, at++) {
            int id = s.ids[b][w - tail + i];
            boolean m = id != eos;
            c += m ? 1 : 0;
            mask[at] = m;
            s.pos[b][at] = c - 1;
            feed.addToken(id, c - 1, m);
        }
        for (int j = 0; j < vis; j++, at++) {
            c++;
            mask[at] = true;
            s.pos[b][at] = c - 1;
            feed.addToken(FeedPlan.visionSource(j), c - 1, true);
        }
        s.len[b] = at;
        s.frameLen[b] = at;
        if (at < heads) {
            throw new IllegalStateException("history of " + at + " tokens is shorter than the " + heads
                    + " stale decode positions it must provide");
        }
    }

    /** Plans row b's decode step: its last K tokens at the frame's stale positions, key-mask 1 during the frame. */
    private void decodeRow(Rows s, int b) {
        int end = s.written[b] + s.emitted[b];
        if (s.emitted[b] - s.fed[b] != heads) {
            throw new IllegalStateException("row " + b + ": a step of " + (s.emitted[b] - s.fed[b])
                    + " tokens continues the frame");
        }
        int at = s.len[b];
        feed.addRow(b, at);
        for (int i = 0; i < heads; i++) {
            int stale = s.pos[b][s.frameLen[b] - heads + i];
            s.mask[b][at + i] = true;
            s.pos[b][at + i] = stale;
            feed.addToken(s.ids[b][end - heads + i], stale, true);
        }
        s.len[b] = at + heads;
        s.fed[b] += heads;
    }

    private GazeResult sharedResult(Rows s, int batch, int frames, GazeResult.Timings timings) {
        int written = s.written[0];
        long[][] gazingPos = new long[batch][];
        boolean[][] padded = new boolean[batch][];
        float[][] confidence = new float[batch][];
        for (int b = 0; b < batch; b++) {
            if (!Arrays.equals(s.numGazing[b], s.numGazing[0])) {
                throw new IllegalStateException("rows of one generate call disagree on num_gazing_each_frame");
            }
            gazingPos[b] = new long[written];
            padded[b] = new boolean[written];
            confidence[b] = new float[written];
            fill(s, b, frames, gazingPos[b], padded[b], confidence[b]);
        }
        GeneratedGaze gaze = new GeneratedGaze(gazingPos, padded, s.numGazing[0].clone(), confidence, eos);
        return new GazeResult(gaze, GazeResult.masksOf(gaze, layout), timings);
    }

    private List<GazeResult> eachResult(Rows s, int batch, int frames, GazeResult.Timings timings) {
        List<GazeResult> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int n = s.written[b];
            long[] pos = new long[n];
            boolean[] pad = new boolean[n];
            float[] conf = new float[n];
            fill(s, b, frames, pos, pad, conf);
            GeneratedGaze gaze = new GeneratedGaze(new long[][] {pos}, new boolean[][] {pad}, s.numGazing[b].clone(),
                    new float[][] {conf}, eos);
            out.add(new GazeResult(gaze, GazeResult.masksOf(gaze, layout), timings));
        }
        return out;
    }

    private void fill(Rows s, int b, int frames, long[] gazingPos, boolean[] padded, float[] confidence) {
        int i = 0;
        for (int t = 0; t < frames; t++) {
            for (int g = 0; g < s.numGazing[b][t]; g++, i++) {
                int id = s.ids[b][i];
                gazingPos[i] = (long) eos * t + id;
                padded[i] = id == eos;
                confidence[i] = s.conf[b][i];
            }
        }
    }
}
