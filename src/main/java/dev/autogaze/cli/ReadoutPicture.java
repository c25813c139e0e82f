package dev.autogaze.cli;

import dev.autogaze.readout.Fixation;
import dev.autogaze.readout.FixationTrace;
import dev.autogaze.readout.ReadoutRect;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.VideoCoordinates;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws gaze cells per frame and the selected video tokens of each bin on the patch grid: a picture for
 * docs/geometry.md and for checking a readout by eye. Plain java.awt + javax.imageio, no extra dependency.
 */
final class ReadoutPicture {

    static final int PX = 2;
    static final int MARGIN = 24;
    static final Color[] SCALE_COLOURS = {new Color(0xD62728), new Color(0xFF7F0E), new Color(0x2CA02C),
            new Color(0x1F77B4)};
    static final Color TOKEN = new Color(0x9467BD);
    static final Color BACKGROUND = Color.WHITE;

    private ReadoutPicture() {
    }

    /**
     * Top row: one panel per frame (cells, numbered in gaze order). Bottom row: one panel per temporal bin (its
     * selected tokens), under the first frame of its tubelet.
     */
    static void write(File out, ScaleLayout layout, FixationTrace trace, VideoCoordinates coords) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int side = layout.frameSize() * PX;
        int bins = coords.geometry().bins();
        int tubelet = coords.geometry().tubelet();
        BufferedImage img = new BufferedImage(trace.frameCount() * (side + MARGIN) + MARGIN, 2 * (side + MARGIN)
                + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int t = 0; t < trace.frameCount(); t++) {
            int x0 = MARGIN + t * (side + MARGIN);
            grid(g, x0, MARGIN, side, layout.patchSize() * PX);
            label(g, "frame " + t + ": gaze cells", x0, MARGIN);
            int order = 0;
            for (Fixation f : trace.frame(t)) {
                ReadoutRect r = f.cell().rect();
                Color c = SCALE_COLOURS[f.cell().scale() % SCALE_COLOURS.length];
                int x = x0 + (int) Math.round(r.x0() * PX);
                int y = MARGIN + (int) Math.round(r.y0() * PX);
                int w = (int) Math.round(r.width() * PX);
                int h = (int) Math.round(r.height() * PX);
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
                g.fillRect(x, y, w, h);
                g.setColor(c);
                g.setStroke(new BasicStroke(3));
                g.drawRect(x + 1, y + 1, w - 3, h - 3);
                g.drawString("#" + order++, x + 5, y + 16);
            }
        }
        int rows = coords.geometry().rows();
        int cols = coords.geometry().cols();
        double cellW = (double) side / cols;
        double cellH = (double) side / rows;
        for (int b = 0; b < bins; b++) {
            int x0 = MARGIN + b * tubelet * (side + MARGIN);
            int y0 = 2 * MARGIN + side;
            label(g, "bin " + b + " (frames " + b * tubelet + "-" + ((b + 1) * tubelet - 1) + "): video tokens "
                    + rows + "x" + cols, x0, y0);
            g.setColor(TOKEN);
            for (int i = 0; i < coords.count(); i++) {
                if (coords.temporal(i) == b) {
                    g.fillRect(x0 + (int) Math.round(coords.col(i) * cellW), y0 + (int) Math.round(coords.row(i)
                            * cellH), (int) Math.ceil(cellW), (int) Math.ceil(cellH));
                }
            }
            grid(g, x0, y0, side, (int) Math.round(cellW));
        }
        if (tubelet > 1) {
            legend(g, layout, MARGIN + ((bins - 1) * tubelet + 1) * (side + MARGIN), 2 * MARGIN + side);
        }
        g.dispose();
        File parent = out.getAbsoluteFile().getParentFile();
        if (parent != null && !parent.isDirectory() && !parent.mkdirs()) {
            throw new IOException("cannot create directory " + parent);
        }
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available for " + out);
        }
    }

    private static void grid(Graphics2D g, int x0, int y0, int side, int step) {
        g.setStroke(new BasicStroke(1));
        g.setColor(new Color(0xDDDDDD));
        for (int k = 0; k <= side; k += step) {
            g.drawLine(x0 + k, y0, x0 + k, y0 + side);
            g.drawLine(x0, y0 + k, x0 + side, y0 + k);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x0, y0, side, side);
    }

    /** Scale colours and the token colour, in the empty slot right of the last bin. */
    private static void legend(Graphics2D g, ScaleLayout layout, int x0, int y0) {
        int y = y0 + 10;
        for (int s = 0; s < layout.scaleCount(); s++) {
            g.setColor(SCALE_COLOURS[s % SCALE_COLOURS.length]);
            g.fillRect(x0, y, 14, 14);
            g.setColor(Color.BLACK);
            int g1 = layout.grid(s);
            g.drawString("scale " + s + ": " + layout.scales()[s] + " px, " + g1 + "x" + g1 + " cells of "
                    + side(layout.frameSize(), g1) + " px, ids " + layout.offset(s) + "-"
                    + (layout.offset(s) + g1 * g1 - 1), x0 + 22, y + 12);
            y += 24;
        }
        g.setColor(TOKEN);
        g.fillRect(x0, y, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString("selected video token (any overlap, tubelet union)", x0 + 22, y + 12);
    }

    private static String side(int frame, int grid) {
        return frame % grid == 0 ? Integer.toString(frame / grid)
                : String.format(Locale.ROOT, "%.2f", (double) frame / grid);
    }

    private static void label(Graphics2D g, String text, int x0, int y0) {
        g.setColor(Color.BLACK);
        g.drawString(text, x0, y0 - 7);
    }
}
