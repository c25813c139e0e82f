package dev.autogaze.model;

/**
 * Teacher-forced replay of a recorded case's per-call trace (spec §9 step 5): feeds the official token history —
 * call{i}_input_ids for decode calls, the previous frame's final-step tokens (from gazing_pos / if_padded_gazing)
 * plus the vision tokens for prefills — at the recorded positions and cache indices, and compares every call's
 * last-row logits and task-loss values.
 */
public final class TraceReplay {

    /**
     * @param calls         decoder calls replayed
     * @param maxAbsDiff    largest |Δ| over every logit and task-loss value of every call
     * @param worstCall     call where it occurred
     */
    public record Result(int calls, double maxAbsDiff, int worstCall) {
    }

    private TraceReplay() {
    }

    public static Result replay(DecoderEngine decoder, ReferenceCase c) {
        if (!c.hasTrace()) {
            throw new IllegalArgumentException("case " + c.name() + " has no per-call trace");
        }
        int batch = c.batch();
        int hidden = decoder.hidden();
        int n = decoder.config().eosTokenId();
        int[] numGazing = c.numGazingEachFrame();
        long[][] gazingPos = c.gazingPos();
        boolean[][] padded = c.padded();
        float[] vision = c.visionEmbeds();
        int visionTokens = vision.length / (batch * c.frames() * hidden);
        int capacity = c.frames() * visionTokens;
        for (int g : numGazing) {
            capacity += g;
        }
        DecoderCache cache = decoder.newCache(batch, capacity);
        float[] logits = new float[batch * decoder.outHeads() * decoder.vocab()];
        float[] tl = new float[batch * decoder.outHeads()];
        int frame = -1;
        int genStart = 0;     // cache index where the current frame's gaze tokens begin
        int frameOffset = 0;  // end of the current frame's tokens in gazing_pos
        double worst = 0;
        int worstCall = 0;
        int calls = c.tracedCalls();
        for (int call = 0; call < calls; call++) {
            long[] pos = c.callLongs(call, "position_ids");
            long[] cachePos = c.callLongs(call, "cache_position");
            int count = cachePos.length;
            for (int i = 0; i < count; i++) {
                if (cachePos[i] != cache.length() + i) {
                    throw new IllegalStateException(c.name() + " call " + call + ": recorded cache index " + cachePos[i]
                            + " but the replay is at " + (cache.length() + i));
                }
            }
            float[] input = new float[batch * count * hidden];
            if (c.isDecodeCall(call)) {
                long[] ids = c.callLongs(call, "input_ids");
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < count; i++) {
                        cache.setMask(b, cache.length() + i, true);
                        decoder.embed((int) ids[b * count + i], input, (b * count + i) * hidden);
                    }
                }
            } else {
                frame++;
                int tail = count - visionTokens;
                for (int b = 0; b < batch; b++) {
                    if (frame > 0) {
                        int prevLen = numGazing[frame - 1];
                        int prevOffset = frameOffset - prevLen;
                        for (int g = 0; g < prevLen; g++) {
                            cache.setMask(b, genStart + g, !padded[b][prevOffset + g]);
                        }
                        for (int i = 0; i < tail; i++) {
                            int at = prevOffset + prevLen - tail + i;
                            int id = padded[b][at] ? n : (int) (gazingPos[b][at] - (long) n * (frame - 1));
                            decoder.embed(id, input, (b * count + i) * hidden);
                        }
                    }
                    for (int i = 0; i < visionTokens; i++) {
                        cache.setMask(b, cache.length() + tail + i, true);
                        System.arraycopy(vision, ((b * c.frames() + frame) * visionTokens + i) * hidden, input,
                                (b * count + tail + i) * hidden, hidden);
                    }
                }
                genStart = cache.length() + count;
                frameOffset += numGazing[frame];
            }
            int[] positions = new int[batch * count];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = Math.toIntExact(pos[i]);
            }
            decoder.forward(cache, input, count, positions, logits, tl);
            double d = Math.max(maxAbsDiff(c.callFloats(call, "last_logits"), logits),
                    maxAbsDiff(c.callFloats(call, "last_task_loss"), tl));
            if (!(d <= worst)) {
                worst = d;
                worstCall = call;
            }
        }
        cache.close();
        return new Result(calls, worst, worstCall);
    }

    private static double maxAbsDiff(float[] expected, float[] actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d; // NaN propagates as the worst
            }
        }
        return worst;
    }
}
