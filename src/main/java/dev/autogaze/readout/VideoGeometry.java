package dev.autogaze.readout;

/**
 * A downstream video model's token grid: frames grouped into tubelets of {@code tubelet} frames, each frame resized
 * as a whole to height x width and cut into patch x patch squares. Token index
 * {@code ((t·rows) + r)·cols + c} with t the temporal bin.
 */
public record VideoGeometry(int frames, int height, int width, int tubelet, int patch) {

    public VideoGeometry {
        if (frames <= 0 || height <= 0 || width <= 0 || tubelet <= 0 || patch <= 0) {
            throw new IllegalArgumentException("video geometry frames=" + frames + " height=" + height + " width=" + width
                    + " tubelet=" + tubelet + " patch=" + patch + " must have positive sizes");
        }
        if (frames % tubelet != 0) {
            throw new IllegalArgumentException("frame count " + frames + " is not divisible by tubelet size " + tubelet);
        }
        if (height % patch != 0) {
            throw new IllegalArgumentException("frame height " + height + " is not divisible by patch size " + patch);
        }
        if (width % patch != 0) {
            throw new IllegalArgumentException("frame width " + width + " is not divisible by patch size " + patch);
        }
    }

    /** Temporal bins (frames / tubelet). */
    public int bins() {
        return frames / tubelet;
    }

    public int rows() {
        return height / patch;
    }

    public int cols() {
        return width / patch;
    }

    public int tokensPerBin() {
        return rows() * cols();
    }

    /** The per-frame spatial grid of this geometry. */
    public ImageGrid frameGrid() {
        return new ImageGrid(height, width, patch);
    }

    /** Flat video-token index of (bin, row, col). */
    public int flatIndex(int bin, int row, int col) {
        return (bin * rows() + row) * cols() + col;
    }
}
