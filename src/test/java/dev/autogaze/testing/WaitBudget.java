package dev.autogaze.testing;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * How long an integration test waits for a step: a multiple of a step timed on this machine in the same test (a
 * clean run, a JVM start), never less than a floor. A slow or busy machine gets proportionally more time; a step
 * that hangs still ends the test, with the limit and where it came from in the message.
 *
 * @param baseline what was timed, e.g. "the clean run"
 * @param measured how long it took
 * @param factor   how many baselines a step may take
 * @param floor    the least time a step gets (a fast baseline must not make the limit tight)
 */
public record WaitBudget(String baseline, Duration measured, int factor, Duration floor) {

    /** A value computed by a timed step, and the time it took. */
    public record Timed<T>(T value, Duration took) {
    }

    /** Runs {@code step} and times it. */
    public static <T> Timed<T> time(Callable<T> step) throws Exception {
        long t0 = System.nanoTime();
        T value = step.call();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - t0));
    }

    public Duration limit() {
        Duration scaled = measured.multipliedBy(factor);
        return scaled.compareTo(floor) > 0 ? scaled : floor;
    }

    public long limitSeconds() {
        return Math.max(1, limit().toSeconds());
    }

    /** "412 s (15 x the clean run, 27.5 s; at least 120 s)", for failure messages. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d s (%d x %s, %.1f s; at least %d s)", limitSeconds(), factor, baseline,
                measured.toMillis() / 1000.0, floor.toSeconds());
    }
}
