package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;

import java.util.List;

/**
 * Turns one partition's videos into clip rows and error rows; what a Spark task runs. The task pulls the results
 * batch by batch ({@link Run#step}), so rows stream to the writer and the gaze source runs on the task's thread.
 */
@FunctionalInterface
public interface PartitionProcessor {

    /** Where a processor puts its results. */
    interface Sink {
        void clip(ClipRow row);

        void error(ErrorRow row);
    }

    /** The work over one partition, started by {@link #start}. */
    interface Run extends AutoCloseable {

        /**
         * Does the next piece of work (a batch through the gaze source, the rows and error rows it completes, handed
         * to the sink); false once every video is done, and then nothing more comes.
         */
        boolean step();

        /** Stops the work, background threads included, and waits for them; idempotent. */
        @Override
        void close();
    }

    Run start(List<VideoTask> videos, Sink sink);
}
