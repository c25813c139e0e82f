package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.model.AutoGazeGazeSource;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.SamplingOptions;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `--tiles` on a real 1280x720 video: 4 x 6 tiles of 224 px (the last row and column overhang the frame), each gazed
 * as a clip of its own. The row equals gazing every tile cut by hand: its fixations are full-resolution cells
 * placed on the whole frame, and its downstream tokens (a 1280x720 encoder, patch 16) are the ones they overlap.
 */
@Timeout(300)
class AnyResTilesTest {

    private static final int W = 1280;
    private static final int H = 720;

    @TempDir
    Path dir;

    @Test
    void a720pClipEqualsGazingEachTileCutByHand() throws Exception {
        SampleVideos.Spec spec = new SampleVideos.Spec("hd", W, H, 4, 10, SampleVideos.Codec.FFV1, 7);
        Path file = dir.resolve(spec.fileName());
        SampleVideos.write(file, spec);
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        JobOptions o = ClipPipelineTest.OPTIONS.withGazeSource(GazeSourceSpec.autogaze(model.toString()))
                .withGaze(GazeOptions.defaults().withRatio(0.05f))
                .withSampling(SamplingOptions.defaults().withClipLength(4))
                .withDownstream(H, W, 2, 16).withTiles(true);
        VideoTask task = new VideoTask("hd", file.toString(), null, null, null, new java.util.LinkedHashMap<>());
        ClipOpener opener = ClipOpener.ffmpeg(o.sampling(), new Configuration(), dir.resolve("tmp"));
        try (AutoGazeGazeSource source = new AutoGazeGazeSource(AutoGazeModel.load(model, 2))) {
            ClipPipelineTest.Result r = ClipPipelineTest.Result.run(o, source, opener, 1, List.of(task));
            assertEquals(List.of(), r.errors);
            assertEquals(1, r.clips.size());
            ClipRow row = r.clips.get(0);
            assertEquals(4, row.tileRows());
            assertEquals(6, row.tileCols());
            assertEquals(224, row.tileSize());
            assertEquals(265, row.tokensPerFrame());

            RgbClip frames;
            try (ClipOpener.Clips clips = opener.open(task)) {
                DecodedClip c = clips.next();
                frames = new RgbClip(c.frames().width(), c.frames().height(), c.frames().frames().clone());
            }
            ScaleLayout layout = source.layout();
            List<String> expected = new ArrayList<>();
            Set<Integer> expectedTokens = new HashSet<>();
            int realGazes = 0;
            for (int tr = 0; tr < 4; tr++) {
                for (int tc = 0; tc < 6; tc++) {
                    GeneratedGaze g = source.gaze(List.of(cutByHand(frames, tc * 224, tr * 224)), o.gaze());
                    realGazes += g.realCount(0);
                    int at = 0;
                    for (int t = 0; t < 4; t++) {
                        for (int i = 0; i < g.numGazingEachFrame()[t]; i++, at++) {
                            if (g.padded()[0][at]) {
                                continue;
                            }
                            int id = (int) (g.gazingPos()[0][at] - t * 265L);
                            int s = layout.scaleOf(id);
                            int grid = layout.grid(s);
                            int cell = 224 / grid; // 112, 56, 32, 16 px: whole pixels at native resolution
                            int rr = tr * grid + (id - layout.offset(s)) / grid;
                            int cc = tc * grid + (id - layout.offset(s)) % grid;
                            int x0 = cc * cell;
                            int y0 = rr * cell;
                            if (x0 >= W || y0 >= H) {
                                continue; // wholly in the padding
                            }
                            int x1 = Math.min(W, x0 + cell);
                            int y1 = Math.min(H, y0 + cell);
                            expected.add(fixation(t, (tr * 6 + tc) * 265 + id, s, rr, cc, x0, y0, x1, y1));
                            for (int ty = y0 / 16; ty < (y1 + 15) / 16; ty++) {
                                for (int tx = x0 / 16; tx < (x1 + 15) / 16; tx++) {
                                    expectedTokens.add((t / 2 * 45 + ty) * 80 + tx);
                                }
                            }
                        }
                    }
                }
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < row.fixId().length; i++) {
                got.add(fixation(row.fixFrame()[i], row.fixId()[i], row.fixScale()[i], row.fixRow()[i],
                        row.fixCol()[i], row.fixX0()[i], row.fixY0()[i], row.fixX1()[i], row.fixY1()[i]));
            }
            assertEquals(expected.stream().sorted().toList(), got.stream().sorted().toList());
            assertEquals(realGazes, row.realGazes());
            assertTrue(expected.size() > 24 * 4 * 5, "most tiles' gazes are inside the frame: " + expected.size());
            Set<Integer> tokens = new HashSet<>();
            for (int i = 0; i < row.tokenIndex().length; i++) {
                assertEquals(45, row.gridH());
                tokens.add((row.coordsT()[i] * 45 + row.coordsRow()[i]) * 80 + row.coordsCol()[i]);
            }
            assertEquals(expectedTokens, tokens);
        }
    }

    /** A 224x224 window at (x0, y0), black past the frame's edges: written out here, not through RgbClip.crop. */
    private static RgbClip cutByHand(RgbClip clip, int x0, int y0) {
        byte[][] out = new byte[clip.frameCount()][224 * 224 * 3];
        for (int t = 0; t < out.length; t++) {
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    if (x0 + x < W && y0 + y < H) {
                        for (int c = 0; c < 3; c++) {
                            out[t][(y * 224 + x) * 3 + c] = (byte) clip.sample(t, y0 + y, x0 + x, c);
                        }
                    }
                }
            }
        }
        return new RgbClip(224, 224, out);
    }

    private static String fixation(int t, int id, int s, int r, int c, double x0, double y0, double x1, double y1) {
        return String.format(Locale.ROOT, "t%d id%d s%d (%d,%d) [%.3f,%.3f,%.3f,%.3f]", t, id, s, r, c, x0, y0, x1, y1);
    }
}
