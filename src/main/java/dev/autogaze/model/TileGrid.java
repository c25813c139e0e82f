package dev.autogaze.model;

import dev.autogaze.readout.TileLayout;

/**
 * How a frame was cut into square model-size tiles (user-side AnyRes, spec §2.3). Tile index = {@code row * cols
 * + col}; tile (r, c) covers x in {@code [c*tileSize, (c+1)*tileSize)} and y in {@code [r*tileSize,
 * (r+1)*tileSize)} of the (padded) frame. {@code sourceHeight x sourceWidth} is the frame before padding; the
 * padding (zeros in normalized space) is at the right and bottom, so pixel coordinates need no shift.
 *
 * @param rows         tiles down
 * @param cols         tiles across
 * @param tileSize     tile side in pixels (the model's input size, 224 released)
 * @param sourceHeight frame height before padding
 * @param sourceWidth  frame width before padding
 */
public record TileGrid(int rows, int cols, int tileSize, int sourceHeight, int sourceWidth) {

    public TileGrid {
        if (rows <= 0 || cols <= 0 || tileSize <= 0) {
            throw new IllegalArgumentException("tile grid " + rows + "x" + cols + " of size " + tileSize
                    + " must be positive");
        }
        if (sourceHeight <= (rows - 1) * tileSize || sourceHeight > rows * tileSize
                || sourceWidth <= (cols - 1) * tileSize || sourceWidth > cols * tileSize) {
            throw new IllegalArgumentException("source " + sourceWidth + "x" + sourceHeight + " does not fit exactly "
                    + cols + "x" + rows + " tiles of " + tileSize + " (each tile row/column must hold source pixels)");
        }
    }

    /** The grid that covers {@code height x width} with {@code tileSize} tiles, padding up when needed. */
    public static TileGrid covering(int height, int width, int tileSize) {
        if (height <= 0 || width <= 0 || tileSize <= 0) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " and tile size " + tileSize
                    + " must be positive");
        }
        return new TileGrid(ceilDiv(height, tileSize), ceilDiv(width, tileSize), tileSize, height, width);
    }

    /** The same tiling as the readout library sees it, to map each tile's gaze cells back onto the source frame. */
    public TileLayout readoutLayout() {
        return new TileLayout(sourceWidth, sourceHeight, tileSize, tileSize);
    }

    public int tileCount() {
        return rows * cols;
    }

    public int paddedHeight() {
        return rows * tileSize;
    }

    public int paddedWidth() {
        return cols * tileSize;
    }

    public boolean padded() {
        return paddedHeight() != sourceHeight || paddedWidth() != sourceWidth;
    }

    /** Tile index of tile (row, col). */
    public int index(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IllegalArgumentException("tile (" + row + ", " + col + ") is outside the " + rows + "x" + cols
                    + " grid");
        }
        return row * cols + col;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
