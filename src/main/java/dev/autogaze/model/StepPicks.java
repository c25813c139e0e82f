package dev.autogaze.model;

/**
 * What SELECT returned for each selected row: the step's tokens (pads included, first {@link #count} valid) and
 * their confidences, how many heads picked before truncation, whether a head met the task-loss requirement, and
 * whether the step stopped early (budget reached before a head, or every id masked).
 */
public final class StepPicks {

    private final int heads;
    private int rows;
    private int[] tokens = new int[0];
    private float[] confidence = new float[0];
    private int[] count = new int[0];
    private int[] picks = new int[0];
    private boolean[] meetAny = new boolean[0];
    private boolean[] early = new boolean[0];

    public StepPicks(int heads) {
        this.heads = heads;
    }

    /** Prepares room for `rows` rows; the engine then fills every row. */
    public void reset(int rows) {
        if (count.length < rows) {
            tokens = new int[rows * heads];
            confidence = new float[rows * heads];
            count = new int[rows];
            picks = new int[rows];
            meetAny = new boolean[rows];
            early = new boolean[rows];
        }
        this.rows = rows;
    }

    /** Records row r's outcome. */
    public void set(int r, int count, int picks, boolean meetAny, boolean early) {
        this.count[r] = count;
        this.picks[r] = picks;
        this.meetAny[r] = meetAny;
        this.early[r] = early;
    }

    public void setToken(int r, int i, int token, float conf) {
        tokens[r * heads + i] = token;
        confidence[r * heads + i] = conf;
    }

    public int rows() {
        return rows;
    }

    public int heads() {
        return heads;
    }

    public int token(int r, int i) {
        return tokens[r * heads + i];
    }

    public float confidence(int r, int i) {
        return confidence[r * heads + i];
    }

    /** Tokens row r contributes (after truncation at the budget). */
    public int count(int r) {
        return count[r];
    }

    public int picks(int r) {
        return picks[r];
    }

    public boolean meetAny(int r) {
        return meetAny[r];
    }

    public boolean early(int r) {
        return early[r];
    }

    /** The budget was reached in this step for row r (its frame ends). */
    public boolean hitBudget(int r, int emittedBefore, int budget) {
        return picks[r] + emittedBefore >= budget;
    }
}
