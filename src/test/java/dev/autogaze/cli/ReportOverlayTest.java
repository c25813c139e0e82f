package dev.autogaze.cli;

import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipFixations;
import dev.autogaze.io.ClipStats;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's frame strip, pixel by pixel, on a hand-made 64x64 gray clip of 2 frames. */
class ReportOverlayTest {

    static final int GRAY = 0x808080;
    static final int SCALE1 = ReadoutPicture.SCALE_COLOURS[1].getRGB() & 0xFFFFFF;

    /** Grid 1 bin x 2 x 2 tokens (32x32 downstream, patch 16); token (0, 0, 0) kept; one scale-1 gaze on frame 0. */
    static ClipCoordinates clip(ClipFixations fix) {
        return new ClipCoordinates("v", "/v.mp4", null, 0, "h", "patch-diff", new int[] {0, 1}, 64, 64,
                new VideoGeometry(2, 32, 32, 2, 16), new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0},
                new ClipStats(1, 0, 1, new int[] {1}, 0.25), fix, null);
    }

    static ClipFixations oneGaze() {
        return new ClipFixations(new int[] {0}, new int[] {1}, new float[] {Float.NaN}, new float[] {16},
                new float[] {16}, new float[] {48}, new float[] {48});
    }

    static BufferedImage[] grayFrames() {
        byte[][] f = new byte[2][64 * 64 * 3];
        for (byte[] frame : f) {
            Arrays.fill(frame, (byte) 0x80);
        }
        RgbClip rgb = new RgbClip(64, 64, f);
        return new BufferedImage[] {ClipOverlay.image(rgb, 0), ClipOverlay.image(rgb, 1)};
    }

    static int px(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void fixationOutlineSitsOnTheCellEdgesInItsScaleColour() {
        ClipCoordinates c = clip(oneGaze());
        BufferedImage img = ClipOverlay.strip(c, grayFrames(), 1.0);
        int x = ClipOverlay.panelX(c, 1.0, 0);
        int y = ClipOverlay.panelY(c, 1.0, 0);
        assertEquals(SCALE1, px(img, x + 16, y + 16), "top-left corner");
        assertEquals(SCALE1, px(img, x + 47, y + 47), "bottom-right corner (half-open rect ends at 48)");
        assertEquals(SCALE1, px(img, x + 17, y + 30), "left edge is 2 px wide");
        assertEquals(GRAY, px(img, x + 18, y + 30), "inside the outline the frame shows");
        assertEquals(GRAY, px(img, x + 15, y + 16), "left of the cell");
        assertEquals(GRAY, px(img, x + 48, y + 47), "right of the cell");
        int x1 = ClipOverlay.panelX(c, 1.0, 1);
        assertEquals(GRAY, px(img, x1 + 16, y + 16), "frame 1 has no gaze");
    }

    @Test
    void droppedTokensAreDarkenedAndKeptOnesLeftAlone() {
        ClipCoordinates c = clip(oneGaze());
        BufferedImage img = ClipOverlay.strip(c, grayFrames(), 1.0);
        for (int t = 0; t < 2; t++) {
            int x = ClipOverlay.panelX(c, 1.0, t);
            int y = ClipOverlay.panelY(c, 1.0, 1);
            assertEquals(GRAY, px(img, x + 1, y + 1), "kept token (0, 0) covers source pixels 0..31");
            assertEquals(GRAY, px(img, x + 31, y + 31));
            int dark = px(img, x + 32, y + 1) & 0xFF; // token (0, 1)
            int expected = (int) Math.round(0x80 * (1 - 150 / 255.0));
            assertTrue(Math.abs(dark - expected) <= 1, "dropped token blue " + dark + " vs " + expected);
            assertEquals(px(img, x + 32, y + 1), px(img, x + 63, y + 63), "tokens (0,1) and (1,1) alike");
        }
    }

    @Test
    void halfScaleHalvesTheRectangle() {
        ClipCoordinates c = clip(oneGaze());
        BufferedImage img = ClipOverlay.strip(c, grayFrames(), 0.5);
        int x = ClipOverlay.panelX(c, 0.5, 0);
        int y = ClipOverlay.panelY(c, 0.5, 0);
        assertEquals(32, ClipOverlay.panelWidth(c, 0.5));
        assertEquals(SCALE1, px(img, x + 8, y + 8));
        assertEquals(SCALE1, px(img, x + 23, y + 23));
        assertEquals(GRAY, px(img, x + 7, y + 8));
        assertEquals(GRAY, px(img, x + 24, y + 23));
    }

    @Test
    void missingFramesDrawAsDarkPanelsWithTheOverlaysStillOn() {
        ClipCoordinates c = clip(oneGaze());
        BufferedImage img = ClipOverlay.strip(c, null, 1.0);
        int x = ClipOverlay.panelX(c, 1.0, 0);
        int y = ClipOverlay.panelY(c, 1.0, 0);
        assertEquals(ClipOverlay.NO_FRAME.getRGB() & 0xFFFFFF, px(img, x + 2, y + 2));
        assertEquals(SCALE1, px(img, x + 16, y + 16));
    }

    @Test
    void frameImageKeepsRgbOrder() {
        byte[] f = new byte[2 * 1 * 3];
        f[3] = (byte) 200; // pixel (1, 0): R = 200, G = 10, B = 0
        f[4] = 10;
        BufferedImage img = ClipOverlay.image(new RgbClip(2, 1, new byte[][] {f}), 0);
        assertEquals(0xC80A00, px(img, 1, 0));
        assertEquals(0, px(img, 0, 0));
    }

    @Test
    void aClipReadWithoutFixationsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipOverlay.strip(clip(null), grayFrames(), 1.0));
        assertEquals("clip v#0 was read without fixations; read with fixations to draw it", e.getMessage());
    }
}
