package dev.autogaze.model;

/**
 * One decoder call as the generation loop plans it: which batch rows take new tokens, where in their caches, and
 * what each token is. Rows may differ in count and cache position (independent rows); the host engines accept only
 * the uniform case. Arrays are reused across calls and may be longer than the counts say.
 */
public final class FeedPlan {

    private int rows;
    private int[] row = new int[0];
    private int[] start = new int[0];
    private int[] count = new int[0];
    private int[] first = new int[0];
    private int tokens;
    private int[] source = new int[0];
    private int[] position = new int[0];
    private boolean[] attend = new boolean[0];
    private int frame;
    private boolean prefill;

    /** Clears the plan for a call of at most `maxRows` rows and `maxTokens` tokens. */
    public void reset(int maxRows, int maxTokens, int frame, boolean prefill) {
        if (row.length < maxRows) {
            row = new int[maxRows];
            start = new int[maxRows];
            count = new int[maxRows];
            first = new int[maxRows];
        }
        if (source.length < maxTokens) {
            source = new int[maxTokens];
            position = new int[maxTokens];
            attend = new boolean[maxTokens];
        }
        this.rows = 0;
        this.tokens = 0;
        this.frame = frame;
        this.prefill = prefill;
    }

    /** Opens fed row `b` whose first new token goes to cache index `cacheStart`. */
    public void addRow(int b, int cacheStart) {
        row[rows] = b;
        start[rows] = cacheStart;
        count[rows] = 0;
        first[rows] = tokens;
        rows++;
    }

    /** Appends a token to the row opened last: src = id, or -(1 + j) for vision token j of the plan's frame. */
    public void addToken(int src, int pos, boolean attendable) {
        source[tokens] = src;
        position[tokens] = pos;
        attend[tokens] = attendable;
        tokens++;
        count[rows - 1]++;
    }

    public static int visionSource(int j) {
        return -1 - j;
    }

    /** Fed rows of this call. */
    public int rows() {
        return rows;
    }

    /** Batch row of fed row r. */
    public int row(int r) {
        return row[r];
    }

    /** Cache index of fed row r's first new token. */
    public int start(int r) {
        return start[r];
    }

    /** New tokens of fed row r. */
    public int count(int r) {
        return count[r];
    }

    /** Index (into the token arrays) of fed row r's first token; its tokens are consecutive. */
    public int firstToken(int r) {
        return first[r];
    }

    /** All new tokens of the call. */
    public int tokens() {
        return tokens;
    }

    /** Token i: a decoder id >= 0, or -(1 + j) for vision token j of {@link #frame()}. */
    public int source(int i) {
        return source[i];
    }

    public int position(int i) {
        return position[i];
    }

    public boolean attend(int i) {
        return attend[i];
    }

    /** The frame whose vision tokens a prefill feeds. */
    public int frame() {
        return frame;
    }

    /** True for a frame's prefill, false for a decode step. */
    public boolean prefill() {
        return prefill;
    }
}
