package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PreparedClip;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * A task's pipeline in this JVM without Spark (decoding threads, the gaze loop, readout into rows that are counted
 * and dropped), several tasks at once (one per GPU), and decoding alone: what `bench-pipeline` compares to tell
 * whether decoding or the gaze source bounds an executor, and how an executor scales with its GPUs.
 */
public final class LocalPipeline {

    /** What one pass did; the *Seconds are summed over threads (decoding) or spent on the gaze loop's thread. */
    public record Result(long clips, long errors, double wallSeconds, double decodeSeconds, double gazeSeconds,
                         double readoutSeconds) {
        public double clipsPerSecond() {
            return clips / wallSeconds;
        }
    }

    private LocalPipeline() {
    }

    /** Every video through decode, gaze and readout, as one Spark task would run them. */
    public static Result run(JobOptions options, GazeSource source, ClipOpener opener, int decoders,
                             List<VideoTask> videos) {
        JobCounters.Local counters = new JobCounters.Local();
        long[] errors = new long[1];
        PartitionProcessor.Sink sink = new PartitionProcessor.Sink() {
            @Override
            public void clip(ClipRow row) {
            }

            @Override
            public void error(ErrorRow row) {
                errors[0]++;
            }
        };
        PartitionProcessor processor = ClipPipeline.processor(options, ConfigHash.of(options), source, opener,
                "local", counters, decoders);
        long t0 = System.nanoTime();
        try (PartitionProcessor.Run run = processor.start(videos, sink)) {
            while (run.step()) {
                // each step gazes one batch and hands its rows to the sink
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Result(counters.clips, errors[0], wall, counters.decodeNanos / 1e9, counters.gazeNanos / 1e9,
                counters.readoutNanos / 1e9);
    }

    /**
     * One executor's tasks at once, each on a thread of its own with its gaze source (its GPU's, for the cuda engine),
     * its own {@code decoders} threads and its share of the videos, as Spark runs tasks that were given one GPU
     * each. Clips, errors and thread times are summed; the wall time runs until the last task ends.
     */
    public static Result runTasks(JobOptions options, List<GazeSource> sources, ClipOpener opener, int decoders,
                                  List<List<VideoTask>> shares) {
        if (sources.size() != shares.size()) {
            throw new IllegalArgumentException(sources.size() + " sources for " + shares.size() + " shares of videos");
        }
        List<FutureTask<Result>> tasks = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < sources.size(); i++) {
            GazeSource source = sources.get(i);
            List<VideoTask> share = shares.get(i);
            FutureTask<Result> task = new FutureTask<>(() -> run(options, source, opener, decoders, share));
            tasks.add(task);
            new Thread(task, "local-task-" + i).start();
        }
        long clips = 0, errors = 0;
        double decode = 0, gaze = 0, readout = 0;
        for (FutureTask<Result> task : tasks) {
            Result r;
            try {
                r = task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while tasks ran", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a task failed: " + e.getCause(), e.getCause());
            }
            clips += r.clips();
            errors += r.errors();
            decode += r.decodeSeconds();
            gaze += r.gazeSeconds();
            readout += r.readoutSeconds();
        }
        return new Result(clips, errors, (System.nanoTime() - t0) / 1e9, decode, gaze, readout);
    }

    /** The videos dealt to `parts` tasks in turn (video i to task i mod parts), so each gets the same mix. */
    public static List<List<VideoTask>> deal(List<VideoTask> videos, int parts) {
        List<List<VideoTask>> shares = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < videos.size(); i++) {
            shares.get(i % parts).add(videos.get(i));
        }
        return shares;
    }

    /**
     * Every video decoded by {@code decoders} threads, each clip passed through {@code prepare} (e.g.
     * {@code GazeSource::prepare}, or nothing), into a queue that is drained at once: what the decoding threads can
     * deliver when nothing waits for them.
     */
    public static Result decodeOnly(ClipOpener opener, Function<RgbClip, PreparedClip> prepare, int decoders,
                                    List<VideoTask> videos) {
        ClipDecoders queue = new ClipDecoders(videos, opener, prepare, decoders, 4 * decoders);
        long clips = 0, errors = 0, decodeNanos = 0;
        long t0 = System.nanoTime();
        try (queue) {
            for (int running = queue.start(); running > 0; ) {
                ClipDecoders.Item item = queue.take();
                if (item instanceof ClipDecoders.ClipItem c) {
                    if (c.prepareFailure() != null) {
                        throw c.prepareFailure();
                    }
                    clips++;
                    decodeNanos += c.decodeNanos();
                    c.from().recycle(c.clip());
                } else if (item instanceof ClipDecoders.End e) {
                    decodeNanos += e.decodeNanos();
                    errors += e.failure() == null ? 0 : 1;
                } else if (item instanceof ClipDecoders.Crash x) {
                    throw new IllegalStateException("a decoding thread failed: " + x.error(), x.error());
                } else {
                    running--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        }
        return new Result(clips, errors, (System.nanoTime() - t0) / 1e9, decodeNanos / 1e9, 0, 0);
    }
}
