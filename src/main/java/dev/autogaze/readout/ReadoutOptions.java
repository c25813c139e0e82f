package dev.autogaze.readout;

/**
 * Per-frame choices of a readout: which fixations count, how big their footprint is, and how many tokens a frame
 * may keep. Zero means "no limit" for the caps.
 *
 * @param confidenceThreshold  keep fixations with confidence >= this; 0 disables (confidence then not needed)
 * @param maxFixationsPerFrame keep the first k fixations in priority order before projecting; 0 = all
 * @param fixationScale        grow (> 1) or shrink (< 1) each cell about its centre before projecting
 * @param dilation             grow the projected token set by this many tokens in every direction (Chebyshev)
 * @param maxTokensPerFrame    keep the first k distinct tokens in priority order after dilation; 0 = all
 * @param rule                 when a token counts as covered
 * @param priority             the order caps keep
 */
public record ReadoutOptions(double confidenceThreshold, int maxFixationsPerFrame, double fixationScale, int dilation,
                             int maxTokensPerFrame, CellToTokenRule rule, Priority priority) {

    public ReadoutOptions {
        if (!Double.isFinite(confidenceThreshold) || confidenceThreshold < 0) {
            throw new IllegalArgumentException("confidence threshold " + confidenceThreshold
                    + " must be finite and >= 0 (0 disables it)");
        }
        if (maxFixationsPerFrame < 0) {
            throw new IllegalArgumentException("max fixations per frame " + maxFixationsPerFrame
                    + " is negative (0 means no limit)");
        }
        if (!(fixationScale > 0) || !Double.isFinite(fixationScale)) {
            throw new IllegalArgumentException("fixation scale " + fixationScale + " must be positive and finite");
        }
        if (dilation < 0) {
            throw new IllegalArgumentException("dilation " + dilation + " is negative");
        }
        if (maxTokensPerFrame < 0) {
            throw new IllegalArgumentException("max tokens per frame " + maxTokensPerFrame
                    + " is negative (0 means no limit)");
        }
        if (rule == null || priority == null) {
            throw new IllegalArgumentException("readout options need a rule and a priority");
        }
    }

    /** Every fixation, its exact cell, any overlap, no caps, gaze order. */
    public static ReadoutOptions defaults() {
        return new ReadoutOptions(0, 0, 1.0, 0, 0, CellToTokenRule.ANY_OVERLAP, Priority.GAZE_ORDER);
    }

    public ReadoutOptions withConfidenceThreshold(double v) {
        return new ReadoutOptions(v, maxFixationsPerFrame, fixationScale, dilation, maxTokensPerFrame, rule, priority);
    }

    public ReadoutOptions withMaxFixationsPerFrame(int v) {
        return new ReadoutOptions(confidenceThreshold, v, fixationScale, dilation, maxTokensPerFrame, rule, priority);
    }

    public ReadoutOptions withFixationScale(double v) {
        return new ReadoutOptions(confidenceThreshold, maxFixationsPerFrame, v, dilation, maxTokensPerFrame, rule,
                priority);
    }

    public ReadoutOptions withDilation(int v) {
        return new ReadoutOptions(confidenceThreshold, maxFixationsPerFrame, fixationScale, v, maxTokensPerFrame, rule,
                priority);
    }

    public ReadoutOptions withMaxTokensPerFrame(int v) {
        return new ReadoutOptions(confidenceThreshold, maxFixationsPerFrame, fixationScale, dilation, v, rule, priority);
    }

    public ReadoutOptions withRule(CellToTokenRule v) {
        return new ReadoutOptions(confidenceThreshold, maxFixationsPerFrame, fixationScale, dilation, maxTokensPerFrame,
                v, priority);
    }

    public ReadoutOptions withPriority(Priority v) {
        return new ReadoutOptions(confidenceThreshold, maxFixationsPerFrame, fixationScale, dilation, maxTokensPerFrame,
                rule, v);
    }
}
