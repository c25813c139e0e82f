package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.testing.ClipColumns;
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
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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
        List<DecodedClip> b = clips("b", 2, 64, 48);
        // B = 4 over two videos: the job's batches mix them, the libraries see each clip alone
        Result out = Result.run(OPTIONS.withBatchSize(4), PatchDiffGazeSource.defaults(),
                TestClips.opener(Map.of("a", a, "b", b)), 2, "a", "b");
        assertEquals(5, out.clips.size());
        assertTrue(out.errors.isEmpty());
        Map<String, ClipRow> rows = new TreeMap<>();
        out.clips.forEach(r -> rows.put(r.videoId() + "#" + r.clipIndex(), r));
        for (Map.Entry<String, List<DecodedClip>> video : Map.of("a", a, "b", b).entrySet()) {
            for (DecodedClip clip : video.getValue()) {
                String key = video.getKey() + "#" + clip.clipIndex();
                ClipColumns.assertSame(ClipColumns.expected(OPTIONS, "h", PatchDiffGazeSource.defaults(),
                        TestClips.task(video.getKey()).toRef(), clip, "cpu"), ClipColumns.of(rows.get(key)), key);
            }
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
            Result r = Result.run(OPTIONS.withBatchSize(bn[0]), new Poisonable(PatchDiffGazeSource.defaults()),
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
    void aClipThatFailsBeforeItsVideoFailsToDecodeGivesOneErrorRowTheFirst() {
        // the last clip before a decoding failure fails in the gaze source or the readout: the video ends there,
        // with one error row (the first failure in clip order) and one error counted, whatever the batch holds
        // (the per-video processor before the shared gaze loop wrote two rows here, the flush's and the decoder's,
        // and counted one)
        for (boolean readout : new boolean[] {false, true}) {
            for (int[] bn : new int[][] {{1, 1}, {2, 1}, {64, 3}}) {
                List<DecodedClip> x = new ArrayList<>(clips("x", 2, 64, 64));
                x.set(1, readout ? TestClips.poisonedForReadout(x.get(1)) : TestClips.poisoned(x.get(1)));
                x.add(null); // decoding fails after clip 1
                Map<String, List<DecodedClip>> videos = new LinkedHashMap<>(mixedVideos());
                videos.put("x", x);
                Result r = Result.run(OPTIONS.withBatchSize(bn[0]), new Poisonable(PatchDiffGazeSource.defaults()),
                        TestClips.opener(videos), bn[1], videos.keySet().toArray(new String[0]));
                ErrorRow e = r.sortedErrors().get(1);
                assertEquals("x", e.videoId(), r.errors.toString());
                assertEquals(readout ? "READOUT" : "GAZE", e.stage(), e.toString());
                assertTrue(e.message().startsWith(readout ? "readout failed on clip 1: " : "patch-diff failed on clip 1"
                        + ": java.lang.IllegalArgumentException: poisoned clip"), e.message());
                assertEquals(1, e.clipsWritten());
                assertEquals(2, r.errors.size(), "f's DECODE row and x's row: " + r.errors);
                assertEquals(2, r.counters.errors, "one error counted per row");
                assertEquals(List.of("x#0"), r.byClip().keySet().stream().filter(k -> k.startsWith("x#")).toList());
            }
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
        p.set(2, TestClips.poisonedForReadout(p.get(2)));
        Map<String, List<DecodedClip>> videos = Map.of("p", p, "b", clips("b", 2, 64, 64));
        Result r = Result.run(OPTIONS.withBatchSize(8), new Poisonable(PatchDiffGazeSource.defaults()),
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
    void aBatchReadOutInParallelStillReportsEachVideosFirstReadoutFailure() {
        // a batch of at least PARALLEL_READOUT clips is read out on several threads; the rows and the one error row
        // must still be those of clip order: clip 1 fails first, clip 3's later failure and clip 2's row are dropped
        List<DecodedClip> p = clips("p", 5, 64, 64);
        p.set(1, TestClips.poisonedForReadout(p.get(1)));
        p.set(3, TestClips.poisonedForReadout(p.get(3)));
        Map<String, List<DecodedClip>> videos = new LinkedHashMap<>(mixedVideos());
        videos.put("p", p);
        Result r = Result.run(OPTIONS.withBatchSize(64), new Poisonable(PatchDiffGazeSource.defaults()),
                TestClips.opener(videos), 1, videos.keySet().toArray(new String[0]));
        ErrorRow e = r.errors.stream().filter(x -> x.videoId().equals("p")).findFirst().orElseThrow();
        assertTrue(r.clips.size() + 1 >= ClipPipeline.PARALLEL_READOUT, "the batch is read out in parallel");
        assertEquals("READOUT", e.stage());
        assertTrue(e.message().startsWith("readout failed on clip 1: "), e.message());
        assertEquals(1, e.clipsWritten());
        assertEquals(List.of("p#0"), r.byClip().keySet().stream().filter(k -> k.startsWith("p#")).toList());
        Result oneByOne = Result.run(OPTIONS.withBatchSize(1), new Poisonable(PatchDiffGazeSource.defaults()),
                TestClips.opener(videos), 1, videos.keySet().toArray(new String[0]));
        assertEquals(oneByOne.byClip(), r.byClip());
        assertEquals(oneByOne.errors, r.errors);
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
            r.assertCountersAgreeWithRows(tasks);
            return r;
        }

        /**
         * What every run must satisfy: one count per video, per row and per error row; at most one error row per
         * video, whose clips_written is the number of its rows; a video's rows are its first clips, in order.
         */
        void assertCountersAgreeWithRows(List<VideoTask> tasks) {
            // a later range of a split video is not a video of its own, and its rows and clips_written continue
            // the video's earlier ranges (its own test checks them)
            assertEquals(tasks.stream().filter(t -> t.clipFrom() == 0).count(), counters.videos, "videos counted");
            Set<String> ranges = new java.util.HashSet<>();
            tasks.stream().filter(VideoTask::isRange).forEach(t -> ranges.add(t.videoId()));
            assertEquals(errors.size(), counters.errors, "error count vs error rows " + errors);
            assertEquals(clips.size(), counters.clips, "clip count vs rows");
            assertEquals(clips.stream().mapToLong(ClipRow::realGazes).sum(), counters.gazes);
            assertEquals(clips.stream().mapToLong(ClipRow::tokenCount).sum(), counters.tokens);
            Map<String, List<Integer>> indices = new TreeMap<>();
            clips.forEach(c -> indices.computeIfAbsent(c.videoId(), k -> new ArrayList<>()).add(c.clipIndex()));
            indices.forEach((id, list) -> {
                if (!ranges.contains(id)) {
                    assertEquals(java.util.stream.IntStream.range(0, list.size()).boxed().toList(), list,
                            id + ": rows in clip order, from its first clip");
                }
            });
            Set<String> failed = new java.util.HashSet<>();
            for (ErrorRow e : errors) {
                assertTrue(failed.add(e.videoId()), "two error rows for " + e.videoId() + ": " + errors);
                if (!ranges.contains(e.videoId())) {
                    assertEquals(indices.getOrDefault(e.videoId(), List.of()).size(), e.clipsWritten(),
                            "clips_written of " + e);
                }
            }
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
     * Delegates, except on marked clips ({@link TestClips#poisoned}, {@link TestClips#poisonedForReadout}): a batch
     * with a clip marked for gaze fails as a whole; a clip marked for readout gets a gaze whose first real id is the
     * pad id (the readout fails on it).
     */
    static final class Poisonable extends Recording {

        Poisonable(GazeSource inner) {
            super(inner);
        }

        @Override
        public List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
            if (clips.stream().anyMatch(c -> TestClips.isMarked(c, TestClips.FAILS_GAZE))) {
                throw new IllegalArgumentException("poisoned clip");
            }
            List<GeneratedGaze> out = new ArrayList<>(super.gazeEach(clips, options));
            for (int i = 0; i < clips.size(); i++) {
                if (TestClips.isMarked(clips.get(i), TestClips.FAILS_READOUT)) {
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
