package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkersTest {

    @Test
    void everyTaskRunsExactlyOnceOnAWorkerInRange() {
        try (Workers w = new Workers(3)) {
            for (int round = 0; round < 50; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(37);
                w.run(37, (task, worker) -> {
                    assertTrue(worker >= 0 && worker < 3, "worker " + worker);
                    runs.incrementAndGet(task);
                });
                for (int i = 0; i < 37; i++) {
                    assertEquals(1, runs.get(i), "task " + i + " in round " + round);
                }
            }
        }
    }

    @Test
    void aTaskFailureReachesTheCallerUnwrapped() {
        IllegalStateException boom = new IllegalStateException("task 5 failed");
        try (Workers w = new Workers(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.run(8, (task, worker) -> {
                if (task == 5) {
                    throw boom;
                }
            }));
            assertSame(boom, e);
        }
    }

    @Test
    void zeroThreadsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Workers(0));
        assertEquals("decoder thread count 0 must be at least 1", e.getMessage());
    }
}
