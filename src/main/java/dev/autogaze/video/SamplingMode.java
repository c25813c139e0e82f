package dev.autogaze.video;

/** How frames are picked from the decoded stream before they are grouped into clips. */
public enum SamplingMode {
    /** Every decoded frame. */
    EVERY_FRAME,
    /** Frames closest after each tick of a fixed rate; a source frame is never used twice. */
    TARGET_FPS,
    /** Every n-th decoded frame, counted from the first frame in the window. */
    STRIDE
}
