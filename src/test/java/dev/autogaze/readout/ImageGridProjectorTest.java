package dev.autogaze.readout;

import static dev.autogaze.readout.Fx.block;
import static dev.autogaze.readout.Fx.ids;
import static dev.autogaze.readout.Fx.tok;
import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ImageGridProjectorTest {

    private static final ScaleLayout L = ScaleLayout.released();
    private static final ImageGrid G224 = new ImageGrid(224, 224, 16);
    private static final ImageGrid G240x320 = new ImageGrid(240, 320, 16);

    private static int[] one(ImageGrid grid, ReadoutOptions o, int id) {
        return new ImageGridProjector(L, grid, o).project(ids(new int[] {id})).frame(0);
    }

    private static int[] one(int id) {
        return one(G224, ReadoutOptions.defaults(), id);
    }

    @Test
    void handWorkedIdsOnThe224Grid() {
        assertArrayEquals(block(14, 0, 7, 0, 7), one(0));
        assertArrayEquals(block(14, 7, 14, 7, 14), one(3));
        assertArrayEquals(block(14, 0, 4, 0, 4), one(4));       // 56 px: 3.5 tokens, any overlap -> 4
        assertArrayEquals(block(14, 10, 14, 10, 14), one(19));  // x 168..224 = tokens 10.5..14
        assertArrayEquals(tok(14, 0, 0, 0, 1, 1, 0, 1, 1), one(20));
        assertArrayEquals(tok(14, 12, 12, 12, 13, 13, 12, 13, 13), one(68));
        assertArrayEquals(new int[] {0}, one(69));
        assertArrayEquals(new int[] {13}, one(82));
        assertArrayEquals(new int[] {14}, one(83));
        assertArrayEquals(new int[] {195}, one(264));
    }

    @Test
    void centreRuleKeepsOnlyTokensWhoseCentreIsInside() {
        ReadoutOptions c = ReadoutOptions.defaults().withRule(CellToTokenRule.CENTER);
        assertArrayEquals(block(14, 0, 3, 0, 3), one(G224, c, 4));     // centres 0.5, 1.5, 2.5 < 3.5
        assertArrayEquals(block(14, 10, 14, 10, 14), one(G224, c, 19)); // centre 10.5 is on the edge: in
        assertArrayEquals(new int[] {195}, one(G224, c, 264));
    }

    @Test
    void minFractionCountsTheCoveredShareOfEachToken() {
        // id 19 covers half of column 10 and of row 10, a quarter of token (10, 10).
        ReadoutOptions f60 = ReadoutOptions.defaults().withRule(CellToTokenRule.minFraction(0.6));
        assertArrayEquals(block(14, 11, 14, 11, 14), one(G224, f60, 19));
        ReadoutOptions f25 = ReadoutOptions.defaults().withRule(CellToTokenRule.minFraction(0.25));
        assertArrayEquals(block(14, 10, 14, 10, 14), one(G224, f25, 19));
        ReadoutOptions f30 = ReadoutOptions.defaults().withRule(CellToTokenRule.minFraction(0.3));
        int[] expected = {151, 152, 153, 164, 165, 166, 167, 178, 179, 180, 181, 192, 193, 194, 195};
        assertArrayEquals(expected, one(G224, f30, 19)); // all but the corner (10, 10)
    }

    @Test
    void nonSquareGridScalesXAndYIndependently() {
        // 15 x 20 grid; id 3 -> x 160..320 (cols 10..19), y 120..240 (rows 7.5..15 -> 7..14).
        assertArrayEquals(block(20, 7, 15, 10, 20), one(G240x320, ReadoutOptions.defaults(), 3));
        // id 20 -> x 0..45.71 (cols 0..2), y 0..34.29 (rows 0..2); centre rule: rows 0..1.
        assertArrayEquals(block(20, 0, 3, 0, 3), one(G240x320, ReadoutOptions.defaults(), 20));
        ReadoutOptions c = ReadoutOptions.defaults().withRule(CellToTokenRule.CENTER);
        assertArrayEquals(block(20, 0, 2, 0, 3), one(G240x320, c, 20));
    }

    @Test
    void dilationAddsTheRingAfterTheCoreAndStopsAtTheGridEdge() {
        ReadoutOptions d1 = ReadoutOptions.defaults().withDilation(1);
        assertArrayEquals(new int[] {0, 1, 14, 15}, one(G224, d1, 69));
        assertArrayEquals(new int[] {13, 12, 26, 27}, one(G224, d1, 82));
        // token (2, 3) = id 69 + 31: core first, then the 8 neighbours in raster order.
        assertArrayEquals(new int[] {31, 16, 17, 18, 30, 32, 44, 45, 46}, one(G224, d1, 100));
    }

    @Test
    void dilationOfANonRectangularSetIsChebyshev() {
        // min fraction 0.3 drops corner (10,10) of id 19; dilation 1 brings it back and adds the ring above/left.
        ReadoutOptions o = ReadoutOptions.defaults().withRule(CellToTokenRule.minFraction(0.3)).withDilation(1);
        int[] got = one(G224, o, 19);
        int[] core = {151, 152, 153, 164, 165, 166, 167, 178, 179, 180, 181, 192, 193, 194, 195};
        assertArrayEquals(core, java.util.Arrays.copyOf(got, core.length));
        int[] ring = java.util.Arrays.copyOfRange(got, core.length, got.length);
        assertArrayEquals(new int[] {136, 137, 138, 139, 149, 150, 163, 177, 191}, ring);
    }

    @Test
    void fixationScaleGrowsAndShrinksTheCellAboutItsCentre() {
        // id 100: x 48..64, y 32..48.
        assertArrayEquals(block(14, 1, 4, 2, 5), one(G224, ReadoutOptions.defaults().withFixationScale(2), 100));
        assertArrayEquals(new int[] {31}, one(G224, ReadoutOptions.defaults().withFixationScale(0.5), 100));
        // id 69 grown x3 reaches past the frame edge: only tokens that exist.
        assertArrayEquals(new int[] {0, 1, 14, 15}, one(G224, ReadoutOptions.defaults().withFixationScale(3), 69));
    }

    @Test
    void capKeepsEarliestGazesNotRasterOrder() {
        ImageGridProjector p = new ImageGridProjector(L, G224, ReadoutOptions.defaults().withMaxTokensPerFrame(3));
        assertArrayEquals(new int[] {195, 0, 1}, p.project(ids(new int[] {264, 0, 69})).frame(0));
        ImageGridProjector f = new ImageGridProjector(L, G224, ReadoutOptions.defaults().withMaxFixationsPerFrame(2));
        int[] got = f.project(ids(new int[] {264, 82, 0})).frame(0);
        assertArrayEquals(new int[] {195, 13}, got);
    }

    @Test
    void duplicatesAcrossGazesAreKeptOnceAtTheirFirstPosition() {
        ImageGridProjector p = new ImageGridProjector(L, G224, ReadoutOptions.defaults());
        int[] got = p.project(ids(new int[] {69, 20, 83})).frame(0);
        assertArrayEquals(new int[] {0, 1, 14, 15}, got);
    }

    @Test
    void confidencePriorityAndThresholdOrderAndFilterGazes() {
        FrameIds in = ids(new int[][] {{264, 69, 82}}, new float[][] {{0.2f, 0.9f, 0.5f}});
        ReadoutOptions byConf = ReadoutOptions.defaults().withPriority(Priority.CONFIDENCE);
        assertArrayEquals(new int[] {0, 13, 195}, new ImageGridProjector(L, G224, byConf).project(in).frame(0));
        assertArrayEquals(new int[] {0, 13}, new ImageGridProjector(L, G224, byConf.withMaxTokensPerFrame(2))
                .project(in).frame(0));
        ReadoutOptions thr = ReadoutOptions.defaults().withConfidenceThreshold(0.5);
        assertArrayEquals(new int[] {0, 13}, new ImageGridProjector(L, G224, thr).project(in).frame(0));
    }

    @Test
    void confidencePriorityWithoutConfidenceFallsBackToGazeOrder() {
        ReadoutOptions byConf = ReadoutOptions.defaults().withPriority(Priority.CONFIDENCE).withMaxTokensPerFrame(2);
        assertArrayEquals(new int[] {195, 0}, new ImageGridProjector(L, G224, byConf)
                .project(ids(new int[] {264, 69, 82})).frame(0));
    }

    @Test
    void thresholdWithoutConfidenceIsAnError() {
        ImageGridProjector p = new ImageGridProjector(L, G224, ReadoutOptions.defaults().withConfidenceThreshold(0.3));
        assertMessage("confidence threshold 0.3 needs confidences, but gaze 0 of frame 1 has none",
                () -> p.project(ids(new int[0], new int[] {5})));
    }

    @Test
    void idsOutOfRangeAreRejected() {
        ImageGridProjector p = new ImageGridProjector(L, G224, ReadoutOptions.defaults());
        assertMessage("gaze id 265 (entry 1) is outside [0, 265)", () -> p.project(ids(new int[] {3, 265})));
    }

    @Test
    void everyFrameIsProjectedSeparately() {
        ImageTokens t = new ImageGridProjector(L, G224, ReadoutOptions.defaults())
                .project(ids(new int[] {69}, new int[0], new int[] {264, 82}));
        assertEquals(3, t.frames());
        assertArrayEquals(new int[0], t.frame(1));
        assertArrayEquals(new int[] {195, 13}, t.frame(2));
        assertEquals(3, t.totalTokens());
    }
}
