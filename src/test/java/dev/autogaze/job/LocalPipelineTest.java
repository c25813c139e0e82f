package dev.autogaze.job;

import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.model.PreparedClip;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.VideoRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** bench-pipeline's two passes count what the job would write, on real FFmpeg and without Spark. */
@Timeout(120)
class LocalPipelineTest {

    @Test
    void bothPassesCountEveryClipOfEveryCopyAndOneErrorPerBrokenVideo(@TempDir Path dir) throws Exception {
        Path video = Fixtures.sharedFile("samples/example_input.mp4");
        Path broken = Files.write(dir.resolve("broken.mp4"), new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3});
        JobOptions options = JobOptions.defaults("in", "out").withBatchSize(3);
        int perVideo = 0;
        try (ClipStream s = ClipStream.open(VideoRef.of(video.toString()), video, options.sampling())) {
            for (DecodedClip c = s.next(); c != null; c = s.next()) {
                perVideo++;
            }
        }
        List<VideoTask> videos = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            videos.add(new VideoTask("copy" + k, video.toString(), null, null, null, null));
        }
        videos.add(new VideoTask("broken", broken.toString(), null, null, null, null));
        ClipOpener opener = ClipOpener.localFiles(options.sampling());

        LocalPipeline.Result run = LocalPipeline.run(options,
                new PatchDiffGazeSource(ScaleLayout.released(), PatchDiffGazeSource.DEFAULT_THRESHOLD), opener, 2,
                videos);
        LocalPipeline.Result decode = LocalPipeline.decodeOnly(opener, c -> new PreparedClip(c, null), 2, videos);

        assertEquals(3L * perVideo, run.clips());
        assertEquals(1, run.errors());
        assertEquals(3L * perVideo, decode.clips());
        assertEquals(1, decode.errors());
    }

    @Test
    void tasksAtOnceEachWithItsSourceCountWhatOneTaskCountsOverTheirShares() {
        Path video = Fixtures.sharedFile("samples/example_input.mp4");
        JobOptions options = JobOptions.defaults("in", "out").withBatchSize(4);
        List<VideoTask> videos = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            videos.add(new VideoTask("copy" + k, video.toString(), null, null, null, null));
        }
        videos.add(new VideoTask("missing", video.resolveSibling("no-such-video.mp4").toString(), null, null, null,
                null));
        List<List<VideoTask>> shares = LocalPipeline.deal(videos, 2);
        assertEquals(List.of("copy0", "copy2", "copy4"), shares.get(0).stream().map(VideoTask::videoId).toList());
        assertEquals(List.of("copy1", "copy3", "missing"), shares.get(1).stream().map(VideoTask::videoId).toList());
        ClipOpener opener = ClipOpener.localFiles(options.sampling());
        PatchDiffGazeSource first = new PatchDiffGazeSource(ScaleLayout.released(),
                PatchDiffGazeSource.DEFAULT_THRESHOLD);
        PatchDiffGazeSource second = new PatchDiffGazeSource(ScaleLayout.released(),
                PatchDiffGazeSource.DEFAULT_THRESHOLD);

        LocalPipeline.Result one = LocalPipeline.run(options, first, opener, 2, videos);
        LocalPipeline.Result two = LocalPipeline.runTasks(options, List.of(first, second), opener, 1, shares);

        assertEquals(one.clips(), two.clips());
        assertEquals(1, one.errors());
        assertEquals(1, two.errors());
        assertEquals(0, one.clips() % 5, "five copies of one video");
        assertThrows(IllegalArgumentException.class,
                () -> LocalPipeline.runTasks(options, List.of(first), opener, 1, shares));
    }
}
