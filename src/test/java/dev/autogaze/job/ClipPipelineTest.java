package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.readout.BatchCoordinates;
import dev.autogaze.readout.Fixation;
import dev.autogaze.readout.FixationTrace;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ImageTokens;
import dev.autogaze.readout.Readout;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.SourceFrame;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.SamplingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.autogaze.job.TestClips.clips;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The task's work without Spark: decoding threads feed one gaze loop that batches clips of any videos. Rows never
 * depend on batch size or decoding threads; per-video bookkeeping stays exact; threads never outlive the task.
 */
@Timeout(60)
class ClipPipelineTest {

    static final JobOptions OPTIONS = JobOptions.defaults("in", "out")
            .withSampling(SamplingOptions.defaults().withClipLength(4)).withBatchSize(2);

    /** Five videos of different sizes and lengths, one failing to decode after its second clip. */
    static Map<String, List<DecodedClip>> mixedVideos() {
        Map<String, List<DecodedClip>> v = new LinkedHashMap<>();
        v.put("a", clips("a", 3, 96, 64));
        v.put("b", clips("b", 5, 64, 64));
        List<DecodedClip> f = new ArrayList<>(clips("f", 2, 80, 48));
        f.add(null);
        v.put("f", f);
        v.put("c", clips("c", 1, 128, 96));
        v.put("d", clips("d", 4, 64, 48));
        return v;
    }

    @Test
    void rowsEqualTheGazeSourceAndReadoutLibraryCalledOnEachClipAlone() {
        List<DecodedClip> a = clips("a", 3, 96, 64);
        Result out = Result.run(OPTIONS, PatchDiffGazeSource.defaults(), TestClips.opener(Map.of("a", a)), 1, "a");
        assertEquals(3, out.clips.size());
        assertTrue(out.errors.isEmpty());
        ScaleLayout layout = ScaleLayout.released();
        for (int i = 0; i < 3; i++) {
            GeneratedGaze g = PatchDiffGazeSource.defaults().gaze(List.of(a.get(i).frames()), OPTIONS.gaze());
            VideoCoordinates c = Readout.videoCoordinates(g, layout, OPTIONS.geometry(), OPTIONS.readout(),
                    OPTIONS.videoTokens()).row(0);
            FixationTrace trace = Readout.fixations(g, layout, SourceFrame.of(layout, 96, 64)).get(0);
            ImageTokens frameTokens = Readout.imageTokens(g, layout, OPTIONS.geometry().frameGrid(), OPTIONS.readout())
                    .get(0);
            ClipRow row = out.clips.get(i);
            assertEquals(i, row.clipIndex());
            assertEquals(c.count(), row.tokenCount());
            for (int k = 0; k < c.count(); k++) {
                assertEquals(c.temporal(k), row.coordsT()[k]);
                assertEquals(c.row(k), row.coordsRow()[k]);
                assertEquals(c.col(k), row.coordsCol()[k]);
            }
            assertArrayEquals(c.flatIndices(), row.tokenIndex());
            List<Fixation> all = new ArrayList<>();
            trace.frames().forEach(all::addAll);
            assertEquals(all.size(), row.fixId().length);
            for (int k = 0; k < all.size(); k++) {
                Fixation f = all.get(k);
                assertEquals(f.frame(), row.fixFrame()[k]);
                assertEquals(f.cell().id(), row.fixId()[k]);
                assertEquals(f.cell().scale(), row.fixScale()[k]);
                assertEquals((float) f.sourceRect().x0(), row.fixX0()[k]);
                assertEquals((float) f.sourceRect().y1(), row.fixY1()[k]);
            }
            assertEquals(g.realCount(0), row.realGazes());
            assertEquals(g.padded()[0].length - g.realCount(0), row.padGazes());
            assertArrayEquals(g.numGazingEachFrame(), row.numGazingEachFrame());
            for (int t = 0; t < 4; t++) {
                assertEquals(frameTokens.frame(t).length, row.tokensEachFrame()[t], "frame " + t);
            }
            assertEquals("patch-diff", row.gazeSource());
            assertEquals("h", row.configHash());
            assertEquals("cpu", row.device());
            assertEquals(96, row.sourceWidth());
            assertArrayEquals(a.get(i).frameIndices(), row.frameIndices());
            assertEquals(row.tokenCount(), Arrays.stream(row.tokensPerBin()).sum());
            assertEquals(row.tokenCount() / (2.0 * 14 * 14), row.keepRatio(), 1e-12);
        }
    }

    @Test
    void rowsAndErrorsDoNotDependOnBatchSizeOrDecodingThreads() {
        Map<String, List<DecodedClip>> videos = mixedVideos();
        String[] ids = videos.keySet().toArray(new String[0]);
        Result reference = Result.run(OPTIONS.withBatchSize(1), PatchDiffGazeSource.defaults(),
                TestClips.opener(videos), 1, ids);
        assertEquals(3 + 5 + 2 + 1 + 4, reference.clips.size());
        boolean mixed = false;
        for (int[] bn : new int[][] {{3, 1}, {64, 1}, {64, 3}, {5, 4}, {1, 5}}) {
            Recording source = new Recording(PatchDiffGazeSource.defaults());
            Result r = Result.run(OPTIONS.withBatchSize(bn[0]), source, TestClips.opener(videos), bn[1], ids);
            String what = "B=" + bn[0] + ", decoders=" + bn[1];
            assertEquals(reference.byClip(), r.byClip(), what);
            assertEquals(reference.errors, r.errors, what);
            assertEquals(reference.counters(), r.counters(), what);
            assertTrue(source.batchSizes.stream().allMatch(n -> n <= bn[0]), what + ": " + source.batchSizes);
            mixed |= source.mixedSizes > 0;
        }
        assertTrue(mixed, "some batch held clips of several videos");
    }

    @Test
    void decodeFailureMidwayInAMixedBatchKeepsTheEarlierClipsAndWritesOneErrorRow() {
        for (int decoders : new int[] {1, 3}) {
            Map<String, List<DecodedClip>> videos = mixedVideos();
            Result r = Result.run(OPTIONS.withBatchSize(64), PatchDiffGazeSource.defaults(), TestClips.opener(videos),
                    decoders, videos.keySet().toArray(new String[0]));
            assertEquals(List.of(new ErrorRow("/data/f.mp4", "f", "DECODE", "corrupt packet after clip 1", 2, "h")),
                    r.errors);
            assertEquals(List.of("f#0", "f#1"), r.byClip().keySet().stream().filter(k -> k.startsWith("f#")).toList());
            assertEquals(5, r.counters.videos);
            assertEquals(1, r.counters.errors);
            assertEquals(r.clips.size(), r.counters.clips);
            assertEquals(r.clips.stream().mapToLong(ClipRow::realGazes).sum(), r.counters.gazes);
            assertEquals(r.clips.stream().mapToLong(ClipRow::tokenCount).sum(), r.counters.tokens);
        }
    }

    @Test
    void unopenableVideoBecomesAnOpenErrorAndTheOtherVideosStillRun() {
        Result r = Result.run(OPTIONS, PatchDiffGazeSource.defaults(), TestClips.opener(Map.of("b", clips("b", 1, 64,
                64))), 2, "missing", "b");
        assertEquals(List.of(new ErrorRow("/data/missing.mp4", "missing", "OPEN", "no such file /data/missing.mp4", 0,
                "h")), r.errors);
        assertEquals(1, r.clips.size());
        assertEquals(2, r.counters.videos);
        assertEquals(1, r.counters.errors);
    }

    @Test
    void gazeFailureOnOneClipFailsOnlyItsVideoFromThatClipOn() {
        Map<String, List<DecodedClip>> videos = mixedVideos();
        List<DecodedClip> p = clips("p", 3, 64, 64);
        p.set(1, TestClips.poisoned(p.get(1)));
        videos.put("p", p);
        String[] ids = videos.keySet().toArray(new String[0]);
        Result reference = null;
        for (int[] bn : new int[][] {{1, 1}, {64, 3}, {4, 2}}) {
            Result r = Result.run(OPTIONS.withBatchSize(bn[0]), new Poisonable(PatchDiffGazeSource.defaults(), false),
                    TestClips.opener(videos), bn[1], ids);
            assertEquals(List.of(new ErrorRow("/data/f.mp4", "f", "DECODE", "corrupt packet after clip 1", 2, "h"),
                    new ErrorRow("/data/p.mp4", "p", "GAZE", "patch-diff failed on clip 1: java.lang."
                            + "IllegalArgumentException: poisoned clip", 1, "h")), r.sortedErrors());
            assertEquals(List.of("p#0"), r.byClip().keySet().stream().filter(k -> k.startsWith("p#")).toList());
            assertEquals(15 + 1, r.clips.size(), "every other video is whole");
            assertEquals(2, r.counters.errors);
            assertEquals(6, r.counters.videos);
            if (reference != null) {
                assertEquals(reference.byClip(), r.byClip());
            }
            reference = r;
        }
    }

    @Test
    void aRangeOfASplitVideoCountsTheClipsBeforeItInItsErrorRowAndItsVideoOnce() {
        List<DecodedClip> v = new ArrayList<>(clips("v", 2, 64, 64));
        v.add(null); // a DECODE failure after the range's second clip
        Map<String, List<DecodedClip>> videos = Map.of("v", v, "w", clips("w", 1, 64, 64));
        Result r = Result.run(OPTIONS, PatchDiffGazeSource.defaults(), TestClips.opener(videos), 1,
                List.of(TestClips.task("v").withClipRange(5, 0), TestClips.task("w").withClipRange(0, 3)));
        assertEquals(1, r.errors.size());
        assertEquals("DECODE", r.errors.get(0).stage());
        assertEquals(7, r.errors.get(0).clipsWritten()); // as the unsplit video: clips 0-6 were written
        assertEquals(3, r.clips.size());
        assertEquals(1, r.counters.videos); // w's first range counts, v's later range does not
    }

    @Test
    void readoutFailureBecomesOneReadoutErrorRow() {
        List<DecodedClip> p = clips("p", 3, 64, 64);
        p.set(2, TestClips.poisoned(p.get(2)));
        Map<String, List<DecodedClip>> videos = Map.of("p", p, "b", clips("b", 2, 64, 64));
        Result r = Result.run(OPTIONS.withBatchSize(8), new Poisonable(PatchDiffGazeSource.defaults(), true),
                TestClips.opener(videos), 2, "p", "b");
        assertEquals(1, r.errors.size());
        ErrorRow e = r.errors.get(0);
        assertEquals("READOUT", e.stage());
        assertEquals(2, e.clipsWritten());
        assertTrue(e.message().startsWith("readout failed on clip 2: java.lang.IllegalArgumentException: gazing_pos"),
                e.message());
        assertEquals(4, r.clips.size());
    }

    @Test
    void memoryIsBoundedByAFewBatchesAndDecodingRunsOnSeveralThreads() {
        Map<String, List<DecodedClip>> videos = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            videos.put("v" + i, clips("v" + i, 5, 32, 32));
        }
        AtomicInteger decoded = new AtomicInteger();
        Set<String> decodingNow = ConcurrentHashMap.newKeySet();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ClipOpener counting = video -> {
            ClipOpener.Clips inner = TestClips.opener(videos).open(video);
            return new ClipOpener.Clips() {
                @Override
                public DecodedClip next() throws dev.autogaze.video.VideoDecodeException {
                    decodingNow.add(video.videoId());
                    mostAtOnce.accumulateAndGet(decodingNow.size(), Math::max);
                    sleep(5);
                    DecodedClip c = inner.next();
                    if (c != null) {
                        decoded.incrementAndGet();
                    }
                    return c;
                }

                @Override
                public void close() {
                    decodingNow.remove(video.videoId());
                }
            };
        };
        int b = 2;
        int threads = 3;
        AtomicInteger gazed = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        GazeSource slow = new Recording(PatchDiffGazeSource.defaults()) {
            @Override
            public List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
                sleep(40); // the decoders run ahead until the queue is full
                mostInFlight.accumulateAndGet(decoded.get() - gazed.get(), Math::max);
                gazed.addAndGet(clips.size());
                return super.gazeEach(clips, options);
            }
        };
        Result r = Result.run(OPTIONS.withBatchSize(b), slow, counting, threads, videos.keySet().toArray(new String[0]));
        assertEquals(50, r.clips.size());
        // queue (QUEUED_BATCHES x B) + the batch being gazed + one clip in the hands of each thread
        int bound = ClipPipeline.QUEUED_BATCHES * b + b + threads;
        assertTrue(mostInFlight.get() <= bound, mostInFlight.get() + " clips decoded but not gazed, bound " + bound);
        assertTrue(mostInFlight.get() >= ClipPipeline.QUEUED_BATCHES * b, "the decoders ran ahead: "
                + mostInFlight.get());
        assertTrue(mostAtOnce.get() >= 2, "videos decoded at once: " + mostAtOnce.get());
    }

    @Test
    void anExceptionInTheGazeLoopStopsTheDecoders() {
        Map<String, List<DecodedClip>> videos = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            videos.put("v" + i, clips("v" + i, 5, 32, 32));
        }
        List<VideoTask> tasks = videos.keySet().stream().map(TestClips::task).toList();
        PartitionProcessor p = ClipPipeline.processor(OPTIONS, "h", PatchDiffGazeSource.defaults(),
                TestClips.opener(videos), "cpu", new JobCounters.Local(), 3);
        PartitionProcessor.Run run = p.start(tasks, new PartitionProcessor.Sink() {
            @Override
            public void clip(ClipRow row) {
                throw new IllegalStateException("the writer failed");
            }

            @Override
            public void error(ErrorRow row) {
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, run::step);
        assertEquals("the writer failed", e.getMessage());
        assertEquals(0, liveDecoderThreads(), "decoding threads left after the failure");
        run.close();
        assertFalse(run.step(), "a failed run does no more work");
    }

    @Test
    void aDecodingThreadThatCrashesFailsTheTaskAndStopsTheOthers() {
        Map<String, List<DecodedClip>> videos = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            videos.put("v" + i, clips("v" + i, 3, 32, 32));
        }
        ClipOpener crashing = video -> {
            if (video.videoId().equals("v4")) {
                throw new IllegalStateException("deliberate failure on v4");
            }
            return TestClips.opener(videos).open(video);
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Result.run(OPTIONS,
                PatchDiffGazeSource.defaults(), crashing, 3, videos.keySet().toArray(new String[0])));
        assertEquals("deliberate failure on v4", e.getCause().getMessage());
        assertEquals(0, liveDecoderThreads());
    }

    static long liveDecoderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("autogaze-decode-")).count();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything one run of the pipeline emitted, plus its counters; checks that it left no thread behind. */
    static final class Result implements PartitionProcessor.Sink {
        final List<ClipRow> clips = new ArrayList<>();
        final List<ErrorRow> errors = new ArrayList<>();
        final JobCounters.Local counters = new JobCounters.Local();

        static Result run(JobOptions options, GazeSource source, ClipOpener opener, int decoders, String... ids) {
            return run(options, source, opener, decoders, Arrays.stream(ids).map(TestClips::task).toList());
        }

        static Result run(JobOptions options, GazeSource source, ClipOpener opener, int decoders,
                          List<VideoTask> tasks) {
            Result r = new Result();
            try (PartitionProcessor.Run run = ClipPipeline.processor(options, "h", source, opener, "cpu", r.counters,
                    decoders).start(tasks, r)) {
                while (run.step()) {
                    // all batches
                }
            }
            assertEquals(0, liveDecoderThreads(), "decoding threads outlive the run");
            return r;
        }

        @Override
        public void clip(ClipRow row) {
            clips.add(row);
        }

        @Override
        public void error(ErrorRow row) {
            errors.add(row);
        }

        /** "video#clip" -> every column of the row. */
        Map<String, String> byClip() {
            Map<String, String> m = new TreeMap<>();
            for (ClipRow r : clips) {
                m.put(r.videoId() + "#" + r.clipIndex(), TestClips.allColumns(r));
            }
            assertEquals(clips.size(), m.size(), "no clip is written twice");
            return m;
        }

        List<ErrorRow> sortedErrors() {
            return errors.stream().sorted(java.util.Comparator.comparing(ErrorRow::videoId)).toList();
        }

        String counters() {
            return counters.videos + " videos, " + counters.clips + " clips, " + counters.gazes + " gazes, "
                    + counters.tokens + " tokens, " + counters.errors + " errors";
        }
    }

    /** Records the batches it is given (sizes, and how many held clips of several frame sizes), then delegates. */
    static class Recording implements GazeSource {
        final GazeSource inner;
        final List<Integer> batchSizes = new ArrayList<>();
        int mixedSizes;

        Recording(GazeSource inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public ScaleLayout layout() {
            return inner.layout();
        }

        @Override
        public GeneratedGaze gaze(List<RgbClip> clips, GazeOptions options) {
            throw new AssertionError("the job calls gazeEach");
        }

        @Override
        public List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
            batchSizes.add(clips.size());
            if (clips.stream().map(c -> c.width() + "x" + c.height()).distinct().count() > 1) {
                mixedSizes++;
            }
            return inner.gazeEach(clips, options);
        }
    }

    /**
     * Delegates, except on a poisoned clip ({@link TestClips#poisoned}): fails the whole call (gaze), or returns a
     * gaze whose first real id is the pad id (readout fails on it).
     */
    static final class Poisonable extends Recording {
        private final boolean breakReadout;

        Poisonable(GazeSource inner, boolean breakReadout) {
            super(inner);
            this.breakReadout = breakReadout;
        }

        @Override
        public List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
            boolean poisoned = clips.stream().anyMatch(TestClips::isPoisoned);
            if (poisoned && !breakReadout) {
                throw new IllegalArgumentException("poisoned clip");
            }
            List<GeneratedGaze> out = new ArrayList<>(super.gazeEach(clips, options));
            for (int i = 0; i < clips.size(); i++) {
                if (TestClips.isPoisoned(clips.get(i))) {
                    GeneratedGaze g = out.get(i);
                    long[][] pos = {g.gazingPos()[0].clone()};
                    pos[0][0] = g.tokensPerFrame();
                    out.set(i, new GeneratedGaze(pos, g.padded(), g.numGazingEachFrame(), g.confidence(),
                            g.tokensPerFrame()));
                }
            }
            return out;
        }
    }
}
