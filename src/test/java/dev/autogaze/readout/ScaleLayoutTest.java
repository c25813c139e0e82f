package dev.autogaze.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ScaleLayoutTest {

    @Test
    void releasedLayoutHasGrids2_4_7_14Offsets0_4_20_69And265Ids() {
        ScaleLayout l = ScaleLayout.released();
        assertArrayEquals(new int[] {32, 64, 112, 224}, l.scales());
        assertArrayEquals(new int[] {2, 4, 7, 14}, l.grids());
        assertArrayEquals(new int[] {0, 4, 20, 69}, l.offsets());
        assertEquals(265, l.tokensPerFrame());
        assertEquals(224, l.frameSize());
        assertEquals(265, l.padId());
        assertEquals(49, l.tokensOfScale(2));
    }

    @Test
    void parseSortsScalesAscendingLikeTheModel() {
        assertEquals(ScaleLayout.released(), ScaleLayout.parse("224+32+112+64", 16, 265));
        assertEquals(ScaleLayout.released(), ScaleLayout.parse(" 32 + 64+112+224", 16, 265));
    }

    @Test
    void resAdaptLayoutIsDerivedFromItsNumbers() {
        // §6.3 of the model spec: target [56, 112, 196, 392], patch 14.
        ScaleLayout l = ScaleLayout.parse("56+112+196+392", 14, 1060);
        assertArrayEquals(new int[] {4, 8, 14, 28}, l.grids());
        assertArrayEquals(new int[] {0, 16, 80, 276}, l.offsets());
        assertEquals(392, l.frameSize());
    }

    @Test
    void singleScaleClassDefaultLayoutHas196Ids() {
        ScaleLayout l = ScaleLayout.parse("224", 16, 196);
        assertArrayEquals(new int[] {14}, l.grids());
        assertEquals(0, l.scaleOf(3));
        assertEquals(0, l.scaleOf(195));
    }

    @Test
    void scaleOfTheHandWorkedIdsOfTheReleasedLayout() {
        ScaleLayout l = ScaleLayout.released();
        int[] ids = {0, 3, 4, 19, 20, 68, 69, 82, 83, 264};
        int[] scales = {0, 0, 1, 1, 2, 2, 3, 3, 3, 3};
        for (int i = 0; i < ids.length; i++) {
            assertEquals(scales[i], l.scaleOf(ids[i]), "id " + ids[i]);
        }
    }

    @Test
    void cellRectOfScale2Cell6_6Is192To224() {
        assertEquals(new ReadoutRect(192, 192, 224, 224), ScaleLayout.released().cellRect(2, 6, 6));
        assertEquals(new ReadoutRect(56, 0, 112, 56), ScaleLayout.released().cellRect(1, 0, 1));
    }

    @Test
    void tokenCountThatDoesNotAddUpIsRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScaleLayout.parse("32+64+112+224", 16, 264));
        assertTrue(e.getMessage().contains("scale 32 gets 3 tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("2x2 grid has 4"), e.getMessage());
    }

    @Test
    void badScaleStringsAndSizesAreRejectedNamingTheValue() {
        assertMessage("scale 40 is not divisible by patch size 16", () -> ScaleLayout.parse("40+224", 16, 221));
        assertMessage("'abc' is not an integer", () -> ScaleLayout.parse("32+abc", 16, 265));
        assertMessage("scales is empty", () -> ScaleLayout.parse(" ", 16, 265));
        assertMessage("scale 32 appears twice", () -> ScaleLayout.parse("32+32+224", 16, 204));
        assertMessage("patch size -16 must be positive", () -> ScaleLayout.parse("32+224", -16, 200));
        assertMessage("num_vision_tokens_each_frame 0 must be positive", () -> ScaleLayout.parse("224", 16, 0));
        assertMessage("scale -32 must be positive", () -> ScaleLayout.of(new int[] {-32, 224}, 16, 200));
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        ScaleLayout l = ScaleLayout.released();
        assertMessage("token id 265 is outside [0, 265)", () -> l.scaleOf(265));
        assertMessage("token id -1 is outside [0, 265)", () -> l.scaleOf(-1));
        assertMessage("cell (7, 0) is outside the 7x7 grid of scale 112", () -> l.cellRect(2, 7, 0));
    }

    @Test
    void handBuiltLayoutWhoseArraysDisagreeIsRejected() {
        assertMessage("expected grid 64/16 and offset 4",
                () -> new ScaleLayout(new int[] {32, 64}, 16, new int[] {2, 4}, new int[] {0, 5}, 20));
        assertMessage("layout grids hold 20 ids, not 21",
                () -> new ScaleLayout(new int[] {32, 64}, 16, new int[] {2, 4}, new int[] {0, 4}, 21));
    }

    @Test
    void randomLayoutsGetCumulativeOffsetsAndEveryIdLandsInItsScale() {
        Random rnd = new Random(7);
        int accepted = 0;
        for (int trial = 0; trial < 300; trial++) {
            int patch = new int[] {8, 14, 16}[rnd.nextInt(3)];
            int k = 1 + rnd.nextInt(5);
            int[] scales = rnd.ints(1, 20).distinct().limit(k).map(g -> g * patch).toArray();
            int n = 0;
            for (int s : scales) {
                n += (s / patch) * (s / patch);
            }
            ScaleLayout l;
            try {
                l = ScaleLayout.of(scales, patch, n);
            } catch (IllegalArgumentException e) {
                // int(s^2/sum*N) in f64 may round a product down; the model rejects those configs too.
                assertTrue(e.getMessage().contains("gets"), e.getMessage());
                continue;
            }
            accepted++;
            int[] g = l.grids();
            int off = 0;
            for (int s = 0; s < g.length; s++) {
                assertEquals(l.scales()[s] / patch, g[s]);
                assertEquals(off, l.offsets()[s]);
                for (int id = off; id < off + g[s] * g[s]; id++) {
                    assertEquals(s, l.scaleOf(id));
                }
                off += g[s] * g[s];
            }
            assertEquals(n, off);
        }
        assertTrue(accepted > 200, "only " + accepted + " of 300 random layouts accepted");
    }

    static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}
