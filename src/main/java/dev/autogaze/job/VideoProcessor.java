package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;

/** Turns one video into clip rows and error rows; the unit a Spark task runs per video. */
@FunctionalInterface
public interface VideoProcessor {

    /** Where a processor puts its results. */
    interface Sink {
        void clip(ClipRow row);

        void error(ErrorRow row);
    }

    void process(VideoTask video, Sink sink);
}
