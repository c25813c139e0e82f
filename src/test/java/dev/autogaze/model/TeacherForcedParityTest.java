package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays the official token history of every traced call (fixture input ids, positions and cache indices) and
 * compares each call's last-row logits and task-loss values within 1e-4.
 */
class TeacherForcedParityTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void everyTracedCallOfTheB1SetMatchesWithinTolerance() {
        assertEquals(3, replayTracedCases("nvidia-b1-t16"));
    }

    @Test
    void everyTracedCallOfTheB2SetMatchesWithinTolerance() {
        assertEquals(3, replayTracedCases("nvidia-b2-t4"));
    }

    private static int replayTracedCases(String set) {
        Path dir = Fixtures.autogazeSet(set);
        GazeDecoder decoder = new GazeDecoder(AutoGazeWeights.load(dir.resolve("model")));
        int traced = 0;
        for (ReferenceCase c : ReferenceCase.all(dir)) {
            if (!c.hasTrace()) {
                continue;
            }
            traced++;
            double worst = replay(decoder, c);
            assertTrue(worst <= TOLERANCE, c.name() + ": worst difference " + worst);
        }
        return traced;
    }

    /** Returns the largest abs difference seen over all calls; fails at the first call beyond tolerance. */
    static double replay(GazeDecoder decoder, ReferenceCase c) {
        int batch = c.batch();
        int hidden = decoder.hidden();
        int n = decoder.config().eosTokenId();
        int kv = decoder.outHeads() * decoder.vocab();
        int[] numGazing = c.numGazingEachFrame();
        long[][] gazingPos = c.gazingPos();
        boolean[][] padded = c.padded();
        float[] vision = c.visionEmbeds();
        int visionTokens = vision.length / (batch * c.frames() * hidden);
        int capacity = c.frames() * visionTokens;
        for (int g : numGazing) {
            capacity += g;
        }
        KvCache cache = decoder.newCache(batch, capacity);
        float[] logits = new float[batch * kv];
        float[] tl = new float[batch * decoder.outHeads()];
        int frame = -1;
        int genStart = 0;     // cache index where the current frame's gaze tokens begin
        int frameOffset = 0;  // offset of the current frame's tokens in gazing_pos
        double worst = 0;
        int calls = c.tracedCalls();
        for (int call = 0; call < calls; call++) {
            long[] pos = c.callLongs(call, "position_ids");
            long[] cachePos = c.callLongs(call, "cache_position");
            int count = cachePos.length;
            assertEquals(cache.length(), cachePos[0], c.name() + " call " + call + ": cache start");
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
            float[] expLogits = c.callFloats(call, "last_logits");
            float[] expTl = c.callFloats(call, "last_task_loss");
            worst = Math.max(worst, check(c, call, "last_logits", expLogits, logits));
            worst = Math.max(worst, check(c, call, "last_task_loss", expTl, tl));
        }
        return worst;
    }

    private static double check(ReferenceCase c, int call, String what, float[] expected, float[] actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= TOLERANCE)) {
                fail(c.name() + " call " + call + " " + what + "[" + i + "]: expected " + expected[i] + ", got "
                        + actual[i]);
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }
}
