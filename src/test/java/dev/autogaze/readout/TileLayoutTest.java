package dev.autogaze.readout;

import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TileLayoutTest {

    private static final ScaleLayout L = ScaleLayout.released();
    private static final GazeDecoder D = GazeDecoder.of(L);
    /** 1000 x 600 frame in 448-px tiles: 3 columns x 2 rows, the last column and row overhang. */
    private static final TileLayout T = new TileLayout(1000, 600, 448, 448);

    @Test
    void tileCountsCoverTheFrame() {
        assertEquals(3, T.tileColumns());
        assertEquals(2, T.tileRows());
        assertEquals(6, T.tiles());
        assertEquals(4, T.gridRows(L, 0));
        assertEquals(42, T.gridCols(L, 3));
    }

    @Test
    void interiorCellMapsExactlyIntoTheFrameWideGridOfItsScale() {
        // tile 1 = (row 0, col 1); id 68 = scale 2 cell (6, 6) -> frame-wide (6, 13), 64-px cells.
        TiledCell c = T.remap(L, 1, D.cell(0, 68)).orElseThrow();
        assertEquals(new TiledCell(1, 2, 6, 13, new ReadoutRect(832, 384, 896, 448), false), c);
        // tile 3 = (row 1, col 0); id 83 = scale 3 cell (1, 0) -> (15, 0), 32-px cells.
        assertEquals(new TiledCell(3, 3, 15, 0, new ReadoutRect(0, 480, 32, 512), false),
                T.remap(L, 3, D.cell(0, 83)).orElseThrow());
    }

    @Test
    void cellsPartlyOutsideAreClippedAndCellsWhollyOutsideAreDropped() {
        // tile 4 = (row 1, col 1); id 1 = scale 0 cell (0, 1) -> (2, 3): x 672..896, y 448..672 -> y clipped to 600.
        TiledCell c = T.remap(L, 4, D.cell(0, 1)).orElseThrow();
        assertEquals(new TiledCell(4, 0, 2, 3, new ReadoutRect(672, 448, 896, 600), true), c);
        // id 3 = scale 0 cell (1, 1) -> y 672.. is below the frame.
        assertEquals(Optional.empty(), T.remap(L, 4, D.cell(0, 3)));
        // tile 2 = (row 0, col 2); id 72 = scale 3 cell (0, 3) -> col 31: x 992..1024 -> 992..1000.
        assertEquals(new ReadoutRect(992, 0, 1000, 32), T.remap(L, 2, D.cell(0, 72)).orElseThrow().rect());
        // id 82 = scale 3 cell (0, 13) -> col 41: x 1312.. is right of the frame.
        assertEquals(Optional.empty(), T.remap(L, 2, D.cell(0, 82)));
        List<TiledCell> kept = T.remap(L, 2, List.of(Fixation.of(D, D.cell(0, 82), 0, Float.NaN),
                Fixation.of(D, D.cell(0, 72), 1, Float.NaN)));
        assertEquals(1, kept.size());
        assertEquals(31, kept.get(0).col());
    }

    @Test
    void badTilesAndSizesAreRejected() {
        assertMessage("tile 6 is outside [0, 6) of a 2x3 tiling", () -> T.remap(L, 6, D.cell(0, 0)));
        assertMessage("tile 0x448 must have positive sides", () -> new TileLayout(1000, 600, 0, 448));
        assertMessage("source frame -1x600", () -> new TileLayout(-1, 600, 448, 448));
    }

    @Test
    void inFrameCellsOfEveryScaleTileTheSourceFrameExactlyOnce() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 30; trial++) {
            TileLayout t = new TileLayout(50 + rnd.nextInt(900), 50 + rnd.nextInt(900), 30 + rnd.nextInt(400),
                    30 + rnd.nextInt(400));
            double[] area = new double[L.scaleCount()];
            for (int tile = 0; tile < t.tiles(); tile++) {
                for (int id = 0; id < L.tokensPerFrame(); id++) {
                    GazeCell cell = D.cell(0, id);
                    Optional<TiledCell> m = t.remap(L, tile, cell);
                    if (m.isPresent()) {
                        ReadoutRect r = m.get().rect();
                        assertTrue(r.x1() <= t.frameWidth() && r.y1() <= t.frameHeight());
                        assertFalse(r.area() <= 0, t + " " + m.get());
                        area[cell.scale()] += r.area();
                        int g = L.grid(cell.scale());
                        assertEquals((tile / t.tileColumns()) * g + cell.row(), m.get().row());
                    }
                }
            }
            for (double a : area) {
                assertEquals((double) t.frameWidth() * t.frameHeight(), a, 1e-6 * a, t.toString());
            }
        }
    }
}
