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
@Timeout(180)
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
