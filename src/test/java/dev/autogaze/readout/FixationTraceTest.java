package dev.autogaze.readout;

import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixationTraceTest {

    private static final ScaleLayout L = ScaleLayout.released();
    private static final GazeDecoder D = GazeDecoder.of(L);

    /** B = 2, T = 2, n = [4, 3]; pads interleave inside frames as task-loss gating produces them. */
    static GeneratedGaze twoRows(float[][] conf) {
        long[][] pos = {
                {0, 530, 264, 83, 265 + 69, 265 + 3, 530},
                {20, 19, 530 - 265, 68, 530, 265 + 82, 265 + 4},
        };
        boolean[][] pad = {
                {false, true, false, false, false, false, true},
                {false, false, true, false, true, false, false},
        };
        return new GeneratedGaze(pos, pad, new int[] {4, 3}, conf, 265);
    }

    @Test
    void generatedOutputBecomesPerRowPerFrameFixationsInGazeOrderWithoutPads() {
        List<FixationTrace> rows = FixationTrace.fromGenerated(twoRows(null), D);
        assertEquals(2, rows.size());
        assertEquals(List.of(0, 264, 83), ids(rows.get(0).frame(0)));
        assertEquals(List.of(69, 3), ids(rows.get(0).frame(1)));
        assertEquals(List.of(20, 19, 68), ids(rows.get(1).frame(0)));
        assertEquals(List.of(82, 4), ids(rows.get(1).frame(1)));
        Fixation f = rows.get(1).frame(1).get(1);
        assertEquals(1, f.frame());
        assertEquals(1, f.order());
        assertEquals(new ReadoutRect(0, 0, 56, 56), f.sourceRect());
        assertTrue(Float.isNaN(f.confidence()));
    }

    @Test
    void confidenceTravelsWithItsGazeAndPadsConfidenceIsDropped() {
        float[][] conf = {{0.9f, 0.1f, 0.8f, 0.7f, 0.6f, 0.5f, 0.2f}, {0.3f, 0.4f, 0.0f, 0.35f, 0.0f, 0.25f, 0.15f}};
        List<FixationTrace> rows = FixationTrace.fromGenerated(twoRows(conf), D);
        assertEquals(0.8f, rows.get(0).frame(0).get(1).confidence());
        assertEquals(0.15f, rows.get(1).frame(1).get(1).confidence());
        FrameIds ids = FrameIds.fromGenerated(twoRows(conf), 1, 265);
        assertEquals(0.35f, ids.confidenceAt(2));
    }

    @Test
    void padAtTheStartOfAFrameAndAWhollyPaddedFrameAreSkipped() {
        GeneratedGaze g = new GeneratedGaze(new long[][] {{265, 7, 530, 530}}, new boolean[][] {{true, false, true,
                true}}, new int[] {2, 2}, null, 265);
        FixationTrace t = FixationTrace.fromGenerated(g, D).get(0);
        assertEquals(List.of(7), ids(t.frame(0)));
        assertEquals(0, t.frame(0).get(0).order());
        assertEquals(List.of(), t.frame(1));
    }

    @Test
    void unflaggedPadValueIsRejected() {
        GeneratedGaze g = new GeneratedGaze(new long[][] {{4, 265}}, new boolean[][] {{false, false}}, new int[] {2},
                null, 265);
        assertMessage("gazing_pos[0][1] = 265 is the pad id 265 of frame 0 but if_padded_gazing is false",
                () -> FixationTrace.fromGenerated(g, D));
    }

    @Test
    void realIdOutsideItsFramesSegmentIsRejected() {
        GeneratedGaze g = new GeneratedGaze(new long[][] {{4, 200}}, new boolean[][] {{false, false}},
                new int[] {1, 1}, null, 265);
        GeneratedGaze early = new GeneratedGaze(new long[][] {{4, 264 + 530}}, new boolean[][] {{false, false}},
                new int[] {1, 1}, null, 265);
        assertMessage("gazing_pos[0][1] = 200 is not in frame 1 (ids 265..529)", () -> FixationTrace.fromGenerated(g,
                D).size());
        assertMessage("= 794 is not in frame 1", () -> FixationTrace.fromGenerated(early, D));
        GeneratedGaze negative = new GeneratedGaze(new long[][] {{-3}}, new boolean[][] {{false}}, new int[] {1}, null,
                265);
        assertMessage("= -3 is not in frame 0", () -> FixationTrace.fromGenerated(negative, D));
    }

    @Test
    void vocabularyMismatchIsRejected() {
        GeneratedGaze g = new GeneratedGaze(new long[][] {{4}}, new boolean[][] {{false}}, new int[] {1}, null, 196);
        assertMessage("generated gaze has N = 196 ids per frame but the layout has 265",
                () -> FixationTrace.fromGenerated(g, D));
    }

    @Test
    void traceRejectsFixationsFiledUnderTheWrongFrameOrOutOfOrder() {
        Fixation a = Fixation.of(D, D.cell(1, 5), 0, Float.NaN);
        assertMessage("fixation 0 of frame 0 says frame 1", () -> new FixationTrace(List.of(List.of(a))));
        Fixation b = Fixation.of(D, D.cell(0, 5), 2, Float.NaN);
        Fixation c = Fixation.of(D, D.cell(0, 6), 1, Float.NaN);
        assertMessage("fixation orders must increase, found 2 then 1",
                () -> new FixationTrace(List.of(List.of(b, c))));
        assertMessage("not finite", () -> Fixation.of(D, D.cell(0, 5), 0, Float.POSITIVE_INFINITY));
    }

    @Test
    void randomBatchesKeepEveryRealGazeInOrderAndNoPad() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int b = 1 + rnd.nextInt(4);
            int t = 1 + rnd.nextInt(6);
            int[] n = rnd.ints(t, 0, 30).toArray();
            int total = java.util.Arrays.stream(n).sum();
            long[][] pos = new long[b][total];
            boolean[][] pad = new boolean[b][total];
            for (int r = 0; r < b; r++) {
                int i = 0;
                for (int f = 0; f < t; f++) {
                    for (int k = 0; k < n[f]; k++, i++) {
                        pad[r][i] = rnd.nextInt(4) == 0;
                        pos[r][i] = (long) f * 265 + (pad[r][i] ? 265 : rnd.nextInt(265));
                    }
                }
            }
            GeneratedGaze g = new GeneratedGaze(pos, pad, n, null, 265);
            List<FixationTrace> rows = FixationTrace.fromGenerated(g, D);
            for (int r = 0; r < b; r++) {
                assertEquals(g.realCount(r), rows.get(r).fixationCount());
                int i = 0;
                for (int f = 0; f < t; f++) {
                    List<Fixation> list = rows.get(r).frame(f);
                    int k = 0;
                    for (int e = i + n[f]; i < e; i++) {
                        if (!pad[r][i]) {
                            assertEquals(pos[r][i] - 265L * f, list.get(k).cell().id());
                            assertEquals(k, list.get(k).order());
                            k++;
                        }
                    }
                    assertEquals(k, list.size());
                }
            }
        }
    }

    static List<Integer> ids(List<Fixation> list) {
        return list.stream().map(f -> f.cell().id()).toList();
    }
}
