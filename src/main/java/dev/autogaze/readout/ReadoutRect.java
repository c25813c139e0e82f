package dev.autogaze.readout;

import java.util.Locale;

/**
 * An axis-aligned half-open rectangle [x0, x1) x [y0, y1) in pixels of some frame (model, source or downstream).
 * Doubles, not rationals: every edge the library derives is one integer division (e.g. {@code col·W / (g·p)}),
 * so edges that are whole numbers are exact and quantisation needs no guessing.
 */
public record ReadoutRect(double x0, double y0, double x1, double y1) {

    public ReadoutRect {
        if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(x1) || !Double.isFinite(y1)) {
            throw new IllegalArgumentException("rect [" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "] is not finite");
        }
        if (x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("rect [" + x0 + ", " + y0 + ", " + x1 + ", " + y1
                    + "] has a negative size (x1 < x0 or y1 < y0)");
        }
    }

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double area() {
        return width() * height();
    }

    public double centreX() {
        return (x0 + x1) / 2;
    }

    public double centreY() {
        return (y0 + y1) / 2;
    }

    /** The same rectangle in a frame whose x axis is sx times and y axis sy times this one's. */
    public ReadoutRect scaled(double sx, double sy) {
        if (!(sx > 0) || !(sy > 0) || !Double.isFinite(sx) || !Double.isFinite(sy)) {
            throw new IllegalArgumentException("scale factors (" + sx + ", " + sy + ") must be positive and finite");
        }
        return new ReadoutRect(x0 * sx, y0 * sy, x1 * sx, y1 * sy);
    }

    /**
     * Grows (factor > 1) or shrinks (factor < 1) the rectangle about its centre. Written as an offset from the
     * edges so that factor 1 returns the edges bit for bit.
     */
    public ReadoutRect grown(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("fixation scale " + factor + " must be positive and finite");
        }
        if (factor == 1.0) {
            return this;
        }
        double dx = (factor - 1) / 2 * width();
        double dy = (factor - 1) / 2 * height();
        return new ReadoutRect(x0 - dx, y0 - dy, x1 + dx, y1 + dy);
    }

    /** True when the two rectangles share a region of positive area. */
    public boolean overlaps(ReadoutRect o) {
        return Math.min(x1, o.x1) > Math.max(x0, o.x0) && Math.min(y1, o.y1) > Math.max(y0, o.y0);
    }

    /** Area of the intersection, 0 when they do not overlap. */
    public double intersectionArea(ReadoutRect o) {
        double w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
        double h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        return w > 0 && h > 0 ? w * h : 0;
    }

    /** True when (x, y) lies inside the half-open rectangle. */
    public boolean contains(double x, double y) {
        return x >= x0 && x < x1 && y >= y0 && y < y1;
    }

    @Override
    public String toString() {
        return "[" + fmt(x0) + "," + fmt(y0) + " - " + fmt(x1) + "," + fmt(y1) + ")";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.3f", v);
    }
}
