package dev.autogaze.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The integration tests' waits: a multiple of what was measured, never below the floor, explained on failure. */
class WaitBudgetTest {

    @Test
    void limitIsTheMeasuredStepTimesTheFactorAboveTheFloor() {
        WaitBudget slow = new WaitBudget("the clean run", Duration.ofMillis(27_500), 15, Duration.ofSeconds(120));
        assertEquals(Duration.ofMillis(412_500), slow.limit());
        assertEquals(412, slow.limitSeconds());
        assertEquals("412 s (15 x the clean run, 27.5 s; at least 120 s)", slow.toString());
        WaitBudget fast = new WaitBudget("a JVM start", Duration.ofMillis(300), 40, Duration.ofSeconds(60));
        assertEquals(Duration.ofSeconds(60), fast.limit(), "a fast baseline gets the floor");
    }

    @Test
    void timeMeasuresTheStepAndKeepsItsValue() throws Exception {
        WaitBudget.Timed<String> t = WaitBudget.time(() -> {
            Thread.sleep(50);
            return "done";
        });
        assertEquals("done", t.value());
        assertTrue(t.took().toMillis() >= 50, t.took().toString());
    }
}
