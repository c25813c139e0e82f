package dev.autogaze.readout;

import static dev.autogaze.readout.Fx.ids;
import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VideoTokenProjectorTest {

    private static final ScaleLayout L = ScaleLayout.released();
    private static final ReadoutOptions O = ReadoutOptions.defaults();
    private static final VideoTokenOptions NONE = VideoTokenOptions.defaults();

    private static VideoCoordinates run(VideoGeometry g, ReadoutOptions o, VideoTokenOptions v, FrameIds ids) {
        return new VideoTokenProjector(L, g, o, v).project(ids, 3);
    }

    private static int[][] coords(int... flat) {
        return new VideoCoordinates(new VideoGeometry(64, 448, 448, 1, 16), flat).toArray();
    }

    @Test
    void twoFramesOfOneTubeletAreUnionedIntoOneBin() {
        VideoGeometry g = new VideoGeometry(2, 224, 224, 2, 16);
        VideoCoordinates c = run(g, O, NONE, ids(new int[] {69}, new int[] {264}));
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 13, 13), c.toArray());
    }

    @Test
    void duplicateTokensOfATubeletAppearOnce() {
        VideoGeometry g = new VideoGeometry(4, 224, 224, 2, 16);
        VideoCoordinates c = run(g, O, NONE, ids(new int[] {0}, new int[] {3}, new int[] {69}, new int[] {20}));
        assertEquals(98 + 4, c.count());
        assertArrayEquals(new int[] {3, 1, 0, 0}, c.toArray()[98]);
        assertArrayEquals(new int[] {3, 1, 1, 1}, c.toArray()[101]);
    }

    @Test
    void rectsAreQuantisedOnceOnANonSquareDownstreamFrame() {
        // id 20 -> x 0..45.71, y 0..34.29 on 320x240: cols 0..2, rows 0..2 under any overlap.
        VideoGeometry g = new VideoGeometry(1, 240, 320, 1, 16);
        VideoCoordinates c = run(g, O, NONE, ids(new int[] {20}));
        assertEquals(9, c.count());
        assertArrayEquals(new int[] {3, 0, 2, 2}, c.toArray()[8]);
        // A coarse 32-px patch: id 70 (model x 16..32 -> 22.9..45.7) straddles columns 0 and 1.
        VideoGeometry coarse = new VideoGeometry(1, 224, 320, 1, 32);
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 0, 1), run(coarse, O, NONE, ids(new int[] {70})).toArray());
    }

    @Test
    void perBinBudgetKeepsTheFirstGazesOfEachFrameRoundRobin() {
        VideoGeometry g = new VideoGeometry(2, 224, 224, 2, 16);
        FrameIds in = ids(new int[] {264, 69}, new int[] {82, 83});
        // merge order 264 (f0), 82 (f1), 69 (f0), 83 (f1); keep 3.
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 0, 13, 3, 0, 13, 13),
                run(g, O, NONE.withPerBinBudget(3), in).toArray());
    }

    @Test
    void perBinBudgetWithConfidencePriorityKeepsTheMostConfidentGazes() {
        VideoGeometry g = new VideoGeometry(2, 224, 224, 2, 16);
        FrameIds in = ids(new int[][] {{264, 69}, {82, 83}}, new float[][] {{0.1f, 0.9f}, {0.5f, 0.8f}});
        ReadoutOptions byConf = O.withPriority(Priority.CONFIDENCE);
        // order 69 (0.9), 83 (0.8), 82 (0.5), 264 (0.1); keep 3.
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 0, 13, 3, 0, 1, 0),
                run(g, byConf, NONE.withPerBinBudget(3), in).toArray());
    }

    @Test
    void globalBudgetIsSharedRoundRobinSoLateBinsGetTheirShare() {
        VideoGeometry g = new VideoGeometry(4, 224, 224, 1, 16);
        // bin token counts 49, 1, 4, 16; budget 12 -> level 3, leftover 2 to bins 0 and 2: keep 4, 1, 4, 3.
        VideoCoordinates c = run(g, O, NONE.withGlobalBudget(12), ids(new int[] {0}, new int[] {69}, new int[] {20},
                new int[] {4}));
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 0, 1, 3, 0, 0, 2, 3, 0, 0, 3, 3, 1, 0, 0,
                3, 2, 0, 0, 3, 2, 0, 1, 3, 2, 1, 0, 3, 2, 1, 1, 3, 3, 0, 0, 3, 3, 0, 1, 3, 3, 0, 2), c.toArray());
    }

    @Test
    void minimumFillAddsCentreOutTokensInRasterOrderOfTies() {
        VideoGeometry g = new VideoGeometry(1, 224, 224, 1, 16);
        // centre ties (6,6), (6,7), (7,6), (7,7): the first three fill a bin holding only (0,0).
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 6, 6, 3, 0, 6, 7, 3, 0, 7, 6),
                run(g, O, NONE.withMinTokensPerBin(4), ids(new int[] {69})).toArray());
        // a token already present is not added twice: (6,6) is id 69 + 90.
        assertArrayEquals(coords(3, 0, 6, 6, 3, 0, 6, 7),
                run(g, O, NONE.withMinTokensPerBin(2), ids(new int[] {159})).toArray());
        // an empty bin is filled as well
        assertEquals(4, run(g, O, NONE.withMinTokensPerBin(4), ids(new int[0])).count());
    }

    @Test
    void minimumFillSurvivesTheGlobalBudget() {
        VideoGeometry g = new VideoGeometry(2, 224, 224, 1, 16);
        VideoCoordinates c = run(g, O, new VideoTokenOptions(0, 8, 4), ids(new int[] {0}, new int[] {69}));
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 0, 1, 3, 0, 0, 2, 3, 0, 0, 3,
                3, 1, 0, 0, 3, 1, 6, 6, 3, 1, 6, 7, 3, 1, 7, 6), c.toArray());
    }

    @Test
    void perFrameOptionsApplyBeforeTheUnion() {
        VideoGeometry g = new VideoGeometry(2, 224, 224, 2, 16);
        ReadoutOptions o = O.withMaxTokensPerFrame(1);
        assertArrayEquals(coords(3, 0, 0, 0, 3, 0, 7, 7), run(g, o, NONE, ids(new int[] {0}, new int[] {3})).toArray());
    }

    @Test
    void mismatchedFrameCountsAndBadBudgetsAreRejected() {
        VideoGeometry g = new VideoGeometry(4, 224, 224, 2, 16);
        assertMessage("gaze has 3 frames but the video geometry has 4",
                () -> run(g, O, NONE, ids(new int[0], new int[0], new int[0])));
        assertMessage("minimum 5 tokens x 2 bins = 10 exceeds the global budget 9",
                () -> new VideoTokenProjector(L, g, O, new VideoTokenOptions(0, 9, 5)));
        assertMessage("gaze id -4 (entry 0) is outside [0, 265)",
                () -> run(g, O, NONE, ids(new int[] {-4}, new int[0], new int[0], new int[0])));
        assertMessage("batch index -1 is negative",
                () -> new VideoTokenProjector(L, g, O, NONE).project(ids(new int[0], new int[0], new int[0],
                        new int[0]), -1));
    }

    @Test
    void aCallThatFailsHalfWayLeavesTheProjectorClean() {
        VideoGeometry g = new VideoGeometry(2, 224, 224, 1, 16);
        VideoTokenProjector p = new VideoTokenProjector(L, g, O.withConfidenceThreshold(0.5), NONE);
        FrameIds bad = ids(new int[][] {{0}, {69}}, new float[][] {{0.9f}, {Float.NaN}}); // fails in bin 1
        assertMessage("needs confidences", () -> p.project(bad, 0));
        FrameIds good = ids(new int[][] {{264}, {82}}, new float[][] {{0.9f}, {0.9f}});
        assertArrayEquals(coords(3, 0, 13, 13, 3, 1, 0, 13), p.project(good, 3).toArray());
    }

    @Test
    void roundRobinGivesEachBinItsShareAndTheLeftoverToTheEarliest() {
        assertArrayEquals(new int[] {5, 5}, BinBudgets.roundRobin(new int[] {49, 49}, 10));
        assertArrayEquals(new int[] {4, 3, 3}, BinBudgets.roundRobin(new int[] {49, 49, 49}, 10));
        assertArrayEquals(new int[] {2, 1, 7}, BinBudgets.roundRobin(new int[] {2, 1, 100}, 10));
        assertArrayEquals(new int[] {2, 1, 100}, BinBudgets.roundRobin(new int[] {2, 1, 100}, 0));
        assertArrayEquals(new int[] {5, 5, 5}, BinBudgets.roundRobin(new int[] {5, 5, 5}, 15));
        assertArrayEquals(new int[] {2, 0, 2}, BinBudgets.roundRobin(new int[] {3, 0, 9}, 4));
    }

    @Test
    void centreOutOrderStartsAtTheCentreAndBreaksTiesInRasterOrder() {
        int[] o = BinBudgets.centreOutOrder(3, 4);
        // 3x4: centre between cols 1 and 2 of row 1.
        assertArrayEquals(new int[] {5, 6, 1, 2, 9, 10, 4, 7, 0, 3, 8, 11}, o);
    }
}
