package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the official token history of every traced call (fixture input ids, positions and cache indices) and
 * compares each call's last-row logits and task-loss values within 1e-4, with the SIMD and the scalar kernels.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TeacherForcedParityTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void everyTracedCallOfTheB1SetMatchesWithinTolerance() {
        assertEquals(3, replayTracedCases("nvidia-b1-t16", Kernels.best(), 2));
    }

    @Test
    void everyTracedCallOfTheB2SetMatchesWithinTolerance() {
        assertEquals(3, replayTracedCases("nvidia-b2-t4", Kernels.best(), 2));
    }

    @Test
    void scalarKernelsMatchTheB2TraceToo() {
        assertEquals(3, replayTracedCases("nvidia-b2-t4", Kernels.scalar(), 1));
    }

    private static int replayTracedCases(String set, Kernels kernels, int threads) {
        Path dir = Fixtures.autogazeSet(set);
        int traced = 0;
        try (GazeDecoder decoder = new GazeDecoder(AutoGazeWeights.load(dir.resolve("model")), threads, kernels)) {
            for (ReferenceCase c : ReferenceCase.all(dir)) {
                if (!c.hasTrace()) {
                    continue;
                }
                traced++;
                TraceReplay.Result r = TraceReplay.replay(decoder, c);
                assertEquals(c.tracedCalls(), r.calls());
                assertTrue(r.calls() > 0);
                assertTrue(r.maxAbsDiff() <= TOLERANCE, c.name() + ": " + r);
            }
        }
        return traced;
    }
}
