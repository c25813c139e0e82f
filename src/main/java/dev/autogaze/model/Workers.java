package dev.autogaze.model;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that split decoder work: {@link #run} hands out independent tasks, {@link #team} runs one
 * body on every worker at once (the members share out the units of each phase through {@link TeamPhases}). The caller's thread
 * works too, so one worker means plain sequential execution with no hand-off. Each worker has a stable index for
 * its scratch. Helpers spin briefly before parking: a decode call has about 20 small stages, and waking a parked
 * thread (tens of µs) cost more than the stages themselves.
 */
final class Workers implements AutoCloseable {

    /** One unit of work; `worker` is in [0, size()). */
    interface Task {
        void run(int task, int worker);
    }

    /** A body that every worker of a team runs with its own index in [0, size()). */
    interface TeamBody {
        void run(int worker);
    }

    /** Runs everything on the caller's thread. */
    static final Workers SEQUENTIAL = new Workers(1);

    /** How long an idle helper spins before it parks: covers the gaps between a decode call's stages. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final int size;
    private final Thread[] helpers;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile long generation;
    private volatile Task task;
    private volatile TeamBody team;
    private volatile TeamPhases phases;
    private volatile int count;
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

    /** Runs tasks 0..count-1 across the workers and returns when all are done; a task's exception is rethrown. */
    void run(int count, Task task) {
        if (size == 1 || count == 1) {
            for (int i = 0; i < count; i++) {
                task.run(i, 0);
            }
            return;
        }
        this.task = task;
        this.team = null;
        this.count = count;
        start();
        try {
            work(task, count, 0);
        } catch (RuntimeException | Error e) {
            recordFailure(e);
        }
        finish();
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
        this.task = null;
        this.team = body;
        this.phases = phases;
        start();
        runTeamMember(body, 0);
        finish();
    }

    private void start() {
        this.failure = null;
        next.set(0);
        busy.set(helpers.length);
        generation++; // publishes task/team, count and next to the helpers
        if (parkedFlags != 0) {
            for (Thread t : helpers) {
                LockSupport.unpark(t);
            }
        }
    }

    private void runTeamMember(TeamBody body, int worker) {
        try {
            body.run(worker);
        } catch (TeamPhases.BrokenException e) {
            // another member failed first; its failure is the one reported
        } catch (RuntimeException | Error e) {
            recordFailure(e);
            phases.breakAll();
        }
    }

    private void finish() {
        // always wait for the helpers, so no task of this run outlives it; they finish within a stage
        for (int spins = 0; busy.get() != 0; spins++) {
            if (spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a helper lost its core (shared machine): let it run
            }
        }
        this.task = null;
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

    private void work(Task task, int count, int worker) {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            task.run(i, worker);
        }
    }

    private void recordFailure(Throwable e) {
        synchronized (this) {
            if (failure == null) {
                failure = e;
            }
        }
        next.set(Integer.MAX_VALUE / 2); // stop handing out tasks; the others finish the ones they hold
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
                TeamBody body = team;
                if (body != null) {
                    runTeamMember(body, worker);
                } else {
                    work(task, count, worker);
                }
            } catch (RuntimeException | Error e) {
                recordFailure(e);
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
