package dev.autogaze.readout;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiled ids: merging tile gazes, placing tiled ids on the whole frame, and their footprints. */
class TiledIdsTest {

    private static final ScaleLayout L = ScaleLayout.released();
    /** 300x260 in 224 tiles: 2 x 2 tiles; of the right column 76 px are inside, of the bottom row 36 px. */
    private static final TiledIds IDS = new TiledIds(L, new TileLayout(300, 260, 224, 224));

    @Test
    void mergeTakesTheTilesGazesByRankThenTheirPadsAsTiledIds() {
        // tile 0 frame 0: ids 5, 7; tile 1: 9 then a pad; tiles 2, 3: one id each. Frame 1: one id per tile.
        GeneratedGaze t0 = gaze(new long[] {5, 7, 265 + 1}, new boolean[] {false, false, false}, new int[] {2, 1});
        GeneratedGaze t1 = gaze(new long[] {9, 265, 265 + 2}, new boolean[] {false, true, false}, new int[] {2, 1});
        GeneratedGaze t2 = gaze(new long[] {3, 265 + 3}, new boolean[] {false, false}, new int[] {1, 1});
        GeneratedGaze t3 = gaze(new long[] {4, 265 + 4}, new boolean[] {false, false}, new int[] {1, 1});
        GeneratedGaze m = IDS.merge(List.of(t0, t1, t2, t3));
        int n = 4 * 265;
        assertEquals(n, m.tokensPerFrame());
        assertArrayEquals(new int[] {6, 4}, m.numGazingEachFrame());
        // rank 0 of tiles 0..3, then rank 1 of tile 0, then tile 1's pad (the tiled frame's pad id n)
        assertArrayEquals(new long[] {5, 265 + 9, 530 + 3, 795 + 4, 7, n, n + 1, n + 265 + 2, n + 530 + 3,
                n + 795 + 4}, m.gazingPos()[0]);
        assertArrayEquals(new boolean[] {false, false, false, false, false, true, false, false, false, false},
                m.padded()[0]);
        assertEquals(0.5f, m.confidence()[0][4]);
    }

    @Test
    void tiledIdsAreCellsOfTheWholeFrameAndCellsInThePaddingHaveNoFootprint() {
        // tile 3 (row 1, col 1), finest scale cell (0, 4): frame-wide (14, 18), x 288..304 clipped to 300
        TiledCell c = IDS.cell(0, 3 * 265 + 69 + 4).orElseThrow();
        assertEquals(14, c.row());
        assertEquals(18, c.col());
        assertEquals(new ReadoutRect(288, 224, 300, 240), c.rect());
        assertTrue(IDS.cell(0, 3 * 265 + 69 + 5).isEmpty(), "x 304.. is past the 300 px frame");
        assertNull(IDS.footprint(3 * 265 + 69 + 3 * 14, 1.0), "y 272.. is below the 260 px frame");
        assertEquals(new ReadoutRect(288, 0, 300, 16), IDS.footprint(265 + 69 + 4, 1.0));
        // grown about the whole cell's centre (296, 8), then clipped
        assertEquals(new ReadoutRect(280, 0, 300, 24), IDS.footprint(265 + 69 + 4, 2.0));
        assertEquals("tiled id 1060 is outside [0, 1060)",
                assertThrows(IllegalArgumentException.class, () -> IDS.cell(0, 4 * 265)).getMessage());
    }

    private static GeneratedGaze gaze(long[] pos, boolean[] pad, int[] num) {
        float[] conf = new float[pos.length];
        java.util.Arrays.fill(conf, 0.5f);
        return new GeneratedGaze(new long[][] {pos}, new boolean[][] {pad}, num, new float[][] {conf}, 265);
    }
}
