package dev.autogaze.readout;

/**
 * A tile-local gaze cell placed in the large source frame: its cell in the frame-wide grid of its scale and its
 * rectangle in source pixels, clipped to the frame.
 *
 * @param tile    the tile it came from
 * @param scale   scale index (unchanged by tiling)
 * @param row     row in the frame-wide grid of that scale ({@code tileRow·g + row})
 * @param col     column in the frame-wide grid of that scale ({@code tileCol·g + col})
 * @param rect    the cell in source pixels, clipped to the source frame
 * @param clipped true when the cell extended past the source frame and rect was cut
 */
public record TiledCell(int tile, int scale, int row, int col, ReadoutRect rect, boolean clipped) {
}
