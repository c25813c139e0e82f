package dev.autogaze.job;

/** What the job does with an output directory that already holds results. */
public enum WriteMode {
    /** Delete clips/, errors/ and summary.json first. */
    OVERWRITE,
    /** Add rows; existing rows are left alone (a video may then appear twice). */
    APPEND,
    /** Add rows only for videos with no clip or error row of the same configuration hash. */
    RESUME
}
