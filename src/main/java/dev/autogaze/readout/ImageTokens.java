package dev.autogaze.readout;

import java.util.Arrays;

/**
 * One clip's readout on an image patch grid: per frame, the distinct tokens ({@code row·cols + col}) in priority
 * order, so truncating a frame's array keeps its most important tokens.
 */
public record ImageTokens(ImageGrid grid, int[][] perFrame) {

    public ImageTokens {
        perFrame = perFrame.clone();
    }

    public int frames() {
        return perFrame.length;
    }

    /** Tokens of frame t in priority order (a copy). */
    public int[] frame(int t) {
        return perFrame[t].clone();
    }

    public int[][] perFrame() {
        int[][] copy = new int[perFrame.length][];
        for (int t = 0; t < copy.length; t++) {
            copy[t] = perFrame[t].clone();
        }
        return copy;
    }

    public int totalTokens() {
        int n = 0;
        for (int[] f : perFrame) {
            n += f.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageTokens other && grid.equals(other.grid) && Arrays.deepEquals(perFrame, other.perFrame);
    }

    @Override
    public int hashCode() {
        return grid.hashCode() * 31 + Arrays.deepHashCode(perFrame);
    }

    @Override
    public String toString() {
        return "ImageTokens[" + grid.rows() + "x" + grid.cols() + ", " + Arrays.deepToString(perFrame) + "]";
    }
}
