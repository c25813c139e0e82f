package dev.autogaze.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A single batch row (or rows that do not split evenly over the threads) is run by all decoder threads together,
 * sharing out the units of each phase, each on its own heads and columns; every element must
 * come out exactly as on one thread (same summation order), for MHA and GQA, prefill and decode calls, and with more
 * threads than KV heads (a member that owns no head).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DecoderTeamTest {

    @TempDir
    Path tmp;

    @Test
    void anyRowCountGivesBitIdenticalLogitsOnOneTwoAndThreeThreads() throws IOException {
        for (AutoGazeWeights w : new AutoGazeWeights[] {
                AutoGazeWeights.load(RandomModels.tiny(tmp.resolve("tiny"), 5)),
                AutoGazeWeights.load(RandomModels.twoScales(tmp.resolve("gqa"), 6))}) {
            for (int batch : new int[] {1, 2, 3}) {
                float[][] one = run(w, 1, batch);
                for (int threads : new int[] {2, 3}) {
                    float[][] many = run(w, threads, batch);
                    for (int call = 0; call < one.length; call++) {
                        assertArrayEquals(one[call], many[call], threads + " threads, batch " + batch + ", call "
                                + call + ", " + w.config().decoder().kvHeads() + " KV heads");
                    }
                }
            }
        }
    }

    /** A prefill of 37 tokens, then four decode calls of K tokens; returns each call's logits and task loss. */
    private static float[][] run(AutoGazeWeights w, int threads, int batch) {
        AutoGazeConfig.Decoder d = w.config().decoder();
        int hidden = d.hiddenSize();
        int k = d.multiTokenHeads();
        Random rnd = new Random(42);
        float[][] out = new float[10][];
        try (GazeDecoder decoder = new GazeDecoder(w, threads)) {
            KvCache cache = decoder.newCache(batch, 37 + 4 * k);
            int pos = 0;
            for (int call = 0; call < 5; call++) {
                int count = call == 0 ? 37 : k;
                float[] input = new float[batch * count * hidden];
                int[] positions = new int[batch * count];
                for (int i = 0; i < input.length; i++) {
                    input[i] = (float) rnd.nextGaussian();
                }
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < count; i++) {
                        cache.setMask(b, cache.length() + i, rnd.nextInt(7) != 0 || i == 0);
                        positions[b * count + i] = pos + (call == 0 ? i : 0); // decode calls share a stale position
                    }
                }
                pos += call == 0 ? count : 0;
                float[] logits = new float[batch * k * d.vocabSize()];
                float[] taskLoss = new float[batch * k];
                decoder.forward(cache, input, count, positions, logits, taskLoss);
                out[2 * call] = logits;
                out[2 * call + 1] = taskLoss;
            }
        }
        return out;
    }
}
