package dev.autogaze.readout;

/**
 * Quantises one rectangle, given in token units of a downstream grid, to the tokens it covers under a
 * {@link CellToTokenRule}, then dilates. The single quantisation step of every projection.
 * Token edges that should be whole numbers may carry a rounding error of one ulp (e.g. 224/3·3), so floor and ceil
 * look through {@link #EPS}; no real edge lies that close to a token boundary without being on it.
 * Not thread-safe (scratch rows).
 */
final class RectProjector {

    static final double EPS = 1e-9;

    private final int rows;
    private final int cols;
    private final CellToTokenRule rule;
    private final int dilation;
    private final int[] rowLo;
    private final int[] rowHi;

    RectProjector(int rows, int cols, CellToTokenRule rule, int dilation) {
        this.rows = rows;
        this.cols = cols;
        this.rule = rule;
        this.dilation = dilation;
        this.rowLo = new int[rows];
        this.rowHi = new int[rows];
    }

    /**
     * Writes the covered tokens ({@code row·cols + col}) to out: the rule's tokens in raster order, then the
     * tokens dilation adds, in raster order. Tokens outside the grid do not exist and are not written.
     *
     * @return the number written (at most rows·cols)
     */
    int project(double u0, double v0, double u1, double v1, int[] out) {
        int r0;
        int r1;
        int c0;
        int c1;
        if (rule.kind() == CellToTokenRule.Kind.CENTER) {
            c0 = (int) Math.ceil(u0 - 0.5 - EPS);
            c1 = (int) Math.ceil(u1 - 0.5 - EPS);
            r0 = (int) Math.ceil(v0 - 0.5 - EPS);
            r1 = (int) Math.ceil(v1 - 0.5 - EPS);
        } else {
            c0 = (int) Math.floor(u0 + EPS);
            c1 = (int) Math.ceil(u1 - EPS);
            r0 = (int) Math.floor(v0 + EPS);
            r1 = (int) Math.ceil(v1 - EPS);
        }
        c0 = Math.max(c0, 0);
        r0 = Math.max(r0, 0);
        c1 = Math.min(c1, cols);
        r1 = Math.min(r1, rows);
        if (c0 >= c1 || r0 >= r1) {
            return 0;
        }
        int first = -1;
        int last = -1;
        for (int r = r0; r < r1; r++) {
            int lo = c0;
            int hi = c1;
            if (rule.kind() == CellToTokenRule.Kind.MIN_FRACTION) {
                double oy = Math.min(r + 1, v1) - Math.max(r, v0);
                lo = c0;
                while (lo < c1 && cover(lo, u0, u1) * oy < rule.minFraction() - EPS) {
                    lo++;
                }
                hi = lo;
                while (hi < c1 && cover(hi, u0, u1) * oy >= rule.minFraction() - EPS) {
                    hi++;
                }
            }
            rowLo[r] = lo;
            rowHi[r] = hi;
            if (lo < hi) {
                if (first < 0) {
                    first = r;
                }
                last = r;
            }
        }
        if (first < 0) {
            return 0;
        }
        int n = 0;
        for (int r = first; r <= last; r++) {
            int base = r * cols;
            for (int c = rowLo[r]; c < rowHi[r]; c++) {
                out[n++] = base + c;
            }
        }
        if (dilation == 0) {
            return n;
        }
        for (int rr = Math.max(0, first - dilation); rr < Math.min(rows, last + 1 + dilation); rr++) {
            // The rule's per-row ranges are nested (superlevel sets of one concave coverage), so the dilated
            // row is one interval: the widest range within reach, grown by the dilation.
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (int r = Math.max(first, rr - dilation); r <= Math.min(last, rr + dilation); r++) {
                if (rowLo[r] < rowHi[r]) {
                    lo = Math.min(lo, rowLo[r]);
                    hi = Math.max(hi, rowHi[r]);
                }
            }
            if (lo > hi) {
                continue;
            }
            lo = Math.max(0, lo - dilation);
            hi = Math.min(cols, hi + dilation);
            boolean core = rr >= first && rr <= last;
            int coreLo = core ? rowLo[rr] : 0;
            int coreHi = core ? rowHi[rr] : 0;
            int base = rr * cols;
            for (int c = lo; c < hi; c++) {
                if (c < coreLo || c >= coreHi) {
                    out[n++] = base + c;
                }
            }
        }
        return n;
    }

    private static double cover(int c, double u0, double u1) {
        return Math.min(c + 1, u1) - Math.max(c, u0);
    }
}
