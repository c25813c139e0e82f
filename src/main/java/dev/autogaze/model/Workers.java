package dev.autogaze.model;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of threads that split one decoder stage into independent tasks; the caller's thread works too, so
 * one worker means plain sequential execution with no hand-off. Each worker has a stable index for its scratch.
 */
final class Workers implements AutoCloseable {

    /** One unit of work; `worker` is in [0, size()). */
    interface Task {
        void run(int task, int worker);
    }

    /** Runs everything on the caller's thread. */
    static final Workers SEQUENTIAL = new Workers(1);

    private final int size;
    private final ExecutorService pool;
    private final Future<?>[] futures;

    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("decoder thread count " + threads + " must be at least 1");
        }
        this.size = threads;
        this.futures = new Future<?>[threads - 1];
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "autogaze-decoder");
            t.setDaemon(true);
            return t;
        });
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
        AtomicInteger next = new AtomicInteger();
        int helpers = Math.min(size - 1, count - 1);
        for (int w = 0; w < helpers; w++) {
            int worker = w + 1;
            futures[w] = pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.run(i, worker);
                }
            });
        }
        RuntimeException failure = null;
        try {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                task.run(i, 0);
            }
        } catch (RuntimeException e) {
            failure = e;
            next.set(count); // stop handing out tasks; the helpers finish the ones they hold
        }
        // always wait for the helpers, so no task of this run outlives it
        for (int w = 0; w < helpers; w++) {
            try {
                futures[w].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure
                        : new IllegalStateException("interrupted while waiting for decoder workers", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                if (failure == null) {
                    failure = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
