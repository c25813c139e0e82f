package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PreparedClip;
import dev.autogaze.video.RgbClip;

import java.util.List;
import java.util.function.Function;

/**
 * A task's pipeline in this JVM without Spark (decoding threads, the gaze loop, readout into rows that are counted
 * and dropped), and its decoding alone: what `bench-pipeline` compares to tell whether decoding or the gaze source
 * bounds an executor.
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
