package dev.autogaze.video;

/** What to do with the final clip when fewer than T sampled frames remain. */
public enum LastClipPolicy {
    /** Fill the clip by repeating its last real frame (index and timestamp repeated too). */
    REPEAT_LAST,
    /** Drop the partial clip. */
    DROP
}
