package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ND4J decoder engine (here on nd4j-native) against the official outputs: free-running generation reproduces
 * every fixture case's tokens exactly, and teacher-forced replay matches every traced call's logits within 1e-4.
 */
class Nd4jDecoderParityTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void b1SetGeneratesExactlyTheFixtureTokensInEveryCase() {
        assertEquals(4, generateSet("nvidia-b1-t16"));
    }

    @Test
    void b2SetGeneratesExactlyTheFixtureTokensIncludingRowsThatStopApart() {
        assertEquals(3, generateSet("nvidia-b2-t4"));
    }

    @Test
    void preprocessSetGeneratesExactlyTheFixtureTokensFromItsVisionEmbeds() {
        assertEquals(1, generateSet("nvidia-preprocess-240x320"));
    }

    @Test
    void everyTracedCallOfTheB1SetMatchesWithinTolerance() {
        assertEquals(3, replaySet("nvidia-b1-t16"));
    }

    @Test
    void everyTracedCallOfTheB2SetMatchesWithinTolerance() {
        assertEquals(3, replaySet("nvidia-b2-t4"));
    }

    private static int generateSet(String set) {
        Path dir = Fixtures.autogazeSet(set);
        AutoGazeWeights weights = AutoGazeWeights.load(dir.resolve("model"));
        List<ReferenceCase> cases = ReferenceCase.all(dir);
        try (Nd4jDecoder decoder = new Nd4jDecoder(weights)) {
            GazeGenerator generator = new GazeGenerator(decoder, weights.config().layout());
            for (ReferenceCase c : cases) {
                GazeResult r = generator.generate(c.visionEmbeds(), c.batch(), c.frames(), c.options());
                GenerationParityTest.assertSame(c, r);
            }
        }
        return cases.size();
    }

    private static int replaySet(String set) {
        Path dir = Fixtures.autogazeSet(set);
        int traced = 0;
        try (Nd4jDecoder decoder = new Nd4jDecoder(AutoGazeWeights.load(dir.resolve("model")))) {
            for (ReferenceCase c : ReferenceCase.all(dir)) {
                if (!c.hasTrace()) {
                    continue;
                }
                traced++;
                TraceReplay.Result r = TraceReplay.replay(decoder, c);
                System.out.println("nd4j teacher-forced " + set + " " + c.name() + ": " + r);
                assertEquals(c.tracedCalls(), r.calls());
                assertTrue(r.calls() > 0);
                assertTrue(r.maxAbsDiff() <= TOLERANCE, c.name() + ": " + r);
            }
        }
        return traced;
    }
}
