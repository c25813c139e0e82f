package dev.autogaze.readout;

import java.util.Arrays;

/**
 * Projects gazes onto a downstream image model's patch grid, frame by frame. Build one per (layout, grid, options)
 * and reuse it: the per-id footprints are computed once. Not thread-safe; use one per thread.
 */
public final class ImageGridProjector {

    private final ScaleLayout layout;
    private final ImageGrid grid;
    private final FrameTokenizer tokenizer;

    public ImageGridProjector(ScaleLayout layout, ImageGrid grid, ReadoutOptions options) {
        this.layout = layout;
        this.grid = grid;
        this.tokenizer = new FrameTokenizer(new ProjectionTable(layout, grid.height(), grid.width(), grid.patch(),
                options), options);
    }

    public ImageTokens project(FrameIds ids) {
        checkIds(ids, layout);
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

    static void checkIds(FrameIds ids, ScaleLayout layout) {
        int n = layout.tokensPerFrame();
        int[] a = ids.ids();
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0 || a[i] >= n) {
                throw new IllegalArgumentException("gaze id " + a[i] + " (entry " + i + ") is outside [0, " + n + ")");
            }
        }
    }
}
