package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ND4J decoder engine (here on nd4j-native) against the official outputs: free-running generation reproduces
 * every fixture case's tokens exactly, and teacher-forced replay matches every traced call's logits within 1e-4.
 * Each set's weights are loaded and its decoder built once for the class (generation and replay share it; every
 * call starts from a new cache), not once per test method.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Nd4jDecoderParityTest {

    private static final double TOLERANCE = 1e-4;

    private final Map<String, AutoGazeWeights> weights = new HashMap<>();
    private final Map<String, Nd4jDecoder> decoders = new HashMap<>();

    private AutoGazeWeights weights(String set) {
        return weights.computeIfAbsent(set, s -> AutoGazeWeights.load(Fixtures.autogazeSet(s).resolve("model")));
    }

    private Nd4jDecoder decoder(String set) {
        return decoders.computeIfAbsent(set, s -> new Nd4jDecoder(weights(s)));
    }

    @AfterAll
    void closeDecoders() {
        decoders.values().forEach(Nd4jDecoder::close);
    }

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

    private int generateSet(String set) {
        List<ReferenceCase> cases = ReferenceCase.all(Fixtures.autogazeSet(set));
        GazeGenerator generator = new GazeGenerator(decoder(set), weights(set).config().layout());
        for (ReferenceCase c : cases) {
            GazeResult r = generator.generate(c.visionEmbeds(), c.batch(), c.frames(), c.options());
            GenerationParityTest.assertSame(c, r);
        }
        return cases.size();
    }

    private int replaySet(String set) {
        int traced = 0;
        for (ReferenceCase c : ReferenceCase.all(Fixtures.autogazeSet(set))) {
            if (!c.hasTrace()) {
                continue;
            }
            traced++;
            TraceReplay.Result r = TraceReplay.replay(decoder(set), c);
            System.out.println("nd4j teacher-forced " + set + " " + c.name() + ": " + r);
            assertEquals(c.tracedCalls(), r.calls());
            assertTrue(r.calls() > 0);
            assertTrue(r.maxAbsDiff() <= TOLERANCE, c.name() + ": " + r);
        }
        return traced;
    }
}
