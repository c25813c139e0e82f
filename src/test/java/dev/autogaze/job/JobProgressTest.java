package dev.autogaze.job;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobProgressTest {

    @Test
    void lineShowsFractionRateAndEtaFromTheVideoRate() {
        JobProgress p = new JobProgress(40, null, System.err, false);
        // 10 of 40 videos in 20 s -> 30 left at 2 s each = 60 s; 50 clips / 20 s = 2.5 clips/s; bar 10/40 of 30 = 7.5 -> 8.
        assertEquals("[========>                     ] 10/40 videos, 50 clips, 1 errors, 2.5 clips/s, ETA 1:00",
                p.line(10, 50, 1, 20.0));
    }

    @Test
    void etaIsUnknownBeforeTheFirstVideoAndHoursAreShownPastAnHour() {
        JobProgress p = new JobProgress(1000, null, System.err, false);
        assertEquals("[>                             ] 0/1000 videos, 0 clips, 0 errors, 0.0 clips/s, ETA --:--",
                p.line(0, 0, 0, 5.0));
        assertEquals("1:01:01", JobProgress.clock(3661));
    }
}
