package dev.autogaze.model;

/**
 * Cuts a normalized high-resolution clip into model-size tiles that run as a batch (the user-side AnyRes of spec
 * §2.3), so large frames are gazed at native resolution instead of being squashed to 224.
 */
public final class AnyResTiler {

    /**
     * Tiles of one clip: {@code data} is {@code [grid.tileCount(), frames, 3, tileSize, tileSize]}, tiles in
     * (tile_row, tile_col) order, ready for {@code VisionEncoder.encode(data, tileCount, frames, size, size)}.
     */
    public record Tiles(TileGrid grid, int frames, float[] data) {
        @Override
        public String toString() {
            return "Tiles[" + grid + ", " + frames + " frames]";
        }
    }

    private AnyResTiler() {
    }

    /**
     * Tiles a {@code [frames, 3, height, width]} normalized clip whose sides are multiples of {@code tileSize};
     * other sizes are an error unless {@code padToMultiple}, which pads right and bottom with 0 (in normalized
     * space, as the model's own res-adapt path does).
     */
    public static Tiles tile(float[] clip, int frames, int height, int width, int tileSize, boolean padToMultiple) {
        if (frames <= 0) {
            throw new IllegalArgumentException("frame count " + frames + " must be positive");
        }
        TileGrid grid = TileGrid.covering(height, width, tileSize);
        if (clip.length != (long) frames * 3 * height * width) {
            throw new IllegalArgumentException("clip holds " + clip.length + " floats, expected " + frames + "x3x"
                    + height + "x" + width);
        }
        if (grid.padded() && !padToMultiple) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " is not a multiple of the tile size "
                    + tileSize + " (pad it, or pass padToMultiple)");
        }
        int s = tileSize;
        int planes = frames * 3;
        float[] out = new float[grid.tileCount() * planes * s * s];
        for (int r = 0; r < grid.rows(); r++) {
            for (int c = 0; c < grid.cols(); c++) {
                int tileBase = grid.index(r, c) * planes * s * s;
                int x0 = c * s;
                int copyW = Math.min(s, width - x0);
                for (int p = 0; p < planes; p++) {
                    int src = p * height * width;
                    int dst = tileBase + p * s * s;
                    for (int y = 0; y < s; y++) {
                        int sy = r * s + y;
                        if (sy >= height) {
                            break;
                        }
                        System.arraycopy(clip, src + sy * width + x0, out, dst + y * s, copyW);
                    }
                }
            }
        }
        return new Tiles(grid, frames, out);
    }
}
