package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full path (raw RGB → processor → encoder → generation) reproduces the official outputs exactly. */
class AutoGazeModelTest {

    private static AutoGazeModel b1;

    @BeforeAll
    static void load() {
        b1 = AutoGazeModel.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"), 2);
    }

    @AfterAll
    static void close() {
        b1.close();
    }

    @Test
    void rawVideoThroughTheWholeModelMatchesEveryCaseOfEverySet() {
        for (String set : new String[] {"nvidia-b1-t16", "nvidia-b2-t4", "nvidia-preprocess-240x320"}) {
            Path dir = Fixtures.autogazeSet(set);
            List<RgbClip> clips = ReferenceCase.rawClips(dir);
            try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 2)) {
                for (ReferenceCase c : ReferenceCase.all(dir)) {
                    GazeResult r = model.generate(clips, c.options());
                    assertNull(ParityReport.firstMismatch(c, r), () -> set + " " + c.name() + ": "
                            + ParityReport.firstMismatch(c, r));
                    assertTrue(r.timings().encoderNanos() > 0);
                }
            }
        }
    }

    @Test
    void gazeSourceReturnsTheModelsTripleWithConfidenceInUnitInterval() {
        Path dir = Fixtures.autogazeSet("nvidia-b1-t16");
        ReferenceCase c = ReferenceCase.named(dir, "r075_tl07");
        AutoGazeGazeSource source = new AutoGazeGazeSource(b1);
        assertEquals("autogaze", source.name());
        GeneratedGaze g = source.gaze(ReferenceCase.rawClips(dir), c.options());
        assertEquals(c.numGazingEachFrame().length, g.frames());
        for (int i = 0; i < g.confidence()[0].length; i++) {
            float p = g.confidence()[0][i];
            if (g.padded()[0][i]) {
                assertEquals(0f, p, "pads have confidence 0");
            } else {
                assertTrue(p > 0f && p <= 1f, "confidence " + p + " at " + i);
            }
        }
    }

    @Test
    void clipsWithDifferentFrameCountsAreRejectedNamingBoth() {
        RgbClip two = new RgbClip(32, 32, new byte[2][32 * 32 * 3]);
        RgbClip three = new RgbClip(32, 32, new byte[3][32 * 32 * 3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b1.generate(List.of(two, three), GazeOptions.defaults()));
        assertEquals("clips in a batch must share their frame count: clip 0 has 2 frames, clip 1 has 3", e.getMessage());
    }

    @Test
    void visionEmbedsOfTheWrongSizeAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b1.generate(new float[1000], 1, 2, GazeOptions.defaults()));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
    }
}
