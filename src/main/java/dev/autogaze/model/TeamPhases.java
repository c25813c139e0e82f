package dev.autogaze.model;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The work queues of a decoder team: a forward call is a sequence of phases, each a number of independent units
 * that whichever member asks first takes; a phase ends when all its units are done. A member slowed down (the host
 * took its core for a while) thus takes fewer units instead of making the others wait at a fixed split, and a
 * member that arrives after a phase was finished without it moves straight on. Waiting spins (phases last tens of
 * µs), then yields. A failed member breaks the queues so the others stop waiting.
 */
final class TeamPhases {

    /** Thrown to members waiting on a phase that a failed member can no longer finish. */
    static final class BrokenException extends RuntimeException {
        BrokenException() {
            super("decoder team broken by a failed member", null, false, false);
        }
    }

    /** Phase index stride: claims and completions of one phase sit on their own cache line (16 ints). */
    private static final int STRIDE = 16;

    private AtomicIntegerArray claimed = new AtomicIntegerArray(0);
    private AtomicIntegerArray finished = new AtomicIntegerArray(0);
    private volatile boolean broken;

    /** Empties the first `phases` queues for a new call; no member may be running. */
    void reset(int phases) {
        if (claimed.length() < phases * STRIDE) {
            claimed = new AtomicIntegerArray(phases * STRIDE);
            finished = new AtomicIntegerArray(phases * STRIDE);
        } else {
            for (int p = 0; p < phases; p++) {
                claimed.set(p * STRIDE, 0);
                finished.set(p * STRIDE, 0);
            }
        }
        broken = false;
    }

    /** The next unclaimed unit of `phase` (units at or beyond the phase's count mean: none left). */
    int claim(int phase) {
        return claimed.getAndIncrement(phase * STRIDE);
    }

    /** Marks one claimed unit of `phase` done (after its results are written). */
    void done(int phase) {
        finished.incrementAndGet(phase * STRIDE);
    }

    /** Returns once all `units` units of `phase` are done. */
    void await(int phase, int units) {
        for (int spins = 0; finished.get(phase * STRIDE) < units; spins++) {
            if (broken) {
                throw new BrokenException();
            }
            if (spins < 2_000) { // ≈ 50 µs, the length of a phase: longer means a member lost its core
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    void breakAll() {
        broken = true;
    }
}
