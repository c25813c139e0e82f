package dev.autogaze.job;

import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.AutoGazeGazeSource;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.SamplingOptions;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline on real FFmpeg decoding: the decode time limit, and the AutoGaze fixture model's rows. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClipPipelineVideoTest {

    @TempDir
    Path dir;

    private List<VideoTask> videos(SampleVideos.Spec... specs) throws Exception {
        List<VideoTask> tasks = new ArrayList<>();
        for (SampleVideos.Spec s : specs) {
            Path file = dir.resolve(s.fileName());
            SampleVideos.write(file, s);
            tasks.add(new VideoTask(s.name(), file.toString(), null, null, null, new java.util.LinkedHashMap<>()));
        }
        return tasks;
    }

    private ClipOpener ffmpeg(JobOptions o) {
        return ClipOpener.ffmpeg(o.sampling(), new Configuration(), dir.resolve("tmp"));
    }

    private static ClipPipelineTest.Result run(JobOptions o, dev.autogaze.model.GazeSource source, ClipOpener opener,
                                               int decoders, List<VideoTask> videos) {
        return ClipPipelineTest.Result.run(o, source, opener, decoders, videos);
    }

    @Test
    void everyErrorStageEndsItsVideoWithOneRowNamingTheCauseAndCountingItsClips() throws Exception {
        // one partition: a good video beside one video per stage; rows and counters are checked against each
        // other in every run (ClipPipelineTest.Result), here the stage, message and clips_written of each
        List<VideoTask> tasks = new ArrayList<>(videos(
                new SampleVideos.Spec("good", 64, 48, 12, 10, SampleVideos.Codec.FFV1, 1),
                new SampleVideos.Spec("probe", 128, 96, 4, 10, SampleVideos.Codec.FFV1, 2),
                new SampleVideos.Spec("sample", 64, 48, 10, 10, SampleVideos.Codec.FFV1, 3),
                new SampleVideos.Spec("gaze", 64, 48, 12, 10, SampleVideos.Codec.FFV1, 4),
                new SampleVideos.Spec("readout", 64, 48, 12, 10, SampleVideos.Codec.FFV1, 5),
                new SampleVideos.Spec("decode", 64, 48, 20, 10, SampleVideos.Codec.H264, 6)));
        VideoTask sample = tasks.get(2);
        tasks.set(2, new VideoTask("sample", sample.path(), 5.0, 6.0, null, new java.util.LinkedHashMap<>()));
        VideoTask decode = tasks.get(5); // as a raw H.264 stream: no frame count, so the cap is met while decoding
        Path raw = dev.autogaze.testing.RawStreams.h264(Path.of(decode.path()), dir.resolve("decode.h264"), 10);
        tasks.set(5, new VideoTask("decode", raw.toString(), null, null, null, new java.util.LinkedHashMap<>()));
        Path empty = java.nio.file.Files.write(dir.resolve("open.mp4"), new byte[0]);
        tasks.add(new VideoTask("open", empty.toString(), null, null, null, new java.util.LinkedHashMap<>()));
        JobOptions o = ClipPipelineTest.OPTIONS.withSampling(SamplingOptions.defaults().withClipLength(4)
                .withMaxFramePixels(100 * 100).withMaxFramesPerVideo(12));
        ClipOpener opener = TestClips.marking(TestClips.marking(ffmpeg(o), "gaze", 1, TestClips.FAILS_GAZE),
                "readout", 2, TestClips.FAILS_READOUT);
        for (int[] bn : new int[][] {{1, 1}, {3, 2}}) {
            ClipPipelineTest.Result r = run(o.withBatchSize(bn[0]),
                    new ClipPipelineTest.Poisonable(PatchDiffGazeSource.defaults()), opener, bn[1], tasks);
            java.util.Map<String, ErrorRow> byId = new java.util.TreeMap<>();
            r.errors.forEach(e -> byId.put(e.videoId(), e));
            assertEquals(java.util.Set.of("open", "probe", "decode", "sample", "gaze", "readout"), byId.keySet());
            assertError(byId.get("open"), "OPEN", "file is empty (0 bytes)", 0);
            assertError(byId.get("probe"), "PROBE", "video size 128x96 (12288 pixels) exceeds the limit of 10000"
                    + " pixels", 0);
            assertError(byId.get("decode"), "DECODE", "more than 12 frames, the cap (--max-frames-per-video; the"
                    + " container listed ", 3);
            assertError(byId.get("sample"), "SAMPLE", "none of the 10 decoded frames falls in the window [5.0, 6.0)"
                    + " s", 0);
            assertError(byId.get("gaze"), "GAZE", "patch-diff failed on clip 1: java.lang.IllegalArgumentException:"
                    + " poisoned clip", 1);
            assertError(byId.get("readout"), "READOUT", "readout failed on clip 2: java.lang.IllegalArgumentException:"
                    + " gazing_pos", 2);
            assertEquals(3, r.clips.stream().filter(c -> c.videoId().equals("good")).count());
            assertEquals(7, r.counters.videos);
            assertEquals(6, r.counters.errors);
        }
    }

    private static void assertError(ErrorRow e, String stage, String messageStart, int clipsWritten) {
        assertEquals(stage, e.stage(), e.toString());
        assertTrue(e.message().startsWith(messageStart), e.message());
        assertEquals(clipsWritten, e.clipsWritten(), e.toString());
        assertEquals("h", e.configHash());
        assertTrue(e.path().endsWith(e.videoId().equals("decode") ? "decode.h264" : ".mkv")
                || e.videoId().equals("open"), e.path());
    }

    @Test
    void aSlowGazeSourceDoesNotMakeHealthyVideosTimeOut() throws Exception {
        List<VideoTask> videos = videos(
                new SampleVideos.Spec("one", 64, 48, 24, 10, SampleVideos.Codec.FFV1, 1),
                new SampleVideos.Spec("two", 64, 48, 24, 10, SampleVideos.Codec.FFV1, 2));
        Duration limit = Duration.ofSeconds(1);
        JobOptions o = ClipPipelineTest.OPTIONS.withBatchSize(1)
                .withSampling(SamplingOptions.defaults().withClipLength(4).withDecodeTimeout(limit));
        // 12 clips x 250 ms = 3 s in the model, three times the decode limit; decoding itself takes milliseconds.
        ClipPipelineTest.Recording slow = new ClipPipelineTest.Recording(PatchDiffGazeSource.defaults()) {
            @Override
            public List<GeneratedGaze> gazeEach(List<RgbClip> clips, GazeOptions options) {
                ClipPipelineTest.sleep(250);
                return super.gazeEach(clips, options);
            }
        };
        ClipPipelineTest.Result r = run(o, slow, ffmpeg(o), 1, videos);
        assertEquals(List.of(), r.errors);
        assertEquals(12, r.clips.size());
        assertTrue(r.counters.decodeNanos < limit.toNanos(), "decode time " + r.counters.decodeNanos + " ns");
        assertTrue(r.counters.gazeNanos > limit.toNanos(), "gaze time " + r.counters.gazeNanos + " ns");
    }

    @Test
    void decodingThatTakesTooLongStillTimesOutWithOneErrorRow() throws Exception {
        List<VideoTask> videos = videos(new SampleVideos.Spec("slow", 64, 48, 8, 10, SampleVideos.Codec.FFV1, 1));
        JobOptions o = ClipPipelineTest.OPTIONS.withSampling(SamplingOptions.defaults().withClipLength(4)
                .withDecodeTimeout(Duration.ofNanos(1)));
        ClipPipelineTest.Result r = run(o, PatchDiffGazeSource.defaults(), ffmpeg(o), 2, videos);
        assertEquals(1, r.errors.size());
        ErrorRow e = r.errors.get(0);
        assertEquals("TIMEOUT", e.stage());
        assertTrue(e.message().startsWith("decoding exceeded the limit of 0 ms"), e.message());
        assertEquals(0, e.clipsWritten());
        assertEquals(0, r.clips.size());
        assertEquals(1, r.counters.errors);
    }

    @Test
    void autogazeRowsDoNotDependOnBatchSizeOrDecodingThreads() throws Exception {
        List<VideoTask> videos = videos(
                new SampleVideos.Spec("wide", 96, 64, 12, 10, SampleVideos.Codec.FFV1, 1),
                new SampleVideos.Spec("square", 64, 64, 8, 10, SampleVideos.Codec.FFV1, 2),
                new SampleVideos.Spec("big", 128, 96, 12, 10, SampleVideos.Codec.FFV1, 3));
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        JobOptions base = ClipPipelineTest.OPTIONS.withGazeSource(GazeSourceSpec.autogaze(model.toString()));
        try (AutoGazeGazeSource source = new AutoGazeGazeSource(AutoGazeModel.load(model, 2))) {
            // Without a requirement the batch is one model call; with one that stops rows apart, clips run alone.
            for (Float req : new Float[] {null, -3.53f}) {
                JobOptions o = base.withGaze(GazeOptions.defaults().withRatio(0.2f).withTaskLossRequirement(req));
                ClipPipelineTest.Result alone = run(o.withBatchSize(1), source, ffmpeg(o), 1, videos);
                ClipPipelineTest.Result mixed = run(o.withBatchSize(16), source, ffmpeg(o), 3, videos);
                assertEquals(3 + 2 + 3, alone.clips.size());
                assertEquals(List.of(), alone.errors);
                assertEquals(alone.byClip(), mixed.byClip(), "requirement " + req);
                assertEquals(alone.counters(), mixed.counters());
            }
        }
    }
}
