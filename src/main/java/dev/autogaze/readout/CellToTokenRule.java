package dev.autogaze.readout;

/**
 * When a downstream patch token counts as covered by a gaze rectangle. A cell rarely lines up with the downstream
 * patch grid (e.g. a 32-px cell on a 16-px grid of a 320-px frame), so the choice is the caller's.
 *
 * @param kind        ANY_OVERLAP: the token and the rect share positive area; CENTER: the token's centre lies in
 *                    the half-open rect; MIN_FRACTION: at least {@code minFraction} of the token's area is covered
 * @param minFraction the fraction for MIN_FRACTION, in (0, 1]; 0 for the other kinds
 */
public record CellToTokenRule(Kind kind, double minFraction) {

    public enum Kind { ANY_OVERLAP, CENTER, MIN_FRACTION }

    public static final CellToTokenRule ANY_OVERLAP = new CellToTokenRule(Kind.ANY_OVERLAP, 0);
    public static final CellToTokenRule CENTER = new CellToTokenRule(Kind.CENTER, 0);

    public CellToTokenRule {
        if (kind == null) {
            throw new IllegalArgumentException("cell-to-token rule has no kind");
        }
        if (kind == Kind.MIN_FRACTION && !(minFraction > 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minimum covered fraction " + minFraction + " must be in (0, 1]");
        }
        if (kind != Kind.MIN_FRACTION && minFraction != 0) {
            throw new IllegalArgumentException("rule " + kind + " takes no fraction, got " + minFraction);
        }
    }

    /** Tokens of which at least {@code fraction} of the area is covered. */
    public static CellToTokenRule minFraction(double fraction) {
        return new CellToTokenRule(Kind.MIN_FRACTION, fraction);
    }

    @Override
    public String toString() {
        return kind == Kind.MIN_FRACTION ? "MIN_FRACTION(" + minFraction + ")" : kind.name();
    }
}
