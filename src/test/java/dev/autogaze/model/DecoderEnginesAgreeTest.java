package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM kernels and the ND4J ops compute the same decoder: on seeded random models (one with grouped KV heads),
 * call by call with masked pads, and through whole batched generations, also when ND4J attends in many query chunks.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DecoderEnginesAgreeTest {

    @TempDir
    Path tmp;

    @Test
    void forwardCallsAgreeWithPadsMaskedAndGroupedKvHeads() throws IOException {
        AutoGazeWeights w = AutoGazeWeights.load(RandomModels.twoScales(tmp.resolve("two"), 5));
        for (long scoreFloats : new long[] {Nd4jDecoder.SCORE_FLOATS, 700}) {
            try (GazeDecoder jvm = new GazeDecoder(w, 2); Nd4jDecoder nd4j = new Nd4jDecoder(w, scoreFloats)) {
                double worst = compareCalls(jvm, nd4j, 3, 41);
                assertTrue(worst <= 1e-4, "largest logit difference " + worst + " with score block " + scoreFloats);
            }
        }
    }

    @Test
    void batchedGenerationGivesTheSameTokensOnBothEngines() throws IOException {
        AutoGazeWeights w = AutoGazeWeights.load(RandomModels.tiny(tmp.resolve("tiny"), 3));
        AutoGazeConfig c = w.config();
        int stops = 0;
        for (Float req : new Float[] {null, 0.02f}) {
            for (float ratio : new float[] {0.5f, 1.0f}) {
                GazeOptions o = GazeOptions.defaults().withRatio(ratio).withTaskLossRequirement(req);
                float[] vis = RandomModels.visionEmbeds(c, 3, 4, 17);
                try (GazeDecoder jvm = new GazeDecoder(w, 2); Nd4jDecoder nd4j = new Nd4jDecoder(w, 500)) {
                    GeneratedGaze a = new GazeGenerator(jvm, c.layout()).generate(vis, 3, 4, o).gaze();
                    GeneratedGaze b = new GazeGenerator(nd4j, c.layout()).generate(vis, 3, 4, o).gaze();
                    String what = "req " + req + " ratio " + ratio;
                    assertArrayEquals(a.numGazingEachFrame(), b.numGazingEachFrame(), what);
                    assertArrayEquals(a.gazingPos(), b.gazingPos(), what);
                    for (int r = 0; r < 3; r++) {
                        assertArrayEquals(a.padded()[r], b.padded()[r], what + " row " + r);
                        stops += a.realCount(r) < a.gazingPos()[r].length ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(stops > 0, "some rows stopped early, so pads were masked in later frames");
    }

    @Test
    void eachEngineRejectsTheOthersCache() throws IOException {
        AutoGazeWeights w = AutoGazeWeights.load(RandomModels.tiny(tmp.resolve("tiny"), 3));
        try (GazeDecoder jvm = new GazeDecoder(w, 1); Nd4jDecoder nd4j = new Nd4jDecoder(w)) {
            float[] in = new float[jvm.hidden()];
            float[] logits = new float[jvm.outHeads() * jvm.vocab()];
            float[] tl = new float[jvm.outHeads()];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> nd4j.forward(jvm.newCache(1, 4), in, 1, new int[1], logits, tl));
            assertEquals("the nd4j decoder cannot use a KvCache", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> jvm.forward((DecoderCache) nd4j.newCache(1, 4), in, 1, new int[1], logits, tl));
            assertEquals("the jvm decoder cannot use a Nd4jKvCache", e.getMessage());
        }
    }

    /**
     * Feeds both engines the same random history (a prefill, decode steps, a second prefill that masks two pads of
     * the first frame) and returns the largest |Δ| over every call's logits and task-loss values.
     */
    private static double compareCalls(DecoderEngine a, DecoderEngine b, int batch, long seed) {
        Random random = new Random(seed);
        int hidden = a.hidden();
        int k = a.outHeads();
        int kv = k * a.vocab();
        int[] counts = {37, k, k, 29, k};
        int capacity = 0;
        for (int c : counts) {
            capacity += c;
        }
        DecoderCache ca = a.newCache(batch, capacity);
        DecoderCache cb = b.newCache(batch, capacity);
        float[] la = new float[batch * kv];
        float[] lb = new float[batch * kv];
        float[] ta = new float[batch * k];
        float[] tb = new float[batch * k];
        double worst = 0;
        int pos = 0;
        for (int call = 0; call < counts.length; call++) {
            int count = counts[call];
            int start = ca.length();
            if (call == 3) {
                for (int r = 0; r < batch; r++) {
                    ca.setMask(r, 40 + r, false);
                    cb.setMask(r, 40 + r, false);
                }
            }
            float[] input = new float[batch * count * hidden];
            int[] positions = new int[batch * count];
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < count; i++) {
                    ca.setMask(r, start + i, true);
                    cb.setMask(r, start + i, true);
                    positions[r * count + i] = pos + i + r;
                }
            }
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
            pos += count;
            a.forward(ca, input, count, positions, la, ta);
            b.forward(cb, input, count, positions, lb, tb);
            assertEquals(ca.length(), cb.length());
            for (int i = 0; i < la.length; i++) {
                worst = Math.max(worst, Math.abs((double) la[i] - lb[i]));
            }
            for (int i = 0; i < ta.length; i++) {
                worst = Math.max(worst, Math.abs((double) ta[i] - tb[i]));
            }
        }
        assertTrue(Double.isFinite(worst), "non-finite logits");
        return worst;
    }
}
