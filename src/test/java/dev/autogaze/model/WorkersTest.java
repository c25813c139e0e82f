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
    void aTeamRunsEveryMemberOnceAndTheBarrierOrdersTheirPhases() {
        try (Workers w = new Workers(3)) {
            for (int round = 0; round < 200; round++) {
                int[] written = new int[3];
                AtomicIntegerArray seen = new AtomicIntegerArray(3);
                w.team((worker, barrier) -> {
                    written[worker] = worker + 1;
                    barrier.await();
                    // after the meeting every member sees every other member's write
                    seen.set(worker, written[0] + written[1] + written[2]);
                });
                for (int m = 0; m < 3; m++) {
                    assertEquals(6, seen.get(m), "member " + m + " in round " + round);
                }
            }
        }
    }

    @Test
    void aFailedTeamMemberReleasesTheOthersAndTheTeamRunsAgain() {
        IllegalStateException boom = new IllegalStateException("member 1 failed");
        try (Workers w = new Workers(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.team((worker, barrier) -> {
                if (worker == 1) {
                    throw boom;
                }
                barrier.await(); // would wait forever if the failure did not break the barrier
            }));
            assertSame(boom, e);
            AtomicIntegerArray ran = new AtomicIntegerArray(2);
            w.team((worker, barrier) -> {
                barrier.await();
                ran.incrementAndGet(worker);
            });
            assertEquals(1, ran.get(0));
            assertEquals(1, ran.get(1));
        }
    }

    @Test
    void zeroThreadsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Workers(0));
        assertEquals("decoder thread count 0 must be at least 1", e.getMessage());
    }
}
