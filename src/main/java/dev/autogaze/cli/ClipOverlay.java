package dev.autogaze.cli;

import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipFixations;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.video.RgbClip;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A clip's frame strip for the report: top row the decoded frames with the fixation rectangles (fix_x0..y1,
 * coloured by scale as in {@link ReadoutPicture}), bottom row the same frames with the tokens the readout did
 * not keep darkened, so the kept video tokens of each frame's temporal bin stay bright.
 */
final class ClipOverlay {

    static final int GAP = 8;
    static final int LABEL = 18;
    static final int BORDER = 2;
    static final Color DROPPED = new Color(0, 0, 0, 150);
    static final Color NO_FRAME = new Color(0x303030);
    static final Color BACKGROUND = Color.WHITE;

    private ClipOverlay() {
    }

    /** Panel width and height at this scale (source size times scale, rounded). */
    static int panelWidth(ClipCoordinates clip, double scale) {
        return (int) Math.round(clip.sourceWidth() * scale);
    }

    static int panelHeight(ClipCoordinates clip, double scale) {
        return (int) Math.round(clip.sourceHeight() * scale);
    }

    /** Left edge of frame t's panel. */
    static int panelX(ClipCoordinates clip, double scale, int t) {
        return GAP + t * (panelWidth(clip, scale) + GAP);
    }

    /** Top edge of row 0 (fixations) or row 1 (kept tokens). */
    static int panelY(ClipCoordinates clip, double scale, int row) {
        return LABEL + row * (panelHeight(clip, scale) + LABEL);
    }

    /**
     * @param frames the clip's T frames at source size (null entries, or a null array, draw as dark panels)
     * @param scale  display pixels per source pixel
     */
    static BufferedImage strip(ClipCoordinates clip, BufferedImage[] frames, double scale) {
        if (clip.fixations() == null) {
            throw new IllegalArgumentException("clip " + clip.videoId() + "#" + clip.clipIndex()
                    + " was read without fixations; read with fixations to draw it");
        }
        int frameCount = clip.frameIndices().length;
        int w = panelWidth(clip, scale);
        int h = panelHeight(clip, scale);
        BufferedImage img = new BufferedImage(panelX(clip, scale, frameCount), panelY(clip, scale, 2),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        VideoGeometry geo = clip.geometry();
        boolean[][] kept = keptPerBin(clip);
        for (int t = 0; t < frameCount; t++) {
            BufferedImage frame = frames == null ? null : frames[t];
            int x = panelX(clip, scale, t);
            for (int row = 0; row < 2; row++) {
                int y = panelY(clip, scale, row);
                if (frame != null) {
                    g.drawImage(frame, x, y, w, h, null);
                } else {
                    g.setColor(NO_FRAME);
                    g.fillRect(x, y, w, h);
                }
            }
            label(g, "t" + t + " (#" + clip.frameIndices()[t] + ")", x, panelY(clip, scale, 0));
            fixations(g, clip.fixations(), t, x, panelY(clip, scale, 0), scale);
            int bin = t / geo.tubelet();
            label(g, "bin " + bin, x, panelY(clip, scale, 1));
            tokens(g, kept[bin], geo, x, panelY(clip, scale, 1), w, h);
        }
        g.dispose();
        return img;
    }

    private static boolean[][] keptPerBin(ClipCoordinates clip) {
        VideoGeometry geo = clip.geometry();
        boolean[][] kept = new boolean[geo.bins()][geo.rows() * geo.cols()];
        for (int i = 0; i < clip.count(); i++) {
            kept[clip.t()[i]][clip.row()[i] * geo.cols() + clip.col()[i]] = true;
        }
        return kept;
    }

    /** Rectangles with a BORDER-pixel outline drawn inside the cell, so a cell's pixels are exactly its own. */
    private static void fixations(Graphics2D g, ClipFixations f, int t, int x0, int y0, double scale) {
        for (int i = 0; i < f.count(); i++) {
            if (f.frame()[i] != t) {
                continue;
            }
            int x = x0 + (int) Math.round(f.x0()[i] * scale);
            int y = y0 + (int) Math.round(f.y0()[i] * scale);
            int w = x0 + (int) Math.round(f.x1()[i] * scale) - x;
            int h = y0 + (int) Math.round(f.y1()[i] * scale) - y;
            g.setColor(ReadoutPicture.SCALE_COLOURS[f.scale()[i] % ReadoutPicture.SCALE_COLOURS.length]);
            int b = Math.min(BORDER, Math.min(w, h));
            g.fillRect(x, y, w, b);
            g.fillRect(x, y + h - b, w, b);
            g.fillRect(x, y, b, h);
            g.fillRect(x + w - b, y, b, h);
        }
    }

    /** Darkens the token cells of this bin that were not kept; cell edges rounded from the whole-frame resize. */
    private static void tokens(Graphics2D g, boolean[] kept, VideoGeometry geo, int x0, int y0, int w, int h) {
        g.setColor(DROPPED);
        for (int r = 0; r < geo.rows(); r++) {
            int ya = y0 + (int) Math.round((double) r * h / geo.rows());
            int yb = y0 + (int) Math.round((double) (r + 1) * h / geo.rows());
            for (int c = 0; c < geo.cols(); c++) {
                if (!kept[r * geo.cols() + c]) {
                    int xa = x0 + (int) Math.round((double) c * w / geo.cols());
                    int xb = x0 + (int) Math.round((double) (c + 1) * w / geo.cols());
                    g.fillRect(xa, ya, xb - xa, yb - ya);
                }
            }
        }
    }

    private static void label(Graphics2D g, String text, int x, int y) {
        g.setColor(Color.BLACK);
        g.drawString(text, x, y - 5);
    }

    /** Frame t of an RGB clip as an image. */
    static BufferedImage image(RgbClip clip, int t) {
        int w = clip.width();
        int h = clip.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        byte[] px = clip.frames()[t];
        for (int y = 0, k = 0; y < h; y++) {
            for (int x = 0; x < w; x++, k += 3) {
                row[x] = (px[k] & 0xFF) << 16 | (px[k + 1] & 0xFF) << 8 | (px[k + 2] & 0xFF);
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        return img;
    }
}
