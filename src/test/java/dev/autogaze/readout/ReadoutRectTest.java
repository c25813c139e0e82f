package dev.autogaze.readout;

import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadoutRectTest {

    @Test
    void growAboutTheCentreDoublesEachSideAndFactorOneIsExact() {
        ReadoutRect r = new ReadoutRect(48, 32, 64, 48);
        assertEquals(new ReadoutRect(40, 24, 72, 56), r.grown(2));
        assertEquals(new ReadoutRect(52, 36, 60, 44), r.grown(0.5));
        ReadoutRect odd = new ReadoutRect(0.1, 0.2, 0.7, 1.3);
        assertSame(odd, odd.grown(1));
    }

    @Test
    void overlapNeedsPositiveAreaSoTouchingEdgesDoNotOverlap() {
        ReadoutRect a = new ReadoutRect(0, 0, 16, 16);
        assertFalse(a.overlaps(new ReadoutRect(16, 0, 32, 16)));
        assertTrue(a.overlaps(new ReadoutRect(15.5, 15.5, 32, 32)));
        assertEquals(0.25, a.intersectionArea(new ReadoutRect(15.5, 15.5, 32, 32)), 0);
        assertTrue(a.contains(0, 0));
        assertFalse(a.contains(16, 8));
    }

    @Test
    void scaledMultipliesXAndYIndependently() {
        assertEquals(new ReadoutRect(10, 3, 20, 9), new ReadoutRect(5, 1, 10, 3).scaled(2, 3));
    }

    @Test
    void negativeSizesAndBadFactorsAreRejected() {
        assertMessage("negative size", () -> new ReadoutRect(5, 0, 4, 1));
        assertMessage("is not finite", () -> new ReadoutRect(0, 0, Double.NaN, 1));
        assertMessage("fixation scale -1.0 must be positive", () -> new ReadoutRect(0, 0, 1, 1).grown(-1));
        assertMessage("scale factors (0.0, 1.0)", () -> new ReadoutRect(0, 0, 1, 1).scaled(0, 1));
    }
}
