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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipProcessorTest {

    private static final JobOptions OPTIONS = JobOptions.defaults("in", "out")
            .withSampling(SamplingOptions.defaults().withClipLength(4)).withBatchSize(2);

    private static final class Collect implements VideoProcessor.Sink {
        final List<ClipRow> clips = new ArrayList<>();
        final List<ErrorRow> errors = new ArrayList<>();

        @Override
        public void clip(ClipRow row) {
            clips.add(row);
        }

        @Override
        public void error(ErrorRow row) {
            errors.add(row);
        }
    }

    /** Records every batch it is given, then delegates to patch-diff. */
    private static final class Recording implements GazeSource {
        final PatchDiffGazeSource inner = PatchDiffGazeSource.defaults();
        final List<Integer> batchSizes = new ArrayList<>();
        RuntimeException failWith;

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
            batchSizes.add(clips.size());
            if (failWith != null) {
                throw failWith;
            }
            return inner.gaze(clips, options);
        }
    }

    private static List<DecodedClip> clips(String id, int n, int w, int h) {
        List<DecodedClip> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(TestClips.clip(id, i, TestClips.movingSquare(w, h, 4, 3 + 5 * i, 6)));
        }
        return list;
    }

    @Test
    void rowsEqualTheGazeSourceAndReadoutLibraryCalledDirectly() {
        List<DecodedClip> a = clips("a", 3, 96, 64);
        Collect out = new Collect();
        ClipProcessor p = new ClipProcessor(OPTIONS, "h1", PatchDiffGazeSource.defaults(), TestClips.opener(Map.of("a", a)),
                "cpu", new JobCounters.Local());
        p.process(TestClips.task("a"), out);
        assertEquals(3, out.clips.size());
        assertTrue(out.errors.isEmpty());
        ScaleLayout layout = ScaleLayout.released();
        // The same batches the processor forms: clips [0, 1] and [2].
        int[][] batches = {{0, 1}, {2}};
        for (int[] batch : batches) {
            List<RgbClip> frames = new ArrayList<>();
            for (int i : batch) {
                frames.add(a.get(i).frames());
            }
            GeneratedGaze g = PatchDiffGazeSource.defaults().gaze(frames, OPTIONS.gaze());
            BatchCoordinates coords = Readout.videoCoordinates(g, layout, OPTIONS.geometry(), OPTIONS.readout(),
                    OPTIONS.videoTokens());
            List<FixationTrace> traces = Readout.fixations(g, layout, SourceFrame.of(layout, 96, 64));
            List<ImageTokens> frameTokens = Readout.imageTokens(g, layout, OPTIONS.geometry().frameGrid(),
                    OPTIONS.readout());
            for (int b = 0; b < batch.length; b++) {
                ClipRow row = out.clips.get(batch[b]);
                VideoCoordinates c = coords.row(b);
                assertEquals(batch[b], row.clipIndex());
                assertEquals(c.count(), row.tokenCount());
                for (int i = 0; i < c.count(); i++) {
                    assertEquals(c.temporal(i), row.coordsT()[i]);
                    assertEquals(c.row(i), row.coordsRow()[i]);
                    assertEquals(c.col(i), row.coordsCol()[i]);
                }
                assertArrayEquals(c.flatIndices(), row.tokenIndex());
                List<Fixation> all = new ArrayList<>();
                traces.get(b).frames().forEach(all::addAll);
                assertEquals(all.size(), row.fixId().length);
                assertEquals(g.realCount(b), row.realGazes());
                for (int i = 0; i < all.size(); i++) {
                    Fixation f = all.get(i);
                    assertEquals(f.frame(), row.fixFrame()[i]);
                    assertEquals(f.cell().id(), row.fixId()[i]);
                    assertEquals(f.cell().scale(), row.fixScale()[i]);
                    assertEquals((float) f.sourceRect().x1(), row.fixX1()[i]);
                    assertEquals((float) f.sourceRect().y0(), row.fixY0()[i]);
                }
                assertArrayEquals(g.numGazingEachFrame(), row.numGazingEachFrame());
                for (int t = 0; t < 4; t++) {
                    assertEquals(frameTokens.get(b).frame(t).length, row.tokensEachFrame()[t], "frame " + t);
                }
                assertEquals("patch-diff", row.gazeSource());
                assertEquals("h1", row.configHash());
                assertEquals(96, row.sourceWidth());
                assertArrayEquals(a.get(batch[b]).frameIndices(), row.frameIndices());
                int perBinSum = Arrays.stream(row.tokensPerBin()).sum();
                assertEquals(row.tokenCount(), perBinSum);
                assertEquals(row.tokenCount() / (2.0 * 14 * 14), row.keepRatio(), 1e-12);
            }
        }
    }

    @Test
    void batchesHoldAtMostBClipsAndNeverMixVideos() {
        Recording source = new Recording();
        Collect out = new Collect();
        ClipProcessor p = new ClipProcessor(OPTIONS, "h", source,
                TestClips.opener(Map.of("a", clips("a", 3, 64, 64), "b", clips("b", 1, 64, 64))), "cpu",
                new JobCounters.Local());
        p.process(TestClips.task("a"), out);
        p.process(TestClips.task("b"), out);
        assertEquals(List.of(2, 1, 1), source.batchSizes);
        assertEquals(List.of("a", "a", "a", "b"), out.clips.stream().map(ClipRow::videoId).toList());
    }

    @Test
    void decodeFailureMidwayKeepsTheEarlierClipsAndWritesOneErrorRow() {
        List<DecodedClip> a = new ArrayList<>(clips("a", 3, 64, 64));
        a.add(null);
        Collect out = new Collect();
        JobCounters.Local counters = new JobCounters.Local();
        new ClipProcessor(OPTIONS, "h", PatchDiffGazeSource.defaults(), TestClips.opener(Map.of("a", a)), "cpu", counters)
                .process(TestClips.task("a"), out);
        assertEquals(3, out.clips.size());
        assertEquals(List.of(new ErrorRow("/data/a.mp4", "a", "DECODE", "corrupt packet after clip 2", 3, "h")),
                out.errors);
        assertEquals(1, counters.errors);
        assertEquals(1, counters.videos);
        assertEquals(3, counters.clips);
    }

    @Test
    void unopenableVideoBecomesAnOpenErrorAndTheNextVideoStillRuns() {
        Collect out = new Collect();
        ClipProcessor p = new ClipProcessor(OPTIONS, "h", PatchDiffGazeSource.defaults(),
                TestClips.opener(Map.of("b", clips("b", 1, 64, 64))), "cpu", new JobCounters.Local());
        p.process(TestClips.task("missing"), out);
        p.process(TestClips.task("b"), out);
        assertEquals(1, out.errors.size());
        assertEquals("OPEN", out.errors.get(0).stage());
        assertEquals("no such file /data/missing.mp4", out.errors.get(0).message());
        assertEquals(0, out.errors.get(0).clipsWritten());
        assertEquals(1, out.clips.size());
    }

    @Test
    void gazeSourceFailureBecomesAGazeErrorNamingTheSourceAndClips() {
        Recording source = new Recording();
        source.failWith = new IllegalArgumentException("frame 3 is empty");
        Collect out = new Collect();
        new ClipProcessor(OPTIONS, "h", source, TestClips.opener(Map.of("a", clips("a", 2, 64, 64))), "cpu",
                new JobCounters.Local()).process(TestClips.task("a"), out);
        assertEquals(0, out.clips.size());
        ErrorRow e = out.errors.get(0);
        assertEquals("GAZE", e.stage());
        assertTrue(e.message().startsWith("patch-diff failed on clips 0-1: java.lang.IllegalArgumentException: frame 3"),
                e.message());
    }
}
