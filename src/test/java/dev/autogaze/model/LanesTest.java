package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanesTest {

    @Test
    void splitGivesContiguousNearEqualPartsLargerFirst() {
        assertEquals(List.of(new Lanes.Part(0, 3), new Lanes.Part(3, 6), new Lanes.Part(6, 8), new Lanes.Part(8, 10)),
                Lanes.split(10, 4));
        assertEquals(List.of(new Lanes.Part(0, 128), new Lanes.Part(128, 256)), Lanes.split(256, 2));
        assertEquals(List.of(new Lanes.Part(0, 1)), Lanes.split(1, 2), "one row: one part, no empty lane");
        assertEquals(List.of(new Lanes.Part(0, 1), new Lanes.Part(1, 2), new Lanes.Part(2, 3)), Lanes.split(3, 8));
    }

    @Test
    void splitCoversEveryRowOnceForAnyBatchAndLaneCount() {
        for (int batch = 1; batch <= 40; batch++) {
            for (int lanes = 1; lanes <= 9; lanes++) {
                List<Lanes.Part> parts = Lanes.split(batch, lanes);
                assertEquals(Math.min(batch, lanes), parts.size());
                int next = 0;
                for (Lanes.Part p : parts) {
                    assertEquals(next, p.from(), batch + " in " + lanes);
                    assertTrue(p.size() >= 1 && p.size() - parts.get(parts.size() - 1).size() <= 1, parts.toString());
                    next = p.to();
                }
                assertEquals(batch, next);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Lanes.split(0, 2));
        assertThrows(IllegalArgumentException.class, () -> Lanes.split(4, 0));
    }

    @Test
    void partsRunAtOnceOnTheirOwnLanesAndComeBackInRowOrder() {
        List<String> names = List.of("a", "b", "c");
        CyclicBarrier together = new CyclicBarrier(names.size()); // trips only if the three parts run at once
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try (Lanes<String> lanes = new Lanes<>(names, n -> { }, "test-lane")) {
            List<String> out = lanes.each(7, (lane, part) -> {
                threads.add(Thread.currentThread());
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("parts did not run at once", e);
                }
                return IntStream.range(part.from(), part.to()).mapToObj(i -> lane + i).toList();
            });
            assertEquals(List.of("a0", "a1", "a2", "b3", "b4", "c5", "c6"), out);
            assertEquals(3, threads.size(), threads.toString());
            assertTrue(threads.contains(Thread.currentThread()), "the first part runs on the caller");
        }
    }

    @Test
    void aFailingLaneFailsTheCallOnlyAfterEveryOtherPartHasFinished() {
        AtomicBoolean slowFinished = new AtomicBoolean();
        try (Lanes<Integer> lanes = new Lanes<>(List.of(0, 1, 2), n -> { }, "test-lane")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> lanes.each(3, (lane, part) -> {
                if (lane == 1) {
                    throw new IllegalStateException("lane 1 failed");
                }
                if (lane == 2) {
                    sleep(300);
                    slowFinished.set(true);
                }
                return List.of(lane);
            }));
            assertEquals("lane 1 failed", e.getMessage());
            assertTrue(slowFinished.get(), "the call returned while lane 2 still ran");
        }
    }

    @Test
    void closeClosesEveryLaneEvenWhenOneFailsToClose() {
        List<Integer> closed = Collections.synchronizedList(new ArrayList<>());
        Lanes<Integer> lanes = new Lanes<>(List.of(0, 1, 2), n -> {
            closed.add(n);
            if (n == 0) {
                throw new IllegalStateException("lane 0 would not close");
            }
        }, "test-lane");
        assertThrows(IllegalStateException.class, lanes::close);
        assertEquals(List.of(0, 1, 2), closed);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
