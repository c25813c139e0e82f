package dev.autogaze.readout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A clip gazed as AnyRes tiles, read as one frame: tiled id {@code tile·N + id} names cell {@code id} (of the tile's
 * own layout, N ids) of tile {@code tile}, which {@link TileLayout} places on the whole source frame. A tiled clip's
 * gaze is then an ordinary {@link GeneratedGaze} with {@code tiles·N} ids per frame, projected like any other.
 */
public record TiledIds(ScaleLayout layout, TileLayout tiles) {

    public TiledIds {
        if (layout == null || tiles == null) {
            throw new IllegalArgumentException("tiled ids need a layout and a tile layout");
        }
    }

    /** Ids per frame: tiles x the layout's N. */
    public int tokensPerFrame() {
        return tiles.tiles() * layout.tokensPerFrame();
    }

    /** The cell of tiled id {@code id} in frame {@code frame} on the whole frame's grid; empty when wholly outside. */
    public Optional<TiledCell> cell(int frame, int id) {
        if (id < 0 || id >= tokensPerFrame()) {
            throw new IllegalArgumentException("tiled id " + id + " is outside [0, " + tokensPerFrame() + ")");
        }
        int n = layout.tokensPerFrame();
        return tiles.remap(layout, id / n, GazeTokenDecoder.of(layout).cell(frame, id % n));
    }

    /**
     * Where id's cell lies for projection, in source pixels: the whole cell grown about its centre by
     * {@code scale}, then clipped to the source frame; null when nothing of it is inside.
     */
    ReadoutRect footprint(int id, double scale) {
        Optional<TiledCell> c = cell(0, id);
        if (c.isEmpty()) {
            return null;
        }
        int g = layout.grid(c.get().scale());
        double w = (double) tiles.tileWidth() / g;
        double h = (double) tiles.tileHeight() / g;
        ReadoutRect whole = new ReadoutRect(c.get().col() * w, c.get().row() * h, (c.get().col() + 1) * w,
                (c.get().row() + 1) * h).grown(scale);
        double x0 = Math.max(0, whole.x0());
        double y0 = Math.max(0, whole.y0());
        double x1 = Math.min(tiles.frameWidth(), whole.x1());
        double y1 = Math.min(tiles.frameHeight(), whole.y1());
        return x0 < x1 && y0 < y1 ? new ReadoutRect(x0, y0, x1, y1) : null;
    }

    /**
     * One clip's gaze from the batch-of-one gazes of its tiles (tile order): per frame, the real gazes by rank
     * across tiles (every tile's first gaze, then every tile's second, ...: a budget in gaze order treats the tiles
     * alike), then the tiles' pads; ids become tiled ids.
     */
    public GeneratedGaze merge(List<GeneratedGaze> perTile) {
        if (perTile.size() != tiles.tiles()) {
            throw new IllegalArgumentException(perTile.size() + " tile gazes for " + tiles.tiles() + " tiles");
        }
        int n = layout.tokensPerFrame();
        int frames = perTile.get(0).frames();
        boolean conf = perTile.get(0).confidence() != null;
        for (GeneratedGaze g : perTile) {
            if (g.batchSize() != 1 || g.tokensPerFrame() != n || g.frames() != frames
                    || (g.confidence() != null) != conf) {
                throw new IllegalArgumentException("tile gaze " + g + " is not a batch of one of " + frames
                        + " frames with N = " + n + (conf ? " and confidence" : ""));
            }
        }
        int[] num = new int[frames];
        List<Long> pos = new ArrayList<>();
        List<Boolean> pad = new ArrayList<>();
        List<Float> confidence = new ArrayList<>();
        int nTiled = tokensPerFrame();
        int[] at = new int[perTile.size()];
        for (int t = 0; t < frames; t++) {
            List<List<Integer>> real = new ArrayList<>();
            int pads = 0;
            int longest = 0;
            for (int k = 0; k < perTile.size(); k++) {
                GeneratedGaze g = perTile.get(k);
                List<Integer> r = new ArrayList<>();
                for (int i = at[k], end = at[k] + g.numGazingEachFrame()[t]; i < end; i++) {
                    if (g.padded()[0][i]) {
                        pads++;
                    } else {
                        r.add(i);
                    }
                }
                real.add(r);
                longest = Math.max(longest, r.size());
            }
            for (int rank = 0; rank < longest; rank++) {
                for (int k = 0; k < perTile.size(); k++) {
                    if (rank < real.get(k).size()) {
                        int i = real.get(k).get(rank);
                        GeneratedGaze g = perTile.get(k);
                        pos.add((long) t * nTiled + (long) k * n + (g.gazingPos()[0][i] - (long) t * n));
                        pad.add(false);
                        confidence.add(conf ? g.confidence()[0][i] : 0f);
                    }
                }
            }
            for (int p = 0; p < pads; p++) {
                pos.add((long) t * nTiled + nTiled); // the pad id of the tiled frame
                pad.add(true);
                confidence.add(0f);
            }
            for (int k = 0; k < perTile.size(); k++) {
                at[k] += perTile.get(k).numGazingEachFrame()[t];
            }
            num[t] = real.stream().mapToInt(List::size).sum() + pads;
        }
        long[] p = new long[pos.size()];
        boolean[] d = new boolean[pos.size()];
        float[] c = new float[pos.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = pos.get(i);
            d[i] = pad.get(i);
            c[i] = confidence.get(i);
        }
        return new GeneratedGaze(new long[][] {p}, new boolean[][] {d}, num, conf ? new float[][] {c} : null, nTiled);
    }
}
