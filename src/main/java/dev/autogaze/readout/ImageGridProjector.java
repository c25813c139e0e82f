package dev.autogaze.readout;

import java.util.Arrays;

/**
 * Projects gazes onto a downstream image model's patch grid, frame by frame. Build one per (layout, grid, options)
 * and reuse it: the per-id footprints are computed once. Not thread-safe; use one per thread.
 */
public final class ImageGridProjector {

    private final int ids;
    private final ImageGrid grid;
    private final FrameTokenizer tokenizer;

    public ImageGridProjector(ScaleLayout layout, ImageGrid grid, ReadoutOptions options) {
        this(layout.tokensPerFrame(), grid, new ProjectionTable(layout, grid.height(), grid.width(), grid.patch(),
                options), options);
    }

    /** For a clip gazed as AnyRes tiles: the whole source frame is resized to the grid's frame. */
    public ImageGridProjector(TiledIds tiled, ImageGrid grid, ReadoutOptions options) {
        this(tiled.tokensPerFrame(), grid, new ProjectionTable(tiled, grid.height(), grid.width(), grid.patch(),
                options), options);
    }

    private ImageGridProjector(int ids, ImageGrid grid, ProjectionTable table, ReadoutOptions options) {
        this.ids = ids;
        this.grid = grid;
        this.tokenizer = new FrameTokenizer(table, options);
    }

    public ImageTokens project(FrameIds ids) {
        checkIds(ids, this.ids);
        int[][] out = new int[ids.frames()][];
        for (int t = 0; t < ids.frames(); t++) {
            tokenizer.tokenize(ids, t);
            out[t] = Arrays.copyOf(tokenizer.tokens, tokenizer.tokenCount);
        }
        return new ImageTokens(grid, out);
    }

    public ImageTokens project(FixationTrace trace) {
        return project(FrameIds.of(trace));
    }

    static void checkIds(FrameIds ids, int n) {
        int[] a = ids.ids();
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0 || a[i] >= n) {
                throw new IllegalArgumentException("gaze id " + a[i] + " (entry " + i + ") is outside [0, " + n + ")");
            }
        }
    }
}
