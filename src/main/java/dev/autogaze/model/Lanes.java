package dev.autogaze.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A batch of independent rows split across a fixed set of lanes that run at once, one thread each (the caller's
 * thread runs the first). The CUDA engine uses it to run several batches on one GPU ({@link CudaLane}); the
 * splitting, ordering and failure rules live here, testable without a GPU.
 */
final class Lanes<L> implements AutoCloseable {

    /** Rows [from, to) of a batch. */
    record Part(int from, int to) {
        int size() {
            return to - from;
        }
    }

    private final List<L> lanes;
    private final Consumer<L> closer;
    private final ExecutorService threads; // lanes 1 .. n-1

    /** Takes ownership of `lanes`; {@link #close} closes each with `closer`. */
    Lanes(List<L> lanes, Consumer<L> closer, String threadName) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("no lanes");
        }
        this.lanes = List.copyOf(lanes);
        this.closer = closer;
        this.threads = lanes.size() == 1 ? null : Executors.newFixedThreadPool(lanes.size() - 1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    int count() {
        return lanes.size();
    }

    /** The first lane: the one that serves work that does not split. */
    L first() {
        return lanes.get(0);
    }

    List<L> all() {
        return lanes;
    }

    /**
     * Rows 0 .. batch-1 as at most `lanes` contiguous parts of near-equal size, none empty, larger parts first:
     * 10 rows in 4 lanes are [0, 3), [3, 6), [6, 8), [8, 10).
     */
    static List<Part> split(int batch, int lanes) {
        if (batch < 1 || lanes < 1) {
            throw new IllegalArgumentException("batch " + batch + " and lanes " + lanes + " must be positive");
        }
        int parts = Math.min(batch, lanes);
        List<Part> out = new ArrayList<>(parts);
        int from = 0;
        for (int i = 0; i < parts; i++) {
            int size = batch / parts + (i < batch % parts ? 1 : 0);
            out.add(new Part(from, from + size));
            from += size;
        }
        return out;
    }

    /**
     * Runs `work` for each part of a batch of `batch` rows, part i on lane i, all at once, and returns the parts'
     * results in row order. Every part finishes before this returns; then the first failure in lane order, if any,
     * is thrown (a lane is never left running work of a call that has returned).
     */
    <T> List<T> each(int batch, BiFunction<L, Part, List<T>> work) {
        List<Part> parts = split(batch, lanes.size());
        List<Future<List<T>>> others = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            L lane = lanes.get(i);
            Part part = parts.get(i);
            others.add(threads.submit(() -> work.apply(lane, part)));
        }
        List<T> out = new ArrayList<>(batch);
        RuntimeException failure = null;
        try {
            out.addAll(work.apply(lanes.get(0), parts.get(0)));
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<List<T>> f : others) {
            while (true) {
                try {
                    List<T> r = f.get();
                    if (failure == null) {
                        out.addAll(r);
                    }
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException re ? re
                                : new IllegalStateException(e.getCause());
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the lane still uses the caller's buffers: wait it out
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    @Override
    public void close() {
        if (threads != null) {
            threads.shutdownNow();
        }
        RuntimeException failure = null;
        for (L lane : lanes) {
            try {
                closer.accept(lane);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
