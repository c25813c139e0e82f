package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import dev.autogaze.testing.SameRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's independent-row semantics: every row of a batch ends exactly as if it ran alone, whether the engine takes
 * ragged calls (rows at different steps, stand-in {@link RowwiseSteps}) or runs such rows one at a time (the host
 * engines); the official semantics differ only where rows stop apart.
 */
class IndependentRowsTest {

    private static AutoGazeWeights weights;
    private static ReferenceCase split;
    private static float[] mixed;
    private static final int[] ORDER = {0, 1, 1, 0, 1};

    @BeforeAll
    static void load() {
        Path dir = Fixtures.autogazeSet("nvidia-b2-t4");
        weights = AutoGazeWeights.load(dir.resolve("model"));
        split = ReferenceCase.named(dir, "r075_tlsplit");
        float[] two = split.visionEmbeds();
        int per = two.length / 2;
        mixed = new float[per * ORDER.length];
        for (int b = 0; b < ORDER.length; b++) {
            System.arraycopy(two, ORDER[b] * per, mixed, b * per, per);
        }
    }

    private static List<GazeResult> alone(GazeDecoder decoder, GazeOptions o) {
        GazeGenerator g = new GazeGenerator(decoder, weights.config().layout());
        int per = mixed.length / ORDER.length;
        return java.util.stream.IntStream.range(0, ORDER.length).mapToObj(b -> g.generate(
                java.util.Arrays.copyOfRange(mixed, b * per, (b + 1) * per), 1, split.frames(), o)).toList();
    }

    private static void assertRowsEqual(List<GazeResult> expected, List<GazeResult> actual, String what) {
        SameRows.assertSameRows(expected, actual, what);
    }

    @Test
    void raggedRowsEqualEachRowAloneWhenRowsStopAtDifferentSteps() {
        try (GazeDecoder decoder = new GazeDecoder(weights, 1)) {
            List<GazeResult> expected = alone(decoder, split.options());
            GazeGenerator ragged = new GazeGenerator(new RowwiseSteps(decoder), weights.config().layout());
            List<GazeResult> got = ragged.generateEach(mixed, ORDER.length, split.frames(), split.options());
            assertRowsEqual(expected, got, "ragged");
            // the two clips really stop apart: their frame lengths differ
            assertNotEquals(java.util.Arrays.toString(expected.get(0).gaze().numGazingEachFrame()),
                    java.util.Arrays.toString(expected.get(1).gaze().numGazingEachFrame()));
        }
    }

    @Test
    void hostEnginesRunRowsThatMayStopApartOneAtATime() {
        try (GazeDecoder decoder = new GazeDecoder(weights, 1)) {
            List<GazeResult> expected = alone(decoder, split.options());
            GazeGenerator host = new GazeGenerator(decoder, weights.config().layout());
            assertRowsEqual(expected, host.generateEach(mixed, ORDER.length, split.frames(), split.options()), "host");
        }
    }

    @Test
    void withoutARequirementOneBatchedCallGivesEveryRowItsAloneResult() {
        GazeOptions o = GazeOptions.defaults().withRatio(0.3f);
        try (GazeDecoder decoder = new GazeDecoder(weights, 1)) {
            List<GazeResult> expected = alone(decoder, o);
            GazeGenerator host = new GazeGenerator(decoder, weights.config().layout());
            List<GazeResult> got = host.generateEach(mixed, ORDER.length, split.frames(), o);
            assertRowsEqual(expected, got, "uniform");
            assertEquals(split.frames(), got.get(0).timings().prefillCalls(), "one batched call, not one per row");
        }
    }

    @Test
    void officialSemanticsPadTheRowThatStopsFirstWhereAloneItStops() {
        try (GazeDecoder decoder = new GazeDecoder(weights, 1)) {
            GazeGenerator host = new GazeGenerator(decoder, weights.config().layout());
            GazeResult official = host.generate(mixed, ORDER.length, split.frames(), split.options());
            List<GazeResult> each = alone(decoder, split.options());
            boolean someShorter = false;
            for (int b = 0; b < ORDER.length; b++) {
                someShorter |= each.get(b).gaze().gazingPos()[0].length < official.gaze().gazingPos()[b].length;
            }
            assertTrue(someShorter, "in the official batch a finished row keeps emitting pads");
        }
    }
}
