package dev.autogaze.model;

import dev.autogaze.readout.GazeCell;
import dev.autogaze.readout.GazeTokenDecoder;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.TileLayout;
import dev.autogaze.readout.TiledCell;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnyResTilerTest {

    /** A clip whose value encodes (frame, channel, y, x) so that every tile pixel can be traced back. */
    private static float[] labelled(int frames, int h, int w) {
        float[] v = new float[frames * 3 * h * w];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        v[((t * 3 + c) * h + y) * w + x] = t * 1e6f + c * 1e5f + y * 300 + x + 1;
                    }
                }
            }
        }
        return v;
    }

    @Test
    void twoByThreeGridIsRowMajorAndEachTileCoversItsRectangle() {
        int s = 4;
        int frames = 2;
        float[] clip = labelled(frames, 2 * s, 3 * s);
        AnyResTiler.Tiles tiles = AnyResTiler.tile(clip, frames, 2 * s, 3 * s, s, false);
        assertEquals(new TileGrid(2, 3, s, 8, 12), tiles.grid());
        for (int r = 0; r < 2; r++) {
            for (int col = 0; col < 3; col++) {
                int tile = r * 3 + col;
                for (int t = 0; t < frames; t++) {
                    for (int c = 0; c < 3; c++) {
                        for (int y = 0; y < s; y++) {
                            for (int x = 0; x < s; x++) {
                                float got = tiles.data()[(((tile * frames + t) * 3 + c) * s + y) * s + x];
                                float want = clip[((t * 3 + c) * 8 + r * s + y) * 12 + col * s + x];
                                assertEquals(want, got, "tile " + tile + " t" + t + " c" + c + " (" + x + "," + y + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void readoutRemapPutsEachTilesCellsOverTheSourcePixelsThatTileHolds() {
        // A 448x336 frame (2 rows x 2 cols of 224 tiles, the bottom row padded by 112 px).
        AnyResTiler.Tiles tiles = AnyResTiler.tile(labelled(1, 336, 448), 1, 336, 448, 224, true);
        ScaleLayout layout = ScaleLayout.released();
        TileLayout remap = tiles.grid().readoutLayout();
        assertEquals(tiles.grid().tileCount(), remap.tiles());
        GazeTokenDecoder ids = GazeTokenDecoder.of(layout);
        for (int tile = 0; tile < tiles.grid().tileCount(); tile++) {
            int tileRow = tile / tiles.grid().cols();
            int tileCol = tile % tiles.grid().cols();
            for (int id : new int[] {0, 3, 19, 68, 69, 264}) {
                GazeCell cell = ids.cell(0, id);
                Optional<TiledCell> placed = remap.remap(layout, tile, cell);
                double x0 = tileCol * 224 + cell.rect().x0();
                double y0 = tileRow * 224 + cell.rect().y0();
                if (y0 >= 336) {
                    assertTrue(placed.isEmpty(), "tile " + tile + " id " + id + " lies in the padding");
                    continue;
                }
                assertEquals(x0, placed.orElseThrow().rect().x0(), 1e-9, "tile " + tile + " id " + id);
                assertEquals(y0, placed.orElseThrow().rect().y0(), 1e-9, "tile " + tile + " id " + id);
                assertEquals(Math.min(336, tileRow * 224 + cell.rect().y1()), placed.orElseThrow().rect().y1(),
                        1e-9, "tile " + tile + " id " + id);
            }
        }
    }

    @Test
    void paddingFillsRightAndBottomWithZeros() {
        int s = 4;
        float[] clip = labelled(1, 5, 6);
        AnyResTiler.Tiles tiles = AnyResTiler.tile(clip, 1, 5, 6, s, true);
        assertEquals(new TileGrid(2, 2, s, 5, 6), tiles.grid());
        assertEquals(8, tiles.grid().paddedHeight());
        // tile (1,1): source rows 4..7 and columns 4..7; only (4,4) and (5,4) exist
        int base = 3 * 3 * s * s;
        assertEquals(clip[4 * 6 + 4], tiles.data()[base]);
        assertEquals(clip[4 * 6 + 5], tiles.data()[base + 1]);
        assertEquals(0f, tiles.data()[base + 2]);
        assertEquals(0f, tiles.data()[base + s]);
    }

    @Test
    void nonMultipleWithoutPaddingIsRejectedNamingTheSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnyResTiler.tile(new float[3 * 5 * 6], 1, 5, 6, 4, false));
        assertTrue(e.getMessage().contains("6x5 is not a multiple of the tile size 4"), e.getMessage());
    }

    @Test
    void gridIndexIsRowTimesColsPlusCol() {
        TileGrid g = TileGrid.covering(448, 672, 224);
        assertEquals(2, g.rows());
        assertEquals(3, g.cols());
        assertEquals(5, g.index(1, 2));
        assertThrows(IllegalArgumentException.class, () -> g.index(2, 0));
    }
}
