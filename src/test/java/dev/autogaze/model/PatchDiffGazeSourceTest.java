package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchDiffGazeSourceTest {

    private static final int N = 265;

    /** A 224x224 clip: frame 0 flat gray 100, frame 1 the same with a white 16x16 square at x 32-48, y 16-32. */
    private static RgbClip squareAppears() {
        byte[] flat = new byte[224 * 224 * 3];
        java.util.Arrays.fill(flat, (byte) 100);
        byte[] square = flat.clone();
        for (int y = 16; y < 32; y++) {
            for (int x = 32; x < 48; x++) {
                for (int c = 0; c < 3; c++) {
                    square[(y * 224 + x) * 3 + c] = (byte) 255;
                }
            }
        }
        return new RgbClip(224, 224, new byte[][] {flat, square});
    }

    private static RgbClip still(int frames) {
        byte[][] f = new byte[frames][224 * 224 * 3];
        for (byte[] frame : f) {
            java.util.Arrays.fill(frame, (byte) 100);
        }
        return new RgbClip(224, 224, f);
    }

    @Test
    void changedSquareIsGazedFinestFirstThenTheCoarserCellsThatContainItAboveThreshold() {
        // Change 155 over the 16x16 fine cell (row 1, col 2 -> id 69+14+2 = 85); the 32 px cell (0,1) -> id 21 has
        // mean 155*256/1024 = 38.75; the 56 px cell (0,0) -> id 4 has 155*256/3136 = 12.65; the 112 px cell has
        // 3.16 < threshold 8. Frame 0 is flat, so nothing passes and the best cell (tie -> id 0) is taken.
        GeneratedGaze g = PatchDiffGazeSource.defaults().gaze(List.of(squareAppears()), GazeOptions.defaults());
        assertArrayEquals(new int[] {1, 3}, g.numGazingEachFrame());
        assertArrayEquals(new long[] {0, N + 85, N + 21, N + 4}, g.gazingPos()[0]);
        assertArrayEquals(new boolean[] {false, false, false, false}, g.padded()[0]);
        assertNull(g.confidence());
        assertEquals(N, g.tokensPerFrame());
    }

    @Test
    void budgetFromGazeOptionsCutsTheLowestScores() {
        // ratio 0.01 -> budget max(1, trunc(2.65)) = 2
        GeneratedGaze g = PatchDiffGazeSource.defaults().gaze(List.of(squareAppears()),
                GazeOptions.defaults().withRatio(0.01f));
        assertArrayEquals(new int[] {1, 2}, g.numGazingEachFrame());
        assertArrayEquals(new long[] {0, N + 85, N + 21}, g.gazingPos()[0]);
    }

    @Test
    void higherThresholdDropsCellsBelowIt() {
        GeneratedGaze g = new PatchDiffGazeSource(ScaleLayout.released(), 20f)
                .gaze(List.of(squareAppears()), GazeOptions.defaults());
        assertArrayEquals(new long[] {0, N + 85, N + 21}, g.gazingPos()[0]);
    }

    @Test
    void shorterBatchRowsArePaddedWithIdNToTheLongestRowOfEachFrame() {
        GeneratedGaze g = PatchDiffGazeSource.defaults().gaze(List.of(squareAppears(), still(2)), GazeOptions.defaults());
        assertArrayEquals(new int[] {1, 3}, g.numGazingEachFrame());
        assertArrayEquals(new long[] {0, N + 85, N + 21, N + 4}, g.gazingPos()[0]);
        assertArrayEquals(new long[] {0, N, 2L * N, 2L * N}, g.gazingPos()[1]);
        assertArrayEquals(new boolean[] {false, false, true, true}, g.padded()[1]);
        assertEquals(4, g.realCount(0));
        assertEquals(2, g.realCount(1));
    }

    @Test
    void gazeEachGivesTheStillClipItsOwnResultWithoutThePadsOfTheBatch() {
        // The batched call above pads the still clip's frame 1 to the square clip's 3 gazes; gazeEach must not.
        RgbClip small = new RgbClip(64, 48, new byte[2][64 * 48 * 3]);
        List<RgbClip> clips = List.of(squareAppears(), still(2), small);
        List<GeneratedGaze> each = PatchDiffGazeSource.defaults().gazeEach(clips, GazeOptions.defaults());
        assertEquals(3, each.size());
        assertArrayEquals(new int[] {1, 1}, each.get(1).numGazingEachFrame());
        assertArrayEquals(new long[] {0, N}, each.get(1).gazingPos()[0]);
        for (int b = 0; b < clips.size(); b++) {
            assertEquals(PatchDiffGazeSource.defaults().gaze(List.of(clips.get(b)), GazeOptions.defaults()),
                    each.get(b), "clip " + b);
        }
    }

    @Test
    void squashIsAnExactAreaAverage() {
        // Layout scales [2,4], patch 1 -> frame size 4. A 6x6 frame whose every row is 0,60,120,180,240,0 squashes
        // horizontally with 1.5 px windows: (0+60*.5)/1.5=20, (60*.5+120)/1.5=100, (180+240*.5)/1.5=200,
        // (240*.5+0)/1.5=80; rows are identical, so the vertical pass keeps them.
        PatchDiffGazeSource source = new PatchDiffGazeSource(ScaleLayout.of(new int[] {2, 4}, 1, 20), 8f);
        int[] row = {0, 60, 120, 180, 240, 0};
        byte[] frame = new byte[6 * 6 * 3];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                for (int c = 0; c < 3; c++) {
                    frame[(y * 6 + x) * 3 + c] = (byte) row[x];
                }
            }
        }
        float[] out = source.squash(new RgbClip(6, 6, new byte[][] {frame}), 0);
        float[] expected = {20, 100, 200, 80};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(expected[x], out[(y * 4 + x) * 3], 1e-3, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void frameZeroGazesAtContrastAgainstItsOwnMean() {
        // 4x4 frame, layout [2,4] patch 1: left half 0, right half 200 -> mean 100, change 100 everywhere, so every
        // cell scores 100 > 8 and all 20 ids are taken, in id order (ties).
        PatchDiffGazeSource source = new PatchDiffGazeSource(ScaleLayout.of(new int[] {2, 4}, 1, 20), 8f);
        byte[] frame = new byte[4 * 4 * 3];
        for (int y = 0; y < 4; y++) {
            for (int x = 2; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    frame[(y * 4 + x) * 3 + c] = (byte) 200;
                }
            }
        }
        GeneratedGaze g = source.gaze(List.of(new RgbClip(4, 4, new byte[][] {frame})), GazeOptions.defaults().withRatio(1f));
        assertEquals(20, g.numGazingEachFrame()[0]);
        for (int i = 0; i < 20; i++) {
            assertEquals(i, g.gazingPos()[0][i]);
        }
    }

    @Test
    void seededRandomClipsKeepTheContract() {
        Random random = new Random(7);
        PatchDiffGazeSource source = PatchDiffGazeSource.defaults();
        for (int trial = 0; trial < 4; trial++) {
            int w = 40 + random.nextInt(300);
            int h = 40 + random.nextInt(300);
            int frames = 1 + random.nextInt(4);
            RgbClip[] clips = new RgbClip[2];
            for (int b = 0; b < 2; b++) {
                byte[][] f = new byte[frames][w * h * 3];
                for (byte[] frame : f) {
                    // Blocky noise so that several scales pass the threshold.
                    int block = 1 + random.nextInt(40);
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            int v = ((x / block) * 31 + (y / block) * 17 + random.nextInt(3) * 50) & 0xFF;
                            for (int c = 0; c < 3; c++) {
                                frame[(y * w + x) * 3 + c] = (byte) v;
                            }
                        }
                    }
                }
                clips[b] = new RgbClip(w, h, f);
            }
            GazeOptions options = GazeOptions.defaults().withRatio(0.05f + random.nextFloat() * 0.9f);
            GeneratedGaze g = source.gaze(List.of(clips), options);
            for (int b = 0; b < 2; b++) {
                int[][] picks = source.pickClip(clips[b], options);
                int k = 0;
                for (int t = 0; t < frames; t++) {
                    int budget = options.budgetOfFrame(t, N);
                    assertTrue(picks[t].length >= 1 && picks[t].length <= budget, "count within [1, budget]");
                    Set<Integer> seen = new HashSet<>();
                    for (int i = 0; i < g.numGazingEachFrame()[t]; i++, k++) {
                        boolean pad = i >= picks[t].length;
                        assertEquals(pad, g.padded()[b][k], "pads only fill the row to the frame's count");
                        if (!pad) {
                            long id = g.gazingPos()[b][k] - (long) t * N;
                            assertTrue(id >= 0 && id < N, "id " + id + " in range");
                            assertTrue(seen.add((int) id), "no duplicate id " + id + " in frame " + t);
                        }
                    }
                }
            }
        }
    }

    @Test
    void taskLossRequirementIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatchDiffGazeSource.defaults()
                .gaze(List.of(still(1)), GazeOptions.defaults().withTaskLossRequirement(0.7f)));
        assertTrue(e.getMessage().contains("task_loss_requirement 0.7"), e.getMessage());
    }

    @Test
    void mixedFrameCountsInABatchAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatchDiffGazeSource.defaults().gaze(List.of(still(2), still(3)), GazeOptions.defaults()));
        assertTrue(e.getMessage().contains("batch row 1 has 3 frames but row 0 has 2"), e.getMessage());
    }

    @Test
    void negativeThresholdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PatchDiffGazeSource(ScaleLayout.released(), -1f));
        assertTrue(e.getMessage().contains("threshold -1.0"), e.getMessage());
        assertFalse(PatchDiffGazeSource.defaults().name().isEmpty());
    }
}
