package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-worked tiling and recovery of the official resolution adaptation, including a padded, cropped target. */
class ResolutionAdapterTest {

    private static final ScaleLayout MODEL = ScaleLayout.released(); // grids 2, 4, 7, 14; offsets 0, 4, 20, 69
    /** 480 px with patch 16: grids 4, 8, 16, 30 (N = 16 + 64 + 256 + 900 = 1236); 3x3 tiles of 224 px, pad 192. */
    private static final ResolutionTarget PADDED = new ResolutionTarget(new int[] {64, 128, 256, 480}, 16);

    @Test
    void paddedTargetTilesThreeByThreeWithTheOfficialPad() {
        ResolutionAdapter a = new ResolutionAdapter(MODEL, PADDED);
        assertEquals(9, a.tilesPerClip());
        assertEquals(224, a.tilePixels());
        assertEquals(192, a.pad());
        assertEquals(1236, a.layout().tokensPerFrame());
        assertFalse(a.identity());
    }

    @Test
    void tilesAreRowMajorCutsWithZeroPaddingBottomRight() {
        // 480 px, 3x3 tiles of 224: pixel (y, x) = y * 1000 + x on every plane; tile (1, 2) starts at (224, 448)
        int s = 480;
        float[] data = new float[3 * s * s];
        for (int p = 0; p < 3; p++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    data[(p * s + y) * s + x] = y * 1000 + x;
                }
            }
        }
        List<PixelValues> tiles = new ResolutionAdapter(MODEL, PADDED).tiles(new PixelValues(1, s, s, data));
        assertEquals(9, tiles.size());
        PixelValues t12 = tiles.get(5);
        assertEquals(224, t12.height());
        assertEquals(224 * 1000 + 448, t12.data()[0]);
        assertEquals(224 * 1000 + 479, t12.data()[31]);
        assertEquals(0f, t12.data()[32], "right of the frame is the zero pad");
        PixelValues t22 = tiles.get(8);
        assertEquals(479 * 1000 + 479, t22.data()[(479 - 448) * 224 + 31]);
        assertEquals(0f, t22.data()[(480 - 448) * 224], "below the frame is the zero pad");
    }

    @Test
    void recoveryPlacesTileCellsCropsOutsideIdsAscendingAndPadsWithFrameOffsetMinusOne() {
        ResolutionAdapter a = new ResolutionAdapter(MODEL, PADDED);
        int n = 1236;
        int rows = 2 * 9;
        long[][] pos = new long[rows][];
        boolean[][] pad = new boolean[rows][];
        float[][] conf = new float[rows][];
        for (int r = 0; r < rows; r++) {
            pos[r] = new long[] {pad(0), pad(0), pad(1), pad(1)};
            pad[r] = new boolean[] {true, true, true, true};
            conf[r] = new float[4];
        }
        // clip 0, frame 0: tile (1,2) finest cell (5,1) -> target (19, 29), kept; tile (1,2) finest (5,13) -> (19,41)
        // cropped; tile (1,1) coarsest cell (0,1) -> (2, 3) = id 11 on the 4x4 grid.
        set(pos, pad, conf, 5, 0, 0, 69 + 5 * 14 + 1, 0.5f);
        set(pos, pad, conf, 5, 1, 0, 69 + 5 * 14 + 13, 0.9f);
        set(pos, pad, conf, 4, 0, 0, 1, 0.25f);
        // clip 0, frame 1: tile (2,2) coarsest cell (1,1) -> (5, 5) is outside 4x4: cropped; tile (0,0) scale 1 (0,0)
        set(pos, pad, conf, 0, 2, 1, 4, 0.125f);
        set(pos, pad, conf, 8, 3, 1, 3, 0.75f);
        // clip 1, frame 0: one gaze, tile (0,0) scale 2 cell (6,6) -> (6, 6) of the 16x16 grid
        set(pos, pad, conf, 9, 0, 0, 20 + 6 * 7 + 6, 0.375f);
        // clip 1, frame 1: tile (0,1) scale 1 cell (3,0) -> (3, 4) of 8x8; tile (2,0) scale 3 (0,0) -> (28, 0)
        set(pos, pad, conf, 10, 2, 1, 4 + 3 * 4, 0.0625f);
        set(pos, pad, conf, 15, 2, 1, 69, 0.875f);
        GeneratedGaze tiled = new GeneratedGaze(pos, pad, new int[] {2, 2}, conf, 265);
        GazeResult r = a.recover(new GazeResult(tiled, GazeResult.masksOf(tiled, MODEL), GazeResult.Timings.ZERO), 2);
        GeneratedGaze g = r.gaze();
        int fine = 16 + 64 + 256;
        assertArrayEquals(new int[] {2, 2}, g.numGazingEachFrame());
        assertArrayEquals(new long[] {11, fine + 19 * 30 + 29, n + 16, n - 1}, g.gazingPos()[0]);
        assertArrayEquals(new boolean[] {false, false, false, true}, g.padded()[0]);
        assertArrayEquals(new long[] {80 + 6 * 16 + 6, -1, n + 16 + 3 * 8 + 4, n + fine + 28 * 30}, g.gazingPos()[1]);
        assertArrayEquals(new boolean[] {false, true, false, false}, g.padded()[1]);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.125f, 0f}, g.confidence()[0]);
        assertArrayEquals(new float[] {0.375f, 0f, 0.0625f, 0.875f}, g.confidence()[1]);
        assertEquals(n, g.tokensPerFrame());
        // the masks are the target layout's and agree with the ids
        assertArrayEquals(GazeResult.masksOf(g, a.layout())[3], r.masks()[3]);
        assertEquals(1f, r.masks()[0][11]);
        assertEquals(2 * 2 * 900, r.masks()[3].length);
    }

    @Test
    void theModelsOwnLayoutIsTheOfficialIdentity() {
        ResolutionAdapter a = new ResolutionAdapter(MODEL, new ResolutionTarget(new int[] {32, 64, 112, 224}, 16));
        assertTrue(a.identity());
        assertEquals(MODEL, a.layout());
        // the same scales with another patch are adapted
        assertFalse(new ResolutionAdapter(MODEL, new ResolutionTarget(new int[] {32, 64, 112, 224}, 8)).identity());
    }

    @Test
    void badTargetsFailNamingTheValues() {
        assertEquals("target scales [112, 224] have 2 entries; the gaze model has 4 scales [32, 64, 112, 224] and needs"
                + " as many", assertThrows(IllegalArgumentException.class, () -> new ResolutionAdapter(MODEL,
                new ResolutionTarget(new int[] {112, 224}, 16))).getMessage());
        assertEquals("target scales [56, 392, 196] must be positive and strictly ascending",
                assertThrows(IllegalArgumentException.class, () -> ResolutionTarget.parse("56,392,196", 14)).getMessage());
        assertEquals("target scale 100 is not divisible by target patch 14",
                assertThrows(IllegalArgumentException.class, () -> ResolutionTarget.parse("56,100", 14)).getMessage());
        assertEquals("--target-scales '56,x': 'x' is not an integer",
                assertThrows(IllegalArgumentException.class, () -> ResolutionTarget.parse("56,x", 14)).getMessage());
        assertEquals("target patch size 0 must be positive",
                assertThrows(IllegalArgumentException.class, () -> ResolutionTarget.parse("56", 0)).getMessage());
        ResolutionAdapter a = new ResolutionAdapter(MODEL, PADDED);
        assertEquals("resolution adaptation to 64,128,256,480/p16 needs 480x480 input, got 224x224",
                assertThrows(IllegalArgumentException.class,
                        () -> a.tiles(new PixelValues(1, 224, 224, new float[3 * 224 * 224]))).getMessage());
    }

    private static long pad(int t) {
        return t * 265L + 265;
    }

    /** Tile row `row`, entry `i` (two per frame) becomes a real gaze of per-frame id `id` in frame `t`. */
    private static void set(long[][] pos, boolean[][] pad, float[][] conf, int row, int i, int t, int id, float c) {
        pos[row][i] = t * 265L + id;
        pad[row][i] = false;
        conf[row][i] = c;
    }
}
