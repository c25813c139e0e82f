package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.model.AutoGazeGazeSource;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.ResolutionTarget;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.SamplingOptions;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows of a run with a SigLIP-style target (56,112,196,392 / 14) on a real 320x240 video: the row names the target
 * layout, every fixation's id, cell and source rectangle follow that layout, and the downstream coordinates are the
 * tokens those rectangles overlap.
 */
@Timeout(300)
class ResolutionTargetRowsTest {

    private static final int[] GRIDS = {4, 8, 14, 28};
    private static final int[] OFFSETS = {0, 16, 80, 276};

    @TempDir
    Path dir;

    @Test
    void rowsHoldTheTargetLayoutSourceRectanglesAndTheirProjection() throws Exception {
        SampleVideos.Spec spec = new SampleVideos.Spec("wide", 320, 240, 4, 10, SampleVideos.Codec.FFV1, 5);
        Path file = dir.resolve(spec.fileName());
        SampleVideos.write(file, spec);
        Path model = Fixtures.autogazeSet("nvidia-resadapt-392-p14").resolve("model");
        ResolutionTarget target = ResolutionTarget.parse("56,112,196,392", 14);
        JobOptions o = ClipPipelineTest.OPTIONS
                .withGazeSource(GazeSourceSpec.autogaze(model.toString()).withTarget(target))
                .withGaze(GazeOptions.defaults().withRatio(0.05f))
                .withSampling(SamplingOptions.defaults().withClipLength(4));
        List<VideoTask> videos = List.of(new VideoTask("wide", file.toString(), null, null, null,
                new java.util.LinkedHashMap<>()));
        ClipPipelineTest.Result r;
        try (AutoGazeGazeSource source = new AutoGazeGazeSource(AutoGazeModel.load(model, 2), target)) {
            r = ClipPipelineTest.Result.run(o, source, ClipOpener.ffmpeg(o.sampling(), new Configuration(),
                    dir.resolve("tmp")), 1, videos);
        }
        assertEquals(List.of(), r.errors);
        assertEquals(1, r.clips.size());
        ClipRow row = r.clips.get(0);
        assertArrayEquals(new int[] {56, 112, 196, 392}, row.scales());
        assertEquals(14, row.scalePatch());
        assertEquals(392, row.modelFrameSize());
        assertEquals(1060, row.tokensPerFrame());
        // budget int(0.05 * 265) = 13 per tile and frame, 4 tiles, no cropping (pad 0): 52 distinct cells per frame
        assertEquals(4 * 52, row.realGazes());
        assertEquals(0, row.padGazes());
        double sx = 320.0 / 392;
        double sy = 240.0 / 392;
        for (int i = 0; i < row.fixId().length; i++) {
            int s = row.fixScale()[i];
            assertEquals(OFFSETS[s] + row.fixRow()[i] * GRIDS[s] + row.fixCol()[i], row.fixId()[i], "fixation " + i);
            double cell = 392.0 / GRIDS[s];
            assertEquals(row.fixCol()[i] * cell * sx, row.fixX0()[i], 1e-3, "x0 of fixation " + i);
            assertEquals(row.fixRow()[i] * cell * sy, row.fixY0()[i], 1e-3, "y0 of fixation " + i);
            assertEquals((row.fixCol()[i] + 1) * cell * sx, row.fixX1()[i], 1e-3, "x1 of fixation " + i);
            assertEquals((row.fixRow()[i] + 1) * cell * sy, row.fixY1()[i], 1e-3, "y1 of fixation " + i);
        }
        // downstream 224x224, tubelet 2, patch 16 (any-overlap): a token is kept iff a fixation of its bin overlaps it
        Set<Integer> kept = new HashSet<>();
        for (int i = 0; i < row.tokenIndex().length; i++) {
            kept.add((row.coordsT()[i] * 14 + row.coordsRow()[i]) * 14 + row.coordsCol()[i]);
        }
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < row.fixId().length; i++) {
            double x0 = row.fixX0()[i] * 224 / 320, x1 = row.fixX1()[i] * 224 / 320;
            double y0 = row.fixY0()[i] * 224 / 240, y1 = row.fixY1()[i] * 224 / 240;
            for (int tr = 0; tr < 14; tr++) {
                for (int tc = 0; tc < 14; tc++) {
                    if (tc * 16 < x1 - 1e-6 && (tc + 1) * 16 > x0 + 1e-6 && tr * 16 < y1 - 1e-6 && (tr + 1) * 16 > y0 + 1e-6) {
                        expected.add((row.fixFrame()[i] / 2 * 14 + tr) * 14 + tc);
                    }
                }
            }
        }
        assertEquals(expected, kept);
        assertTrue(kept.size() > 14, "a few tokens, not all: " + kept.size());
    }
}
