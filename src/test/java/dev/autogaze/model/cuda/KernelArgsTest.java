package dev.autogaze.model.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The launch argument array points each parameter at its own 8-byte slot (no GPU needed). */
class KernelArgsTest {

    @Test
    void everyParameterPointsAtItsOwnSlot() {
        try (KernelArgs a = new KernelArgs()) {
            for (int i = 0; i < KernelArgs.MAX; i++) {
                assertEquals(a.slotAddress(i), a.paramAddress(i), "param " + i);
            }
        }
    }

    @Test
    void valuesLandInOrderAndTheCountIsBounded() {
        try (KernelArgs a = new KernelArgs()) {
            a.add(0x1234_5678_9abcL, "k");
            a.add(Float.floatToRawIntBits(1.5f) & 0xffffffffL, "k");
            assertEquals(0x1234_5678_9abcL, a.value(0));
            assertEquals(1.5f, Float.intBitsToFloat((int) a.value(1)));
            for (int i = 2; i < KernelArgs.MAX; i++) {
                a.add(i, "k");
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.add(0, "gemm"));
            assertEquals("gemm: more than 24 kernel arguments", e.getMessage());
            a.clear();
            assertEquals(0, a.count());
        }
    }
}
