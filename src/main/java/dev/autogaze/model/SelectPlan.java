package dev.autogaze.model;

/**
 * SELECT of one step for the rows the last call fed (in the same order): per row, the tokens already emitted in the
 * frame and whether the row still generates (finished rows emit pads), plus the frame's budget, the task-loss
 * requirement (NaN = none) and whether this is the frame's first step (NoRepeat starts over).
 */
public final class SelectPlan {

    private int rows;
    private int[] emitted = new int[0];
    private boolean[] unfinished = new boolean[0];
    private int budget;
    private float requirement;
    private boolean firstStep;

    void reset(int maxRows, int budget, float requirement, boolean firstStep) {
        if (emitted.length < maxRows) {
            emitted = new int[maxRows];
            unfinished = new boolean[maxRows];
        }
        this.rows = 0;
        this.budget = budget;
        this.requirement = requirement;
        this.firstStep = firstStep;
    }

    void add(int emittedInFrame, boolean stillGenerating) {
        emitted[rows] = emittedInFrame;
        unfinished[rows] = stillGenerating;
        rows++;
    }

    public int rows() {
        return rows;
    }

    public int emitted(int r) {
        return emitted[r];
    }

    public boolean unfinished(int r) {
        return unfinished[r];
    }

    public int budget() {
        return budget;
    }

    /** The f32 task-loss requirement, or NaN for none. */
    public float requirement() {
        return requirement;
    }

    public boolean firstStep() {
        return firstStep;
    }
}
