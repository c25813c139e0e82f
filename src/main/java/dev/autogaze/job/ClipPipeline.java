package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PreparedClip;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
import java.util.List;

/**
 * A task's work without Spark: decoding threads ({@link ClipDecoders}) feed one gaze loop on the caller's thread,
 * which takes up to B clips of any videos, gazes them with {@link GazeSource#gazeEach} (each clip's result is the
 * one it gets alone) and reads each out into its row. So rows depend neither on the batch size nor on the
 * decoding threads nor on partitioning. With {@code --tiles} the batch's clips go to the source as their AnyRes tiles
 * ({@link AnyResTiles}). Per video, rows are written in clip order and the first failure (decoding,
 * gaze or readout) ends the video with exactly one error row counting the rows written for it.
 */
final class ClipPipeline implements PartitionProcessor.Run {

    /** Error stages the job adds to the video library's OPEN/PROBE/DECODE/SAMPLE/TIMEOUT. */
    static final String STAGE_GAZE = "GAZE";
    static final String STAGE_READOUT = "READOUT";

    /** Decoded clips waiting for the gaze loop, in batches: enough to fill the next batch during a gaze call. */
    static final int QUEUED_BATCHES = 2;
    /** Batches of at least this many clips are read out in parallel. */
    static final int PARALLEL_READOUT = 8;

    private final JobOptions options;
    private final String configHash;
    private final GazeSource source;
    /** Readouts are not thread-safe: one per thread that reads a batch's clips out (see {@link #readAll}). */
    private final ThreadLocal<ClipReadout> readout;
    private final JobCounters counters;
    private final PartitionProcessor.Sink sink;
    private final ClipDecoders decoders;
    private int running;
    private boolean done;

    private ClipPipeline(JobOptions options, String configHash, GazeSource source, ClipOpener opener, String device,
                         JobCounters counters, int decoderThreads, List<VideoTask> videos,
                         PartitionProcessor.Sink sink) {
        this.options = options;
        this.configHash = configHash;
        this.source = source;
        this.readout = ThreadLocal.withInitial(() -> new ClipReadout(options, configHash, source.name(),
                source.layout(), device));
        this.counters = counters;
        this.sink = sink;
        // with --tiles the source sees tiles cut in the gaze loop, so the decoding threads have nothing to prepare
        this.decoders = new ClipDecoders(videos, opener,
                options.tiles() ? clip -> new PreparedClip(clip, null) : source::prepare, decoderThreads,
                QUEUED_BATCHES * options.batchSize());
        this.running = decoders.start();
    }

    /**
     * The processor of a task: {@code decoderThreads} videos decoded at once by {@code opener}, gazed by
     * {@code source} (called under its lock unless it is thread-safe), rows labelled with {@code device}.
     */
    static PartitionProcessor processor(JobOptions options, String configHash, GazeSource source, ClipOpener opener,
                                        String device, JobCounters counters, int decoderThreads) {
        if (decoderThreads < 1) {
            throw new IllegalArgumentException("decoding threads " + decoderThreads + " must be >= 1");
        }
        return (videos, sink) -> new ClipPipeline(options, configHash, source, opener, device, counters,
                decoderThreads, videos, sink);
    }

    @Override
    public boolean step() {
        if (done) {
            return false;
        }
        try {
            List<ClipDecoders.ClipItem> batch = new ArrayList<>(options.batchSize());
            List<ClipDecoders.End> ends = new ArrayList<>();
            // A batch is full at B clips, or when no more clips are coming.
            while (batch.size() < options.batchSize() && running > 0) {
                ClipDecoders.Item item = decoders.take();
                if (item instanceof ClipDecoders.ClipItem c) {
                    counters.addDecodeNanos(c.decodeNanos());
                    if (c.video().failure == null) {
                        batch.add(c);
                    } else {
                        c.from().recycle(c.clip());
                    }
                } else if (item instanceof ClipDecoders.End e) {
                    counters.addDecodeNanos(e.decodeNanos());
                    ends.add(e); // after the batch, which holds this video's last clips
                } else if (item instanceof ClipDecoders.Crash x) {
                    throw new IllegalStateException("a decoding thread failed: " + x.error(), x.error());
                } else {
                    running--;
                }
            }
            if (batch.isEmpty() && ends.isEmpty()) {
                close();
                return false;
            }
            write(batch);
            for (ClipDecoders.End e : ends) {
                finish(e);
            }
            return true;
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for decoded clips", e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        done = true;
        decoders.close();
    }

    /** Gaze, readout and rows for a batch, in queue order (so each video's clips in clip order). */
    private void write(List<ClipDecoders.ClipItem> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<PreparedClip> ready = new ArrayList<>(batch.size());
        for (ClipDecoders.ClipItem c : batch) {
            if (c.prepared() != null) {
                ready.add(c.prepared());
            }
        }
        long t0 = System.nanoTime();
        List<GeneratedGaze> gazes = null;
        RuntimeException batchFailure = null;
        try {
            gazes = ready.isEmpty() ? List.of() : gaze(ready);
        } catch (RuntimeException e) {
            batchFailure = e;
        }
        counters.addGazeNanos(System.nanoTime() - t0);
        // each clip's gaze from the batch call: null for a clip that was not prepared, or all when the call failed
        GeneratedGaze[] gazeOf = new GeneratedGaze[batch.size()];
        if (gazes != null) {
            int next = 0;
            for (int i = 0; i < batch.size(); i++) {
                gazeOf[i] = batch.get(i).prepared() == null ? null : gazes.get(next++);
            }
        }
        Object[] rows = readAll(batch, gazeOf);
        for (int i = 0; i < batch.size(); i++) {
            ClipDecoders.ClipItem c = batch.get(i);
            ClipDecoders.Video v = c.video();
            if (c.prepared() == null) {
                if (v.failure == null) {
                    fail(v, STAGE_GAZE, source.name() + " failed on clip " + c.clip().clipIndex() + ": "
                            + c.prepareFailure());
                }
            } else {
                GeneratedGaze g = gazeOf[i];
                if (v.failure == null) {
                    if (g == null) {
                        g = gazeAlone(c, batchFailure, ready.size() > 1);
                    }
                    if (g != null) {
                        writeRow(c, g, rows[i]);
                    }
                }
            }
            c.from().recycle(c.clip());
        }
    }

    /**
     * After a failed batch call, clip by clip: the ones that fail alone fail their video, the others get the result
     * they would have got in any batch (a batch of one is not tried again). Returns null when the clip failed.
     */
    private GeneratedGaze gazeAlone(ClipDecoders.ClipItem c, RuntimeException batchFailure, boolean retry) {
        RuntimeException failure = batchFailure;
        GeneratedGaze g = null;
        if (retry) {
            long t0 = System.nanoTime();
            try {
                g = gaze(List.of(c.prepared())).get(0);
            } catch (RuntimeException e) {
                failure = e;
            }
            counters.addGazeNanos(System.nanoTime() - t0);
        }
        if (g == null) {
            fail(c.video(), STAGE_GAZE, source.name() + " failed on clip " + c.clip().clipIndex() + ": " + failure);
        }
        return g;
    }

    /**
     * The readout of every clip of a gazed batch whose video had not failed, on the pool's threads: the GPU engine
     * leaves the cores idle meanwhile, and one thread reading out a large batch would hold the next gaze call back.
     * Each entry is the clip's row, the exception its readout threw, or null (not read out: no gaze from the batch
     * call, or its video had failed); rows are written in order afterwards, so a video's first failure still wins.
     */
    private Object[] readAll(List<ClipDecoders.ClipItem> batch, GeneratedGaze[] gazeOf) {
        Object[] out = new Object[batch.size()];
        long[] nanos = new long[batch.size()];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, batch.size());
        (batch.size() >= PARALLEL_READOUT ? range.parallel() : range).forEach(i -> {
            ClipDecoders.ClipItem c = batch.get(i);
            if (gazeOf[i] == null || c.video().failure != null) {
                return;
            }
            long t0 = System.nanoTime();
            out[i] = readOut(c, gazeOf[i]);
            nanos[i] = System.nanoTime() - t0;
        });
        counters.addReadoutNanos(java.util.Arrays.stream(nanos).sum());
        return out;
    }

    /** The clip's row, or the exception its readout threw (this thread's readout). */
    private Object readOut(ClipDecoders.ClipItem c, GeneratedGaze g) {
        try {
            return readout.get().row(c.video().task, c.clip(), g);
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Writes the clip's row, read out already (`done`: a row or its readout's exception) or now. */
    private void writeRow(ClipDecoders.ClipItem c, GeneratedGaze g, Object done) {
        Object result = done;
        if (result == null) {
            long t0 = System.nanoTime();
            result = readOut(c, g);
            counters.addReadoutNanos(System.nanoTime() - t0);
        }
        if (result instanceof RuntimeException e) {
            fail(c.video(), STAGE_READOUT, "readout failed on clip " + c.clip().clipIndex() + ": " + e);
            return;
        }
        ClipRow row = (ClipRow) result;
        sink.clip(row);
        c.video().written++;
        counters.addClip(row.realGazes(), row.tokenCount());
    }

    private List<GeneratedGaze> gaze(List<PreparedClip> clips) {
        if (!options.tiles()) {
            return gazeEach(clips);
        }
        // tiles are cut here, from the whole clips; the source gets them unprepared (see the constructor)
        List<RgbClip> frames = clips.stream().map(PreparedClip::clip).toList();
        return AnyResTiles.gaze(frames, source.layout(),
                tiles -> gazeEach(tiles.stream().map(t -> new PreparedClip(t, null)).toList()));
    }

    private List<GeneratedGaze> gazeEach(List<PreparedClip> frames) {
        List<GeneratedGaze> out;
        if (source.threadSafe()) {
            out = source.gazeEachPrepared(frames, options.gaze());
        } else {
            synchronized (source) {
                out = source.gazeEachPrepared(frames, options.gaze());
            }
        }
        if (out.size() != frames.size()) {
            throw new IllegalStateException(source.name() + " returned " + out.size() + " results for " + frames.size()
                    + " clips");
        }
        return out;
    }

    /** Ends the video at this clip: no more of its clips are written, and its decoder stops. */
    private static void fail(ClipDecoders.Video v, String stage, String message) {
        v.failedStage = stage;
        v.failure = message;
        v.stop = true;
    }

    /** The video's last item: its one error row, if any (the first failure in clip order wins), and its count. */
    private void finish(ClipDecoders.End e) {
        ClipDecoders.Video v = e.video();
        if (v.failure != null) {
            error(v, v.failedStage, v.failure);
        } else if (e.failure() != null) {
            error(v, e.failure().stage().name(), e.failure().detail());
        }
        if (v.task.clipFrom() == 0) {
            counters.addVideo(); // a split video counts once, at its first range
        }
    }

    private void error(ClipDecoders.Video v, String stage, String message) {
        // A range of a split video counts the clips before it too, as the unsplit video would (WorkPlan keeps the
        // earliest range's row).
        sink.error(new ErrorRow(v.task.path(), v.task.videoId(), stage, message, v.task.clipFrom() + v.written,
                configHash));
        counters.addError();
    }
}
