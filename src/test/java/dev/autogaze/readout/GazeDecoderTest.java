package dev.autogaze.readout;

import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GazeDecoderTest {

    private final GazeDecoder decoder = GazeDecoder.of(ScaleLayout.released());

    /** id, scale, row, col, x0, y0, side: the table of §6 of the model spec. */
    private static final int[][] RELEASED = {
            {0, 0, 0, 0, 0, 0, 112},
            {3, 0, 1, 1, 112, 112, 112},
            {4, 1, 0, 0, 0, 0, 56},
            {19, 1, 3, 3, 168, 168, 56},
            {20, 2, 0, 0, 0, 0, 32},
            {68, 2, 6, 6, 192, 192, 32},
            {69, 3, 0, 0, 0, 0, 16},
            {82, 3, 0, 13, 208, 0, 16},
            {83, 3, 1, 0, 0, 16, 16},
            {264, 3, 13, 13, 208, 208, 16},
    };

    @Test
    void handWorkedIdsDecodeToScaleRowColAndModelRect() {
        for (int[] e : RELEASED) {
            GazeCell c = decoder.decode(e[0]);
            assertEquals(new GazeCell(0, e[0], e[1], e[2], e[3],
                    new ReadoutRect(e[4], e[5], e[4] + e[6], e[5] + e[6])), c, "id " + e[0]);
        }
    }

    @Test
    void globalIdCarriesTheFrame() {
        GazeCell c = decoder.decode(5L * 265 + 83);
        assertEquals(5, c.frame());
        assertEquals(83, c.id());
        assertEquals(1, c.row());
        assertEquals(0, c.col());
        assertEquals(0, decoder.decode(265).id());
        assertEquals(1, decoder.decode(265).frame());
    }

    @Test
    void padsDecodeToNothingWhateverTheirValue() {
        assertEquals(Optional.empty(), decoder.decode(530, true));
        assertEquals(Optional.empty(), decoder.decode(-7, true));
        assertEquals(Optional.of(decoder.decode(530)), decoder.decode(530, false));
    }

    @Test
    void nonSquareSourceScalesXAndYIndependently() {
        GazeDecoder d = new GazeDecoder(ScaleLayout.released(), SourceFrame.of(ScaleLayout.released(), 320, 240));
        // id 3: model [112,224)^2 -> x * 320/224, y * 240/224.
        assertEquals(new ReadoutRect(160, 120, 320, 240), d.sourceRect(d.decode(3)));
        // id 68: model [192,224)^2 -> x 274.2857..320, y 205.714..240.
        ReadoutRect r = d.sourceRect(d.decode(68));
        assertEquals(192.0 * 320 / 224, r.x0(), 0);
        assertEquals(192.0 * 240 / 224, r.y0(), 0);
        assertEquals(320, r.x1(), 0);
        assertEquals(240, r.y1(), 0);
        // id 82: x [208,224) -> [297.142857, 320), y [0,16) -> [0, 17.142857).
        ReadoutRect r82 = d.sourceRect(d.decode(82));
        assertEquals(297.142857, r82.x0(), 1e-6);
        assertEquals(17.142857, r82.y1(), 1e-6);
    }

    @Test
    void badIdsAreRejectedNamingTheValue() {
        assertMessage("global id -1 is negative", () -> decoder.decode(-1));
        assertMessage("token id 265 is outside [0, 265)", () -> decoder.cell(0, 265));
        assertMessage("frame -2 is negative", () -> decoder.cell(-2, 0));
        assertMessage("beyond int range", () -> decoder.decode(Long.MAX_VALUE));
    }

    @Test
    void sourceFrameOfAnotherModelSideIsRejected() {
        assertMessage("maps a 392-px model frame but the layout's frame is 224 px",
                () -> new GazeDecoder(ScaleLayout.released(), new SourceFrame(392, 640, 480)));
        assertMessage("source frame 0x480 must have positive sides", () -> new SourceFrame(224, 0, 480));
    }

    @Test
    void everyIdOfRandomLayoutsTilesTheModelFrameExactlyOncePerScale() {
        java.util.Random rnd = new java.util.Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int patch = 8 + rnd.nextInt(9);
            int[] grids = rnd.ints(1, 12).distinct().limit(1 + rnd.nextInt(4)).toArray();
            int n = 0;
            int[] scales = new int[grids.length];
            for (int i = 0; i < grids.length; i++) {
                scales[i] = grids[i] * patch;
                n += grids[i] * grids[i];
            }
            ScaleLayout l;
            try {
                l = ScaleLayout.of(scales, patch, n);
            } catch (IllegalArgumentException e) {
                continue;
            }
            GazeDecoder d = GazeDecoder.of(l);
            double f = l.frameSize();
            double[] area = new double[l.scaleCount()];
            for (int id = 0; id < n; id++) {
                GazeCell c = d.decode((long) 3 * n + id);
                assertEquals(3, c.frame());
                int g = l.grid(c.scale());
                assertEquals(id, l.offset(c.scale()) + c.row() * g + c.col());
                assertEquals(f / g, c.rect().width(), 1e-9);
                assertTrue(c.rect().x1() <= f + 1e-9 && c.rect().y1() <= f + 1e-9);
                area[c.scale()] += c.rect().area();
            }
            for (double a : area) {
                assertEquals(f * f, a, 1e-6);
            }
        }
    }
}
