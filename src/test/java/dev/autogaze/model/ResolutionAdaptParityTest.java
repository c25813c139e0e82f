package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Resolution adaptation (SigLIP-style target 56,112,196,392 / patch 14) reproduces the official
 * {@code forward(..., target_scales, target_patch_size)} exactly from raw video: the tiles' own generation (before
 * recovery) and the recovered target-layout outputs, on the jvm and nd4j engines. A missing fixture fails.
 */
class ResolutionAdaptParityTest {

    private static final String SET = "nvidia-resadapt-392-p14";

    @Test
    void jvmEngineMatchesEveryCaseBeforeAndAfterRecovery() {
        assertEquals(3, checkSet(EngineChoice.JVM));
    }

    @Test
    void nd4jEngineMatchesEveryCaseBeforeAndAfterRecovery() {
        assertEquals(3, checkSet(EngineChoice.ND4J));
    }

    @Test
    void generateEachOfTwoClipsEqualsEachClipAloneWithAndWithoutARequirement() {
        Path dir = Fixtures.autogazeSet(SET);
        RgbClip clip = ReferenceCase.rawClips(dir).get(0);
        RgbClip flipped = mirrored(clip);
        try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 2)) {
            AdaptedGeneration adapted = new AdaptedGeneration(model, ReferenceCase.target(dir));
            for (ReferenceCase c : ReferenceCase.all(dir)) {
                List<GazeResult> each = adapted.generateEach(List.of(clip, flipped), c.options());
                GazeResult alone0 = adapted.generate(List.of(clip), c.options());
                GazeResult alone1 = adapted.generate(List.of(flipped), c.options());
                assertEquals(alone0.gaze(), each.get(0).gaze(), c.name());
                assertEquals(alone1.gaze(), each.get(1).gaze(), c.name());
                assertEquals(null, ParityReport.firstMismatch(c, each.get(0)), c.name());
            }
        }
    }

    private static int checkSet(EngineChoice engine) {
        Path dir = Fixtures.autogazeSet(SET);
        ResolutionTarget target = ReferenceCase.target(dir);
        assertEquals("56,112,196,392/p14", String.valueOf(target));
        List<RgbClip> clips = ReferenceCase.rawClips(dir);
        List<ReferenceCase> cases = ReferenceCase.all(dir);
        try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 2, engine)) {
            AdaptedGeneration adapted = new AdaptedGeneration(model, target);
            assertEquals(4, adapted.adapter().tilesPerClip());
            assertEquals(196, adapted.adapter().tilePixels());
            assertEquals(0, adapted.adapter().pad());
            for (ReferenceCase c : cases) {
                // the tiles alone, in generation order: tile_gazing_pos etc. of the official run
                List<PixelValues> tiles = new ArrayList<>();
                for (RgbClip clip : clips) {
                    tiles.addAll(adapted.adapter().tiles(tilePixelsInput(model, target, clip)));
                }
                GazeResult tiled = model.generatePixels(tiles, c.options());
                assertTiles(c, tiled);
                GazeResult r = adapted.generate(clips, c.options());
                String mismatch = ParityReport.firstMismatch(c, r);
                if (mismatch != null) {
                    fail(engine + " " + c.name() + ": " + mismatch);
                }
                assertEquals(1060, r.gaze().tokensPerFrame());
                assertArrayEquals(c.gazingPos(), r.gaze().gazingPos(), c.name());
            }
        }
        return cases.size();
    }

    private static PixelValues tilePixelsInput(AutoGazeModel model, ResolutionTarget target, RgbClip clip) {
        int s = target.inputSize();
        return new AutoGazeProcessor(ProcessorConfig.loadOrDefaults(model.folder()).withFixedSize(s, s)).process(clip);
    }

    private static void assertTiles(ReferenceCase c, GazeResult tiled) {
        GeneratedGaze g = tiled.gaze();
        long[] expPos = c.file().longs("tile_gazing_pos");
        long[] expPad = c.file().longs("tile_if_padded_gazing");
        long[] expN = c.file().longs("tile_num_gazing_each_frame");
        int rows = g.batchSize();
        int len = expPos.length / rows;
        for (int t = 0; t < expN.length; t++) {
            assertEquals(expN[t], g.numGazingEachFrame()[t], c.name() + " tile frame " + t);
        }
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < len; i++) {
                boolean pad = expPad[b * len + i] != 0;
                assertEquals(pad, g.padded()[b][i], c.name() + " tile " + b + " position " + i);
                if (!pad) {
                    assertEquals(expPos[b * len + i], g.gazingPos()[b][i], c.name() + " tile " + b + " position " + i);
                }
            }
        }
        for (int s = 0; s < tiled.masks().length; s++) {
            assertArrayEquals(c.file().floats("tile_gazing_mask_" + s), tiled.masks()[s], c.name() + " tile mask " + s);
        }
    }

    private static RgbClip mirrored(RgbClip clip) {
        int w = clip.width();
        byte[][] frames = new byte[clip.frameCount()][];
        for (int t = 0; t < frames.length; t++) {
            byte[] src = clip.frames()[t];
            byte[] dst = new byte[src.length];
            for (int y = 0; y < clip.height(); y++) {
                for (int x = 0; x < w; x++) {
                    System.arraycopy(src, (y * w + x) * 3, dst, (y * w + (w - 1 - x)) * 3, 3);
                }
            }
            frames[t] = dst;
        }
        return new RgbClip(w, clip.height(), frames);
    }
}
