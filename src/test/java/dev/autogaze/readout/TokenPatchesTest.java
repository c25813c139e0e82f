package dev.autogaze.readout;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenPatchesTest {

    /** 2 frames of 4x6 (height x width), pixel (t, y, x) = R 100t + 10y + x, G = R + 1, B = R + 2. */
    private static byte[][] frames() {
        byte[][] f = new byte[2][4 * 6 * 3];
        for (int t = 0; t < 2; t++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 6; x++) {
                    int v = 100 * t + 10 * y + x;
                    f[t][(y * 6 + x) * 3] = (byte) v;
                    f[t][(y * 6 + x) * 3 + 1] = (byte) (v + 1);
                    f[t][(y * 6 + x) * 3 + 2] = (byte) (v + 2);
                }
            }
        }
        return f;
    }

    @Test
    void aTokenIsItsTubeletsFramesCutAtRowColInCoordinateOrder() {
        // grid 1 bin x 2 rows x 3 cols of 2x2 patches; tokens (0, 1, 2) then (0, 0, 0)
        VideoGeometry g = new VideoGeometry(2, 4, 6, 2, 2);
        TokenPatches p = TokenPatches.gather(g, frames(), new int[] {0, 0}, new int[] {1, 0}, new int[] {2, 0});
        assertEquals(2, p.count());
        assertEquals(24, p.tokenBytes());
        // token 0 = rows 2-3, cols 4-5: frame 0 R values 24 25 / 34 35, frame 1 124 125 / 134 135
        int[] r = new int[8];
        int k = 0;
        for (int f = 0; f < 2; f++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    r[k++] = p.sample(0, f, y, x, 0);
                }
            }
        }
        assertArrayEquals(new int[] {24, 25, 34, 35, 124, 125, 134, 135}, r);
        assertEquals(137, p.sample(0, 1, 1, 1, 2));
        assertEquals(0, p.sample(1, 0, 0, 0, 0));
        assertEquals(111, p.sample(1, 1, 1, 1, 0));
        // the flat layout is [token, frame, y, x, channel]
        assertEquals((byte) 24, p.data()[0]);
        assertEquals((byte) 101, p.data()[24 + 12 + 1]);
    }

    @Test
    void concatKeepsTheOrderAndRefusesOtherPatchSizes() {
        VideoGeometry g = new VideoGeometry(2, 4, 6, 2, 2);
        TokenPatches a = TokenPatches.gather(g, frames(), new int[] {0}, new int[] {1}, new int[] {1});
        TokenPatches b = TokenPatches.gather(g, frames(), new int[] {0, 0}, new int[] {0, 1}, new int[] {0, 2});
        TokenPatches ab = TokenPatches.concat(List.of(a, b));
        assertEquals(3, ab.count());
        assertEquals(a.sample(0, 1, 1, 0, 0), ab.sample(0, 1, 1, 0, 0));
        assertEquals(b.sample(1, 0, 1, 1, 2), ab.sample(2, 0, 1, 1, 2));
        TokenPatches other = new TokenPatches(1, 1, 2, new byte[12]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenPatches.concat(List.of(a, other)));
        assertEquals("token patches of 1x2x2 and 2x2x2 cannot be joined", e.getMessage());
    }

    @Test
    void badInputIsRejectedNamingTheValue() {
        VideoGeometry g = new VideoGeometry(2, 4, 6, 2, 2);
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> TokenPatches.gather(g, frames(), new int[] {0}, new int[] {2}, new int[] {0}));
        assertEquals("token 0 = [0, 2, 0] is outside the 1x2x3 grid", outside.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> TokenPatches.gather(new VideoGeometry(2, 4, 4, 2, 2), frames(), new int[0], new int[0],
                        new int[0]));
        assertEquals("frame 0 has 72 bytes, expected 48 for 4x4 RGB", size.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> new TokenPatches(2, 2, 2, new byte[24]));
        assertEquals("24 patch bytes for 2 tokens of 2x2x2x3, expected 48", bytes.getMessage());
    }
}
