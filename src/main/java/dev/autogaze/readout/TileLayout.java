package dev.autogaze.readout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An AnyRes-style tiling of a large source frame: tiles of tileWidth x tileHeight source pixels, row-major from the
 * top-left, as many as cover the frame (the last row/column may overhang, as when the frame is padded to whole
 * tiles). Each tile is gazed as if it were a whole model frame; this maps its cells back onto the source frame.
 * Cells wholly outside the source are dropped; cells partly outside keep their grid position and get a clipped rect.
 */
public record TileLayout(int frameWidth, int frameHeight, int tileWidth, int tileHeight) {

    public TileLayout {
        if (frameWidth <= 0 || frameHeight <= 0) {
            throw new IllegalArgumentException("source frame " + frameWidth + "x" + frameHeight
                    + " must have positive sides");
        }
        if (tileWidth <= 0 || tileHeight <= 0) {
            throw new IllegalArgumentException("tile " + tileWidth + "x" + tileHeight + " must have positive sides");
        }
    }

    public int tileColumns() {
        return (frameWidth + tileWidth - 1) / tileWidth;
    }

    public int tileRows() {
        return (frameHeight + tileHeight - 1) / tileHeight;
    }

    public int tiles() {
        return tileColumns() * tileRows();
    }

    /** Rows of the frame-wide grid of scale s (tile rows x the scale's grid). */
    public int gridRows(ScaleLayout layout, int s) {
        return tileRows() * layout.grid(s);
    }

    /** Columns of the frame-wide grid of scale s. */
    public int gridCols(ScaleLayout layout, int s) {
        return tileColumns() * layout.grid(s);
    }

    /**
     * Places a tile-local cell in the source frame. Exact per scale: cell (r, c) of tile (tr, tc) is cell
     * (tr·g + r, tc·g + c) of the frame-wide grid, with x in [(tc·g + c)·tileWidth/g, ...) (one division per edge).
     *
     * @return empty when the cell lies wholly outside the source frame
     */
    public Optional<TiledCell> remap(ScaleLayout layout, int tile, GazeCell cell) {
        if (tile < 0 || tile >= tiles()) {
            throw new IllegalArgumentException("tile " + tile + " is outside [0, " + tiles() + ") of a "
                    + tileRows() + "x" + tileColumns() + " tiling");
        }
        int g = layout.grid(cell.scale());
        if (cell.row() >= g || cell.col() >= g) {
            throw new IllegalArgumentException("cell (" + cell.row() + ", " + cell.col() + ") is outside the " + g + "x"
                    + g + " grid of scale index " + cell.scale());
        }
        int row = (tile / tileColumns()) * g + cell.row();
        int col = (tile % tileColumns()) * g + cell.col();
        double x0 = (double) col * tileWidth / g;
        double y0 = (double) row * tileHeight / g;
        if (x0 >= frameWidth || y0 >= frameHeight) {
            return Optional.empty();
        }
        double x1 = (double) (col + 1) * tileWidth / g;
        double y1 = (double) (row + 1) * tileHeight / g;
        boolean clipped = x1 > frameWidth || y1 > frameHeight;
        ReadoutRect rect = new ReadoutRect(x0, y0, Math.min(x1, frameWidth), Math.min(y1, frameHeight));
        return Optional.of(new TiledCell(tile, cell.scale(), row, col, rect, clipped));
    }

    /** Remaps one tile's fixations, in order, dropping those wholly outside the source. */
    public List<TiledCell> remap(ScaleLayout layout, int tile, List<Fixation> fixations) {
        List<TiledCell> out = new ArrayList<>(fixations.size());
        for (Fixation f : fixations) {
            remap(layout, tile, f.cell()).ifPresent(out::add);
        }
        return out;
    }
}
