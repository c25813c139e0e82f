package dev.autogaze.readout;

/**
 * A downstream image model's patch grid ({@code height/patch x width/patch}) onto which the whole source frame is
 * resized. Token index = {@code row·cols + col}.
 */
public record ImageGrid(int height, int width, int patch) {

    public ImageGrid {
        if (height <= 0 || width <= 0 || patch <= 0) {
            throw new IllegalArgumentException("image grid " + height + "x" + width + " with patch " + patch
                    + " must have positive sizes");
        }
        if (height % patch != 0) {
            throw new IllegalArgumentException("frame height " + height + " is not divisible by patch size " + patch);
        }
        if (width % patch != 0) {
            throw new IllegalArgumentException("frame width " + width + " is not divisible by patch size " + patch);
        }
    }

    public int rows() {
        return height / patch;
    }

    public int cols() {
        return width / patch;
    }

    public int tokens() {
        return rows() * cols();
    }
}
