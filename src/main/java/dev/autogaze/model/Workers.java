package dev.autogaze.model;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run the decoder as a team: {@link #team} runs one body on every worker at once, and
 * the members share out the units of each phase through {@link TeamPhases}. The caller's thread is worker 0, so
 * one worker means plain sequential execution with no hand-off. Each worker has a stable index for its scratch.
 * Helpers spin briefly before parking: decode calls follow each other within tens of µs, and waking a parked
 * thread costs about as much.
 */
final class Workers implements AutoCloseable {

    /** A body that every worker of a team runs with its own index in [0, size()). */
    interface TeamBody {
        void run(int worker);
    }

    /** How long an idle helper spins before it parks: covers the gap between two decoder calls. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final int size;
    private final Thread[] helpers;
    private final AtomicInteger busy = new AtomicInteger();
    private volatile long generation;
    private volatile TeamBody team;
    private volatile TeamPhases phases;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile int parkedFlags; // bit w set while helper w may be parked

    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("decoder thread count " + threads + " must be at least 1");
        }
        this.size = threads;
        this.helpers = new Thread[threads - 1];
        for (int w = 0; w < helpers.length; w++) {
            int worker = w + 1;
            Thread t = new Thread(() -> helperLoop(worker), "autogaze-decoder-" + worker);
            t.setDaemon(true);
            helpers[w] = t;
            t.start();
        }
    }

    int size() {
        return size;
    }

    /**
     * Runs `body` once on every worker (the caller is worker 0) and returns when all are done. The members share
     * out work through `phases` (reset by the caller); if one fails, the phases break so the others stop waiting,
     * and the first failure is rethrown.
     */
    void team(TeamPhases phases, TeamBody body) {
        if (size == 1) {
            body.run(0);
            return;
        }
        this.team = body;
        this.phases = phases;
        this.failure = null;
        busy.set(helpers.length);
        generation++; // publishes team and phases to the helpers
        if (parkedFlags != 0) {
            for (Thread t : helpers) {
                LockSupport.unpark(t);
            }
        }
        runMember(body, 0);
        // always wait for the helpers, so no member of this run outlives it
        for (int spins = 0; busy.get() != 0; spins++) {
            if (spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a helper lost its core (shared machine): let it run
            }
        }
        this.team = null;
        this.phases = null;
        Throwable f = failure;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
    }

    private void runMember(TeamBody body, int worker) {
        try {
            body.run(worker);
        } catch (TeamPhases.BrokenException e) {
            // another member failed first; its failure is the one reported
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                if (failure == null) {
                    failure = e;
                }
            }
            phases.breakAll();
        }
    }

    private void helperLoop(int worker) {
        int bit = 1 << (worker - 1);
        long seen = 0;
        while (true) {
            long spinStart = System.nanoTime();
            while (generation == seen && !closed) {
                if (System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    setParked(bit, true);
                    if (generation == seen && !closed) {
                        LockSupport.park(this);
                    }
                    setParked(bit, false);
                    spinStart = System.nanoTime();
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                runMember(team, worker);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    private synchronized void setParked(int bit, boolean on) {
        parkedFlags = on ? parkedFlags | bit : parkedFlags & ~bit;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }
}
