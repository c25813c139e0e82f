package dev.autogaze.readout;

/** Which gazes win when a cap cuts a frame or a bin: never raster order, always one of these. */
public enum Priority {
    /** The order the model emitted the gazes (earliest first). */
    GAZE_ORDER,
    /** Highest confidence first, ties by gaze order; gazes without confidence (NaN) come last in gaze order. */
    CONFIDENCE
}
