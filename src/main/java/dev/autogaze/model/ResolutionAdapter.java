package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ScaleLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The official resolution adaptation ({@code input_res_adapt} / {@code recover_output_from_res_adapt}): a clip
 * processed to the largest target scale is cut, in the target encoder's feature-map space, into tiles whose
 * finest grid equals the gaze model's (zero-padded bottom/right in normalized space); the tiles are gazed as clips;
 * their masks are placed side by side on each target scale's grid, cropped top-left to it, and the ids read back
 * from the masks in ascending order (the official recovery loses the gaze order the same way).
 */
public final class ResolutionAdapter {

    private final ScaleLayout model;
    private final ResolutionTarget target;
    private final ScaleLayout targetLayout;
    private final int tilesDown;
    private final int tilesAcross;
    private final int tilePixels;
    private final boolean identity;

    public ResolutionAdapter(ScaleLayout model, ResolutionTarget target) {
        this.model = model;
        this.target = target;
        this.targetLayout = target.layout();
        if (targetLayout.scaleCount() != model.scaleCount()) {
            throw new IllegalArgumentException("target scales " + Arrays.toString(target.scales()) + " have "
                    + targetLayout.scaleCount() + " entries; the gaze model has " + model.scaleCount() + " scales "
                    + Arrays.toString(model.scales()) + " and needs as many");
        }
        int last = model.scaleCount() - 1;
        int finest = targetLayout.grid(last);
        int tileGrid = model.grid(last);
        this.tilesDown = (finest + tileGrid - 1) / tileGrid;
        this.tilesAcross = tilesDown; // square inputs: the official code asserts H == W == the largest target scale
        this.tilePixels = tileGrid * target.patch();
        // the official skip rule: the same scales and per-scale token counts leave the input and output untouched
        boolean same = Arrays.equals(target.scales(), model.scales());
        for (int s = 0; s < model.scaleCount() && same; s++) {
            same = targetLayout.tokensOfScale(s) == model.tokensOfScale(s);
        }
        this.identity = same;
    }

    public ResolutionTarget target() {
        return target;
    }

    /** The layout the adapted gazes live in (the model's own when {@link #identity()}). */
    public ScaleLayout layout() {
        return identity ? model : targetLayout;
    }

    /** True when the official code skips adaptation for this target (it equals the model's own layout). */
    public boolean identity() {
        return identity;
    }

    /** Side of the square input: the largest target scale. */
    public int inputSize() {
        return target.inputSize();
    }

    /** Tiles per clip, row-major (the official {@code (b nh nw)} order within a clip). */
    public int tilesPerClip() {
        return tilesDown * tilesAcross;
    }

    /** Side of one tile in input pixels (before the model squashes it to its own input size). */
    public int tilePixels() {
        return tilePixels;
    }

    /** Zero rows (and columns) added at the bottom (right) so the tiles cover the input. */
    public int pad() {
        return tilesDown * tilePixels - inputSize();
    }

    /** One processed {@code inputSize x inputSize} clip as its tiles, in official order. */
    public List<PixelValues> tiles(PixelValues clip) {
        if (clip.height() != inputSize() || clip.width() != inputSize()) {
            throw new IllegalArgumentException("resolution adaptation to " + target + " needs " + inputSize() + "x"
                    + inputSize() + " input, got " + clip.width() + "x" + clip.height());
        }
        AnyResTiler.Tiles t = AnyResTiler.tile(clip.data(), clip.frames(), clip.height(), clip.width(), tilePixels,
                true);
        int per = clip.frames() * 3 * tilePixels * tilePixels;
        List<PixelValues> out = new ArrayList<>(tilesPerClip());
        for (int k = 0; k < tilesPerClip(); k++) {
            out.add(new PixelValues(clip.frames(), tilePixels, tilePixels,
                    Arrays.copyOfRange(t.data(), k * per, (k + 1) * per)));
        }
        return out;
    }

    /**
     * The target-layout result of {@code clips} clips from the gaze of their tiles ({@code clips * tilesPerClip()}
     * rows, clip-major): masks, then gazing_pos / if_padded_gazing / num_gazing_each_frame read from them as the
     * official recovery does (per frame ids ascending, rows padded to the batch's largest count with t*N - 1).
     * Confidences follow their cell (a tile cell lands on one target cell, so none is merged); the official code
     * drops them.
     */
    public GazeResult recover(GazeResult tiled, int clips) {
        GeneratedGaze g = tiled.gaze();
        int tiles = tilesPerClip();
        if (g.batchSize() != clips * tiles) {
            throw new IllegalArgumentException("tile gaze has " + g.batchSize() + " rows, expected " + clips + " clips x "
                    + tiles + " tiles");
        }
        int frames = g.frames();
        int scales = model.scaleCount();
        int n = targetLayout.tokensPerFrame();
        float[][] masks = new float[scales][];
        for (int s = 0; s < scales; s++) {
            int tg = model.grid(s);
            int big = targetLayout.grid(s);
            float[] tileMask = tiled.masks()[s];
            float[] out = masks[s] = new float[clips * frames * big * big];
            for (int row = 0; row < clips * tiles; row++) {
                int b = row / tiles;
                int r0 = (row % tiles) / tilesAcross * tg;
                int c0 = (row % tiles) % tilesAcross * tg;
                for (int t = 0; t < frames; t++) {
                    int src = (row * frames + t) * tg * tg;
                    int dst = (b * frames + t) * big * big;
                    for (int i = 0; i < tg * tg; i++) {
                        int r = r0 + i / tg;
                        int c = c0 + i % tg;
                        if (tileMask[src + i] != 0f && r < big && c < big) {
                            out[dst + r * big + c] = 1f;
                        }
                    }
                }
            }
        }
        float[][][] conf = g.confidence() == null ? null : tileConfidence(g, clips, frames);
        // per clip and frame: the gazed target ids, ascending (scales are concatenated coarse to fine)
        int[][][] ids = new int[clips][frames][];
        int[] num = new int[frames];
        for (int b = 0; b < clips; b++) {
            for (int t = 0; t < frames; t++) {
                int[] list = new int[n];
                int k = 0;
                for (int s = 0; s < scales; s++) {
                    int per = targetLayout.tokensOfScale(s);
                    for (int i = 0; i < per; i++) {
                        if (masks[s][(b * frames + t) * per + i] != 0f) {
                            list[k++] = targetLayout.offset(s) + i;
                        }
                    }
                }
                ids[b][t] = Arrays.copyOf(list, k);
                num[t] = Math.max(num[t], k);
            }
        }
        int total = Arrays.stream(num).sum();
        long[][] pos = new long[clips][total];
        boolean[][] padded = new boolean[clips][total];
        float[][] confidence = conf == null ? null : new float[clips][total];
        for (int b = 0; b < clips; b++) {
            int at = 0;
            for (int t = 0; t < frames; t++) {
                for (int i = 0; i < num[t]; i++, at++) {
                    boolean real = i < ids[b][t].length;
                    // the official pad value: get_gazing_pos_from_gazing_mask's -1 plus the frame offset
                    pos[b][at] = (long) t * n + (real ? ids[b][t][i] : -1);
                    padded[b][at] = !real;
                    if (confidence != null) {
                        confidence[b][at] = real ? conf[b][t][ids[b][t][i]] : 0f;
                    }
                }
            }
        }
        return new GazeResult(new GeneratedGaze(pos, padded, num, confidence, n), masks, tiled.timings());
    }

    /** [clip][frame][target id] confidence of each real tile gaze, placed on its target cell. */
    private float[][][] tileConfidence(GeneratedGaze g, int clips, int frames) {
        int tiles = tilesPerClip();
        int n = model.tokensPerFrame();
        float[][][] out = new float[clips][frames][targetLayout.tokensPerFrame()];
        for (int row = 0; row < g.batchSize(); row++) {
            int b = row / tiles;
            int tr = (row % tiles) / tilesAcross;
            int tc = (row % tiles) % tilesAcross;
            for (int i = 0; i < g.gazingPos()[row].length; i++) {
                if (g.padded()[row][i]) {
                    continue;
                }
                int t = (int) (g.gazingPos()[row][i] / n);
                int id = (int) (g.gazingPos()[row][i] % n);
                int s = model.scaleOf(id);
                int tg = model.grid(s);
                int big = targetLayout.grid(s);
                int r = tr * tg + (id - model.offset(s)) / tg;
                int c = tc * tg + (id - model.offset(s)) % tg;
                if (r < big && c < big) {
                    out[b][t][targetLayout.offset(s) + r * big + c] = g.confidence()[row][i];
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ResolutionAdapter[" + target + ", " + (identity ? "identity" : tilesDown + "x" + tilesAcross
                + " tiles of " + tilePixels + " px, pad " + pad()) + "]";
    }
}
