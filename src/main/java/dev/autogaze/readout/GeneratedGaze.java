package dev.autogaze.readout;

import java.util.Arrays;

/**
 * The official AutoGaze generate() triple for a batch of clips, plus optional per-token confidence.
 * Every gaze source (the model, patch-diff) produces this; downstream code decodes it through the readout
 * library instead of reinterpreting the raw ids.
 *
 * @param gazingPos          [B][sum n_t] global ids t*N + id (pads hold a meaningless value)
 * @param padded             [B][sum n_t] true where the token is a pad
 * @param numGazingEachFrame [T] n_t, pads included, shared by every batch row
 * @param confidence         [B][sum n_t] softmax probability of each chosen token, or null when the source has none
 * @param tokensPerFrame     N, the per-frame vocabulary (265 for the released model)
 */
public record GeneratedGaze(long[][] gazingPos, boolean[][] padded, int[] numGazingEachFrame, float[][] confidence,
                            int tokensPerFrame) {

    public GeneratedGaze {
        if (gazingPos.length != padded.length) {
            throw new IllegalArgumentException("gazing_pos has " + gazingPos.length + " rows but if_padded_gazing has "
                    + padded.length);
        }
        if (confidence != null && confidence.length != gazingPos.length) {
            throw new IllegalArgumentException("confidence has " + confidence.length + " rows but gazing_pos has "
                    + gazingPos.length);
        }
        long total = 0;
        for (int t = 0; t < numGazingEachFrame.length; t++) {
            if (numGazingEachFrame[t] < 0) {
                throw new IllegalArgumentException("num_gazing_each_frame[" + t + "] = " + numGazingEachFrame[t]
                        + " is negative");
            }
            total += numGazingEachFrame[t];
        }
        for (int b = 0; b < gazingPos.length; b++) {
            if (gazingPos[b].length != total || padded[b].length != total
                    || (confidence != null && confidence[b].length != total)) {
                throw new IllegalArgumentException("batch row " + b + " has " + gazingPos[b].length
                        + " gazes but num_gazing_each_frame sums to " + total);
            }
        }
    }

    public int batchSize() {
        return gazingPos.length;
    }

    public int frames() {
        return numGazingEachFrame.length;
    }

    /**
     * Row b as a batch of one: copies of its ids, pad flags and confidence, with the batch's num_gazing_each_frame
     * (the rows of one call share it). Equal to gazing that clip alone only where the rows could not interact, see
     * {@code GazeSource.gazeEach}.
     */
    public GeneratedGaze row(int b) {
        if (b < 0 || b >= batchSize()) {
            throw new IllegalArgumentException("batch row " + b + " does not exist: the batch has " + batchSize()
                    + " rows");
        }
        return new GeneratedGaze(new long[][] {gazingPos[b].clone()}, new boolean[][] {padded[b].clone()},
                numGazingEachFrame.clone(), confidence == null ? null : new float[][] {confidence[b].clone()},
                tokensPerFrame);
    }

    /** Number of non-pad gazes of batch row b. */
    public int realCount(int b) {
        int n = 0;
        for (boolean p : padded[b]) {
            if (!p) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratedGaze g && tokensPerFrame == g.tokensPerFrame
                && Arrays.deepEquals(gazingPos, g.gazingPos) && Arrays.deepEquals(padded, g.padded)
                && Arrays.equals(numGazingEachFrame, g.numGazingEachFrame) && Arrays.deepEquals(confidence, g.confidence);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(gazingPos) * 31 + Arrays.hashCode(numGazingEachFrame);
    }

    @Override
    public String toString() {
        return "GeneratedGaze[B=" + batchSize() + ", T=" + frames() + ", n=" + Arrays.toString(numGazingEachFrame)
                + ", N=" + tokensPerFrame + (confidence == null ? "" : ", with confidence") + "]";
    }
}
