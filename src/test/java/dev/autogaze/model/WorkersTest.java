package dev.autogaze.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkersTest {

    @Test
    void aTeamDoesEveryUnitOfEveryPhaseOnceAndFinishesAPhaseBeforeTheNext() {
        try (Workers w = new Workers(3)) {
            TeamPhases phases = new TeamPhases();
            for (int round = 0; round < 200; round++) {
                int units = 1 + round % 7;
                AtomicIntegerArray first = new AtomicIntegerArray(units);
                AtomicIntegerArray second = new AtomicIntegerArray(units);
                AtomicIntegerArray members = new AtomicIntegerArray(3);
                phases.reset(2);
                w.team(phases, worker -> {
                    members.incrementAndGet(worker);
                    for (int u = phases.claim(0); u < units; u = phases.claim(0)) {
                        first.incrementAndGet(u);
                        phases.done(0);
                    }
                    phases.await(0, units);
                    for (int u = phases.claim(1); u < units; u = phases.claim(1)) {
                        // every unit of phase 0 is visible once phase 1 runs
                        for (int i = 0; i < units; i++) {
                            assertEquals(1, first.get(i), "phase 0 unit " + i + " before phase 1");
                        }
                        second.incrementAndGet(u);
                        phases.done(1);
                    }
                });
                for (int i = 0; i < units; i++) {
                    assertEquals(1, first.get(i), "round " + round + " phase 0 unit " + i);
                    assertEquals(1, second.get(i), "round " + round + " phase 1 unit " + i);
                }
                for (int m = 0; m < 3; m++) {
                    assertEquals(1, members.get(m), "member " + m + " ran once in round " + round);
                }
            }
        }
    }

    @Test
    void aFailedTeamMemberReleasesTheOthersAndTheTeamRunsAgain() {
        IllegalStateException boom = new IllegalStateException("member 1 failed");
        try (Workers w = new Workers(2)) {
            TeamPhases phases = new TeamPhases();
            phases.reset(1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.team(phases, worker -> {
                if (worker == 1) {
                    throw boom;
                }
                phases.await(0, 1); // the unit member 1 would have done: waits forever unless the failure breaks it
            }));
            assertSame(boom, e);
            AtomicIntegerArray ran = new AtomicIntegerArray(2);
            phases.reset(1);
            w.team(phases, worker -> {
                ran.incrementAndGet(worker);
                for (int u = phases.claim(0); u < 4; u = phases.claim(0)) {
                    phases.done(0);
                }
                phases.await(0, 4);
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
