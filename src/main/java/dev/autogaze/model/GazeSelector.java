package dev.autogaze.model;

import java.util.Arrays;

/**
 * SELECT of one generation step (spec §5.4), for all batch rows at once: NoRepeat within the frame (pads
 * included) and NoEos masking, heads choosing in order with later heads excluding earlier picks, the budget
 * checked before each head, the whole-batch all -inf stop, first-maximum argmax by explicit scan, the f32
 * task-loss gate (head 0 of a frame's first step exempt), pads for finished rows, truncation at the budget.
 *
 * <p>Confidence of a pick is its softmax probability under the distribution its head actually chose from (the
 * raw logits after NoRepeat, NoEos and earlier-head exclusions of this step); pads get 0.
 */
final class GazeSelector {

    private final int batch;
    private final int heads;
    private final int vocab;
    private final int eos;
    private final float[] s;
    private final boolean[][] used;

    /** Tokens of the step, [B][K] (first {@link #count} valid per row). */
    final int[] tokens;
    final float[] confidence;
    /** Tokens the step contributes (after truncation); the same for every row. */
    int count;
    /** Picks made before truncation (j of the spec). */
    int picks;
    final boolean[] meetAny;
    boolean hitBudget;
    boolean earlyStop;

    GazeSelector(int batch, int heads, int vocab, int eos) {
        this.batch = batch;
        this.heads = heads;
        this.vocab = vocab;
        this.eos = eos;
        this.s = new float[batch * heads * vocab];
        this.used = new boolean[batch][vocab];
        this.tokens = new int[batch * heads];
        this.confidence = new float[batch * heads];
        this.meetAny = new boolean[batch];
    }

    /** Forgets the ids emitted in the previous frame (NoRepeat is per frame). */
    void startFrame() {
        for (boolean[] u : used) {
            Arrays.fill(u, false);
        }
    }

    /**
     * @param logits      [B][K*V] last-row logits
     * @param taskLoss    [B][K] last-row task-loss predictions
     * @param emitted     tokens already emitted in this frame (n of the spec)
     * @param budget      the frame budget
     * @param requirement f32 task-loss requirement, or NaN for none
     * @param firstStep   true for the step that follows the frame's prefill
     * @param unfinished  rows still generating; finished rows emit pads
     */
    void select(float[] logits, float[] taskLoss, int emitted, int budget, float requirement, boolean firstStep,
                boolean[] unfinished) {
        int kv = heads * vocab;
        System.arraycopy(logits, 0, s, 0, batch * kv);
        for (int b = 0; b < batch; b++) {
            boolean[] u = used[b];
            for (int k = 0; k < heads; k++) {
                int base = b * kv + k * vocab;
                for (int v = 0; v < vocab; v++) {
                    if (u[v]) {
                        s[base + v] = Float.NEGATIVE_INFINITY;
                    }
                }
                s[base + eos] = Float.NEGATIVE_INFINITY;
            }
        }
        int j = 0;
        earlyStop = false;
        for (int i = 0; i < heads; i++) {
            if (j + emitted >= budget || allMasked(i)) {
                earlyStop = true;
                break;
            }
            for (int b = 0; b < batch; b++) {
                int base = b * kv + i * vocab;
                int best = 0;
                float max = s[base];
                for (int v = 1; v < vocab; v++) {
                    if (s[base + v] > max) {
                        max = s[base + v];
                        best = v;
                    }
                }
                tokens[b * heads + i] = best;
                confidence[b * heads + i] = probabilityOfMax(base, max);
                for (int later = i + 1; later < heads; later++) {
                    s[b * kv + later * vocab + best] = Float.NEGATIVE_INFINITY;
                }
            }
            j++;
        }
        boolean gate = !Float.isNaN(requirement);
        for (int b = 0; b < batch; b++) {
            meetAny[b] = false;
            for (int i = 0; i < j; i++) {
                int at = b * heads + i;
                if (!unfinished[b]) {
                    tokens[at] = eos;
                }
                if (gate && !(firstStep && i == 0) && taskLoss[b * heads + i] <= requirement) {
                    meetAny[b] = true;
                    tokens[at] = eos;
                }
                if (tokens[at] == eos) {
                    confidence[at] = 0f;
                }
            }
        }
        picks = j;
        hitBudget = j + emitted >= budget;
        count = hitBudget ? budget - emitted : j;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < count; i++) {
                used[b][tokens[b * heads + i]] = true;
            }
        }
    }

    private boolean allMasked(int head) {
        int kv = heads * vocab;
        for (int b = 0; b < batch; b++) {
            int base = b * kv + head * vocab;
            for (int v = 0; v < vocab; v++) {
                if (s[base + v] != Float.NEGATIVE_INFINITY) {
                    return false;
                }
            }
        }
        return true;
    }

    /** softmax(s[base..base+V))[argmax] = 1 / Σ exp(s_v − max); 0 when the whole head is masked. */
    private float probabilityOfMax(int base, float max) {
        if (max == Float.NEGATIVE_INFINITY) {
            return 0f;
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            float x = s[base + v];
            if (x != Float.NEGATIVE_INFINITY) {
                sum += Math.exp(x - max);
            }
        }
        return (float) (1.0 / sum);
    }
}
