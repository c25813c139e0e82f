package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * generateEach / gazeEach on the fixture model: every clip of a mixed batch (four contents, one of another size)
 * gets exactly what generating it alone gives, with and without a task-loss requirement that stops rows apart.
 */
class GenerateEachTest {

    /** With the b1-t16 weights, this requirement stops the mixed clips' rows at different steps in every frame. */
    private static final float SPLIT_REQUIREMENT = -3.53f;

    private static AutoGazeModel model;
    private static List<RgbClip> mixed;

    @BeforeAll
    static void load() {
        model = AutoGazeModel.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"), 2);
        List<RgbClip> b2 = ReferenceCase.rawClips(Fixtures.autogazeSet("nvidia-b2-t4"));
        RgbClip wide = ReferenceCase.rawClips(Fixtures.autogazeSet("nvidia-preprocess-240x320")).get(0);
        RgbClip b1 = ReferenceCase.rawClips(Fixtures.autogazeSet("nvidia-b1-t16")).get(0);
        RgbClip b1Start = new RgbClip(b1.width(), b1.height(), Arrays.copyOfRange(b1.frames(), 0, 4));
        // 224x224 square, 320x240 clip, 224x224 discs, another 224x224 square video: T = 4 each.
        mixed = List.of(b2.get(0), wide, b2.get(1), b1Start);
        assertEquals(240, wide.height());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void withoutRequirementEachClipOfAMixedBatchGetsItsAloneResult() {
        GazeOptions o = GazeOptions.defaults().withRatio(0.3f);
        List<GazeResult> each = model.generateEach(mixed, o);
        assertEquals(mixed.size(), each.size());
        for (int b = 0; b < mixed.size(); b++) {
            assertSameAsAlone(model, mixed.get(b), o, each.get(b), true, "clip " + b);
        }
        // One batched call served all rows (they share its timings), not one call per clip.
        for (GazeResult r : each) {
            assertEquals(each.get(0).timings(), r.timings());
        }
    }

    @Test
    void withARequirementThatStopsRowsApartEachClipStillGetsItsAloneResult() {
        GazeOptions o = GazeOptions.defaults().withRatio(0.5f).withTaskLossRequirement(SPLIT_REQUIREMENT);
        // The official batch semantics differ here: rows that stopped early carry pads for the others.
        GeneratedGaze batched = model.generate(mixed, o).gaze();
        int differ = 0;
        List<GazeResult> each = model.generateEach(mixed, o);
        for (int b = 0; b < mixed.size(); b++) {
            assertSameAsAlone(model, mixed.get(b), o, each.get(b), true, "clip " + b);
            differ += Arrays.equals(batched.numGazingEachFrame(), each.get(b).gaze().numGazingEachFrame()) ? 0 : 1;
        }
        assertTrue(differ >= 3, "the requirement must stop rows apart for this test to mean anything; " + differ
                + " rows differ from the batch");
    }

    @Test
    void gazeSourceGazeEachReturnsTheModelsPerClipTriples() {
        GazeOptions o = GazeOptions.defaults().withRatio(0.2f).withTaskLossRequirement(SPLIT_REQUIREMENT);
        List<GeneratedGaze> each = new AutoGazeGazeSource(model).gazeEach(mixed.subList(0, 2), o);
        List<GazeResult> direct = model.generateEach(mixed.subList(0, 2), o);
        assertEquals(2, each.size());
        for (int b = 0; b < 2; b++) {
            assertEquals(direct.get(b).gaze(), each.get(b));
            assertEquals(1, each.get(b).batchSize());
        }
    }

    @Test
    void clipsPreparedAheadGetWhatGazeEachGivesThem() {
        GazeOptions o = GazeOptions.defaults().withRatio(0.2f).withTaskLossRequirement(SPLIT_REQUIREMENT);
        AutoGazeGazeSource source = new AutoGazeGazeSource(model);
        List<PreparedClip> prepared = mixed.stream().map(source::prepare).toList();
        assertTrue(prepared.stream().allMatch(p -> p.pixels() != null), "AutoGaze prepares the processor's pixels");
        assertEquals(source.gazeEach(mixed, o), source.gazeEachPrepared(prepared, o));
    }

    @Test
    void theNd4jEngineGivesTheSameIdsAndPadsAsAloneAndConfidenceWithinRounding() {
        // ND4J's batched BLAS rounds differently from its B = 1 calls: ids and pads agree, confidences to ~1e-6.
        GazeOptions o = GazeOptions.defaults().withRatio(0.1f);
        try (AutoGazeModel nd4j = AutoGazeModel.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"), 2,
                EngineChoice.ND4J)) {
            List<RgbClip> three = mixed.subList(0, 3);
            List<GazeResult> each = nd4j.generateEach(three, o);
            for (int b = 0; b < three.size(); b++) {
                assertSameAsAlone(nd4j, three.get(b), o, each.get(b), false, "nd4j clip " + b);
            }
        }
    }

    @Test
    void clipsWithDifferentFrameCountsAreRejectedOnBothPaths() {
        RgbClip two = new RgbClip(32, 32, new byte[2][32 * 32 * 3]);
        RgbClip three = new RgbClip(32, 32, new byte[3][32 * 32 * 3]);
        for (Float req : new Float[] {null, SPLIT_REQUIREMENT}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.generateEach(List.of(two, three), GazeOptions.defaults().withTaskLossRequirement(req)));
            assertEquals("clips in a batch must share their frame count: clip 0 has 2 frames, clip 1 has 3",
                    e.getMessage());
        }
    }

    @Test
    void rowOfAGeneratedGazeIsABatchOfOneAndABadRowIsNamed() {
        long[][] pos = {{1, 2, 265 + 3}, {4, 5, 265 + 6}};
        boolean[][] pad = {{false, false, false}, {false, true, false}};
        float[][] conf = {{.5f, .4f, .3f}, {.9f, 0f, .7f}};
        GeneratedGaze g = new GeneratedGaze(pos, pad, new int[] {2, 1}, conf, 265);
        GeneratedGaze row = g.row(1);
        assertEquals(new GeneratedGaze(new long[][] {{4, 5, 265 + 6}}, new boolean[][] {{false, true, false}},
                new int[] {2, 1}, new float[][] {{.9f, 0f, .7f}}, 265), row);
        assertEquals(2, row.realCount(0));
        pos[1][0] = 99;
        assertEquals(4, row.gazingPos()[0][0], "the row is a copy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.row(2));
        assertEquals("batch row 2 does not exist: the batch has 2 rows", e.getMessage());
    }

    /** Ids, pads and n_t exactly; confidence and masks exactly when {@code exact}, else confidence within 1e-5. */
    private static void assertSameAsAlone(AutoGazeModel m, RgbClip clip, GazeOptions o, GazeResult got, boolean exact,
                                          String what) {
        GazeResult alone = m.generate(List.of(clip), o);
        GeneratedGaze a = alone.gaze();
        GeneratedGaze g = got.gaze();
        assertEquals(1, g.batchSize(), what);
        assertArrayEquals(a.numGazingEachFrame(), g.numGazingEachFrame(), what);
        assertArrayEquals(a.gazingPos()[0], g.gazingPos()[0], what);
        assertArrayEquals(a.padded()[0], g.padded()[0], what);
        if (exact) {
            assertEquals(a, g, what);
            for (int s = 0; s < alone.masks().length; s++) {
                assertArrayEquals(alone.masks()[s], got.masks()[s], what + " mask " + s);
            }
        } else {
            assertArrayEquals(a.confidence()[0], g.confidence()[0], 1e-5f, what);
        }
    }
}
