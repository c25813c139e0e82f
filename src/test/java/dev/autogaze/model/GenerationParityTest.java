package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Free-running generation from the recorded vision embeddings reproduces the official outputs exactly. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GenerationParityTest {

    @Test
    void b1SetMatchesExactlyInEveryCase() {
        assertEquals(4, checkSet("nvidia-b1-t16"));
    }

    @Test
    void b2SetMatchesExactlyInEveryCaseIncludingRowsThatStopApart() {
        assertEquals(3, checkSet("nvidia-b2-t4"));
    }

    @Test
    void preprocessSetMatchesExactlyFromItsVisionEmbeds() {
        assertEquals(1, checkSet("nvidia-preprocess-240x320"));
    }

    private static int checkSet(String set) {
        Path dir = Fixtures.autogazeSet(set);
        AutoGazeWeights weights = AutoGazeWeights.load(dir.resolve("model"));
        GazeGenerator generator = new GazeGenerator(new GazeDecoder(weights, 2), weights.config().layout());
        List<ReferenceCase> cases = ReferenceCase.all(dir);
        for (ReferenceCase c : cases) {
            GazeResult r = generator.generate(c.visionEmbeds(), c.batch(), c.frames(), c.options());
            assertSame(c, r);
        }
        return cases.size();
    }

    static void assertSame(ReferenceCase c, GazeResult r) {
        GeneratedGaze g = r.gaze();
        String mismatch = ParityReport.firstMismatch(c, r);
        if (mismatch != null) {
            fail(c.name() + ": " + mismatch);
        }
        assertArrayEquals(c.numGazingEachFrame(), g.numGazingEachFrame(), c.name());
        assertArrayEquals(c.gazingPos(), g.gazingPos(), c.name());
        for (int b = 0; b < c.batch(); b++) {
            assertArrayEquals(c.padded()[b], g.padded()[b], c.name() + " row " + b);
        }
        for (int s = 0; s < r.masks().length; s++) {
            assertArrayEquals(c.mask(s), r.masks()[s], c.name() + " mask " + s);
        }
    }
}
