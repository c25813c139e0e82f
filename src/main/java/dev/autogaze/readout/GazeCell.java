package dev.autogaze.readout;

/**
 * One decoded gaze token: which patch of which scale grid of which frame it names, and where that patch lies in the
 * model frame. The unit every projection starts from.
 *
 * @param frame frame index t
 * @param id    per-frame id in [0, N)
 * @param scale scale index (0 = coarsest)
 * @param row   row in the scale's grid, 0 = top
 * @param col   column in the scale's grid, 0 = left
 * @param rect  the cell in model-frame pixels (frameSize x frameSize)
 */
public record GazeCell(int frame, int id, int scale, int row, int col, ReadoutRect rect) {

    public GazeCell {
        if (frame < 0 || id < 0 || scale < 0 || row < 0 || col < 0) {
            throw new IllegalArgumentException("gaze cell frame=" + frame + " id=" + id + " scale=" + scale + " row="
                    + row + " col=" + col + " has a negative field");
        }
        if (rect == null) {
            throw new IllegalArgumentException("gaze cell id " + id + " has no rect");
        }
    }

    @Override
    public String toString() {
        return "GazeCell[t=" + frame + " id=" + id + " s=" + scale + " (" + row + "," + col + ") " + rect + "]";
    }
}
