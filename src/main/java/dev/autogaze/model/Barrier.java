package dev.autogaze.model;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reusable spinning barrier for the decoder's team of workers: a decode call meets here about 17 times within a
 * few milliseconds, so waiting threads spin (then yield, in case a member lost its core) instead of parking. A
 * member that fails breaks the barrier so the others stop waiting.
 */
final class Barrier {

    /** Thrown to members waiting on a barrier that another member broke. */
    static final class BrokenException extends RuntimeException {
        BrokenException() {
            super("decoder team barrier broken by a failed member", null, false, false);
        }
    }

    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int phase;
    private volatile boolean broken;

    Barrier(int parties) {
        this.parties = parties;
    }

    /** Waits until all parties arrived; a single party never waits. */
    void await() {
        if (parties == 1) {
            return;
        }
        int p = phase;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0); // before the phase flips: nobody arrives at the next meeting until it does
            phase = p + 1;
            return;
        }
        for (int spins = 0; phase == p; spins++) {
            if (broken) {
                throw new BrokenException();
            }
            if (spins < 2_000) { // ≈ 50 µs, the length of a stage: longer means the partner lost its core
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    void breakAll() {
        broken = true;
    }

    /** Ready for a new team run (no member may be waiting). */
    void reset() {
        arrived.set(0);
        broken = false;
    }

    int parties() {
        return parties;
    }
}
