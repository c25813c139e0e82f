package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generation loop on another configuration (scales 112+224, N = 245, K = 3, 2 layers, GQA 4/2 heads of 48)
 * with seeded random weights: shapes, budgets, no repeats within a frame, pads only where the spec allows them.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GenerationInvariantsTest {

    @TempDir
    static Path tmp;

    private static AutoGazeConfig config;
    private static GazeDecoder decoder;
    private static GazeGenerator generator;

    @BeforeAll
    static void build() throws IOException {
        AutoGazeWeights w = AutoGazeWeights.load(RandomModels.twoScales(tmp.resolve("m"), 11));
        config = w.config();
        decoder = new GazeDecoder(w, 2);
        generator = new GazeGenerator(decoder, config.layout());
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void configIsReadFromConfigJsonNotAssumed() {
        assertEquals(245, config.tokensPerFrame());
        assertArrayEquals(new int[] {7, 14}, config.layout().grids());
        assertEquals(3, config.decoder().multiTokenHeads());
        assertEquals(48, config.decoder().headDim());
    }

    @Test
    void withoutRequirementEveryFrameFillsItsBudgetWithDistinctRealIds() {
        for (float ratio : new float[] {0.05f, 0.3f, 1.0f}) {
            GazeOptions o = GazeOptions.defaults().withRatio(ratio);
            GazeResult r = generator.generate(RandomModels.visionEmbeds(config, 3, 3, 5), 3, 3, o);
            check(r, o, 3, 3);
            for (int t = 0; t < 3; t++) {
                assertEquals(o.budgetOfFrame(t, 245), r.gaze().numGazingEachFrame()[t], "ratio " + ratio);
            }
            for (int b = 0; b < 3; b++) {
                assertEquals(0, count(r.gaze().padded()[b], true), "no pads without a requirement");
            }
        }
    }

    @Test
    void requirementStopsFramesWithPadsOnlyAfterTheRowStoppedAndNeverOnTheFirstToken() {
        // find a requirement in the middle of the task-loss values so rows stop at different steps
        int pads = 0;
        int shortFrames = 0;
        for (float req : new float[] {-0.05f, 0.0f, 0.05f}) {
            GazeOptions o = GazeOptions.defaults().withRatio(0.5f).withTaskLossRequirement(req);
            GazeResult r = generator.generate(RandomModels.visionEmbeds(config, 4, 3, 9), 4, 3, o);
            check(r, o, 4, 3);
            for (int b = 0; b < 4; b++) {
                pads += count(r.gaze().padded()[b], true);
            }
            for (int t = 0; t < 3; t++) {
                shortFrames += r.gaze().numGazingEachFrame()[t] < o.budgetOfFrame(t, 245) ? 1 : 0;
            }
        }
        assertTrue(pads > 0 && shortFrames > 0, "the requirements exercised early stops: " + pads + " pads, "
                + shortFrames + " frames below budget");
    }

    @Test
    void perFrameRatiosGiveEachFrameItsOwnBudget() {
        GazeOptions o = GazeOptions.defaults().withRatioEachFrame(new float[] {0.1f, 0.02f, 0.2f});
        GazeResult r = generator.generate(RandomModels.visionEmbeds(config, 1, 3, 3), 1, 3, o);
        check(r, o, 1, 3);
        assertArrayEquals(new int[] {24, 4, 49}, r.gaze().numGazingEachFrame());
    }

    @Test
    void aBatchGivesEachRowTheSameIdsAsRunningItAlone() {
        GazeOptions o = GazeOptions.defaults().withRatio(0.2f);
        float[] both = RandomModels.visionEmbeds(config, 2, 2, 21);
        GazeResult pair = generator.generate(both, 2, 2, o);
        int half = both.length / 2;
        for (int b = 0; b < 2; b++) {
            float[] one = java.util.Arrays.copyOfRange(both, b * half, (b + 1) * half);
            GazeResult alone = generator.generate(one, 1, 2, o);
            assertArrayEquals(alone.gaze().gazingPos()[0], pair.gaze().gazingPos()[b], "row " + b);
        }
    }

    /** Shape, id range, no-repeat, pad-placement, mask and confidence invariants. */
    private static void check(GazeResult r, GazeOptions o, int batch, int frames) {
        GeneratedGaze g = r.gaze();
        ScaleLayout layout = config.layout();
        int n = layout.tokensPerFrame();
        int k = config.decoder().multiTokenHeads();
        assertEquals(batch, g.batchSize());
        assertEquals(frames, g.frames());
        for (int b = 0; b < batch; b++) {
            int at = 0;
            int real = 0;
            for (int t = 0; t < frames; t++) {
                int len = g.numGazingEachFrame()[t];
                assertTrue(len >= 1 && len <= o.budgetOfFrame(t, n), "frame " + t + " length " + len);
                boolean[] seen = new boolean[n];
                int stopStep = Integer.MAX_VALUE;
                assertFalse(g.padded()[b][at], "first token of frame " + t + " row " + b + " is real");
                for (int i = 0; i < len; i++, at++) {
                    long pos = g.gazingPos()[b][at];
                    float conf = g.confidence()[b][at];
                    if (g.padded()[b][at]) {
                        assertEquals((long) n * (t + 1), pos);
                        assertEquals(0f, conf);
                        stopStep = Math.min(stopStep, i / k);
                        continue;
                    }
                    assertTrue(i / k <= stopStep, "real token after the row stopped, frame " + t + " row " + b);
                    int id = (int) (pos - (long) n * t);
                    assertTrue(id >= 0 && id < n, "id " + id);
                    assertFalse(seen[id], "id " + id + " repeated in frame " + t + " row " + b);
                    seen[id] = true;
                    assertTrue(conf > 0f && conf <= 1f, "confidence " + conf);
                    real++;
                }
                if (o.taskLossRequirement() == null) {
                    assertEquals(Integer.MAX_VALUE, stopStep);
                }
            }
            float ones = 0;
            for (int s = 0; s < layout.scaleCount(); s++) {
                assertEquals(batch * frames * layout.tokensOfScale(s), r.masks()[s].length);
                for (int i = b * frames * layout.tokensOfScale(s); i < (b + 1) * frames * layout.tokensOfScale(s); i++) {
                    ones += r.masks()[s][i];
                }
            }
            assertEquals(real, (int) ones, "mask cells of row " + b);
        }
    }

    private static int count(boolean[] v, boolean value) {
        int c = 0;
        for (boolean x : v) {
            c += x == value ? 1 : 0;
        }
        return c;
    }
}
