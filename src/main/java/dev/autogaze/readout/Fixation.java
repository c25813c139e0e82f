package dev.autogaze.readout;

/**
 * One real gaze of one frame, independent of its batch row: the cell, its rank in the frame's gaze order, its
 * confidence (NaN when the source gives none) and its rectangle in source pixels.
 *
 * @param frame      frame index t
 * @param order      rank among the frame's real gazes, 0 = first emitted
 * @param cell       the decoded cell (model-frame rect)
 * @param confidence probability of the chosen token, or NaN
 * @param sourceRect the cell in source-frame pixels
 */
public record Fixation(int frame, int order, GazeCell cell, float confidence, ReadoutRect sourceRect) {

    public Fixation {
        if (cell == null || sourceRect == null) {
            throw new IllegalArgumentException("fixation " + order + " of frame " + frame + " has no cell or rect");
        }
        if (cell.frame() != frame) {
            throw new IllegalArgumentException("fixation of frame " + frame + " holds a cell of frame " + cell.frame());
        }
        if (order < 0) {
            throw new IllegalArgumentException("fixation order " + order + " is negative");
        }
        if (Float.isInfinite(confidence)) {
            throw new IllegalArgumentException("fixation confidence " + confidence + " is not finite (use NaN for none)");
        }
    }

    /** A fixation on a cell, with the source rect taken from the decoder. */
    public static Fixation of(GazeDecoder decoder, GazeCell cell, int order, float confidence) {
        return new Fixation(cell.frame(), order, cell, confidence, decoder.sourceRect(cell));
    }

    public boolean hasConfidence() {
        return !Float.isNaN(confidence);
    }
}
