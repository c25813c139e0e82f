package dev.autogaze.testing;

import dev.autogaze.model.GazeResult;
import dev.autogaze.readout.GeneratedGaze;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rows of independent generation compared bit for bit: counts, ids, pads and confidences of a one-row gaze. */
public final class SameRows {

    private SameRows() {
    }

    /** Row 0 of `actual` is row 0 of `expected`, confidences to the bit. */
    public static void assertSameRow(GeneratedGaze expected, GeneratedGaze actual, String what) {
        assertArrayEquals(expected.numGazingEachFrame(), actual.numGazingEachFrame(), what);
        assertArrayEquals(expected.gazingPos()[0], actual.gazingPos()[0], what);
        assertArrayEquals(expected.padded()[0], actual.padded()[0], what);
        assertArrayEquals(expected.confidence()[0], actual.confidence()[0], what + ": confidences must be bit-identical");
    }

    /** Each result of `actual` is the one of `expected` at its index. */
    public static void assertSameRows(List<GazeResult> expected, List<GazeResult> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int b = 0; b < expected.size(); b++) {
            assertSameRow(expected.get(b).gaze(), actual.get(b).gaze(), what + " row " + b);
        }
    }
}
