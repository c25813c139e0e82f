package dev.autogaze.readout;

/**
 * The tokens of every per-frame id on one downstream grid, computed once per (layout, grid, options). A cell's
 * footprint depends only on its id, so projection in the hot loop is a table lookup, not geometry.
 * Each id's rect is taken from the model frame to the downstream frame (the whole frame is resized, so
 * {@code u = x · width / (frameSize · patch)}) and quantised once.
 */
final class ProjectionTable {

    private final int[] tokens;
    private final int[] start;
    private final int gridTokens;

    ProjectionTable(ScaleLayout layout, int height, int width, int patch, ReadoutOptions options) {
        this(layout.tokensPerFrame(), id -> {
            int s = layout.scaleOf(id);
            int g = layout.grid(s);
            int local = id - layout.offset(s);
            return layout.cellRect(s, local / g, local % g).grown(options.fixationScale());
        }, layout.frameSize(), layout.frameSize(), height, width, patch, options);
    }

    /** Tiled ids: each cell's footprint on the whole source frame, which the downstream frame resizes. */
    ProjectionTable(TiledIds tiled, int height, int width, int patch, ReadoutOptions options) {
        this(tiled.tokensPerFrame(), id -> tiled.footprint(id, options.fixationScale()), tiled.tiles().frameWidth(),
                tiled.tiles().frameHeight(), height, width, patch, options);
    }

    /**
     * @param rectOf id -> its rect in a {@code frameWidth x frameHeight} frame, or null for an id with no footprint
     */
    private ProjectionTable(int n, java.util.function.IntFunction<ReadoutRect> rectOf, double frameWidth,
                            double frameHeight, int height, int width, int patch, ReadoutOptions options) {
        int rows = height / patch;
        int cols = width / patch;
        gridTokens = rows * cols;
        RectProjector projector = new RectProjector(rows, cols, options.rule(), options.dilation());
        int[] buf = new int[gridTokens];
        int[] all = new int[Math.max(16, n * 4)];
        start = new int[n + 1];
        double denX = frameWidth * patch;
        double denY = frameHeight * patch;
        int k = 0;
        for (int id = 0; id < n; id++) {
            ReadoutRect r = rectOf.apply(id);
            int m = r == null ? 0 : projector.project(r.x0() * width / denX, r.y0() * height / denY,
                    r.x1() * width / denX, r.y1() * height / denY, buf);
            if (k + m > all.length) {
                all = java.util.Arrays.copyOf(all, Math.max(all.length * 2, k + m));
            }
            System.arraycopy(buf, 0, all, k, m);
            k += m;
            start[id + 1] = k;
        }
        tokens = java.util.Arrays.copyOf(all, k);
    }

    /** Number of grid tokens (rows·cols). */
    int gridTokens() {
        return gridTokens;
    }

    int start(int id) {
        return start[id];
    }

    int end(int id) {
        return start[id + 1];
    }

    int token(int i) {
        return tokens[i];
    }

    int[] tokens() {
        return tokens;
    }

    /** Tokens id projects to before any deduplication. */
    int length(int id) {
        return start[id + 1] - start[id];
    }
}
