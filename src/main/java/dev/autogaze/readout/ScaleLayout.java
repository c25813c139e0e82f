package dev.autogaze.readout;

import java.util.Arrays;

/**
 * The multi-scale token layout of one AutoGaze frame: which ids belong to which scale grid.
 * Derived from config data (scales, patch size, tokens per frame) so no code assumes 265 or [2,4,7,14].
 */
public record ScaleLayout(int[] scales, int patchSize, int[] grids, int[] offsets, int tokensPerFrame) {

    public ScaleLayout {
        scales = scales.clone();
        grids = grids.clone();
        offsets = offsets.clone();
        if (grids.length != scales.length || offsets.length != scales.length) {
            throw new IllegalArgumentException("layout has " + scales.length + " scales but " + grids.length
                    + " grids and " + offsets.length + " offsets");
        }
        int total = 0;
        for (int i = 0; i < scales.length; i++) {
            if (grids[i] * patchSize != scales[i] || offsets[i] != total) {
                throw new IllegalArgumentException("layout scale " + scales[i] + " has grid " + grids[i] + " and offset "
                        + offsets[i] + "; expected grid " + scales[i] + "/" + patchSize + " and offset " + total
                        + " (use ScaleLayout.of to derive them)");
            }
            total += grids[i] * grids[i];
        }
        if (total != tokensPerFrame) {
            throw new IllegalArgumentException("layout grids hold " + total + " ids, not " + tokensPerFrame);
        }
    }

    /** The released nvidia/AutoGaze layout: scales 32+64+112+224, patch 16, 265 ids. */
    public static ScaleLayout released() {
        return of(new int[] {32, 64, 112, 224}, 16, 265);
    }

    /** Parses the `scales` string of config.json ("32+64+112+224"), sorted ascending as the model does. */
    public static ScaleLayout parse(String scales, int patchSize, int tokensPerFrame) {
        if (scales == null || scales.isBlank()) {
            throw new IllegalArgumentException("scales is empty");
        }
        String[] parts = scales.split("\\+");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scales '" + scales + "': '" + parts[i] + "' is not an integer");
            }
        }
        return of(values, patchSize, tokensPerFrame);
    }

    /**
     * Builds the layout as the model does: tokens per scale = int(s^2 / sum(s^2) * N); each must be a square
     * grid equal to (s / patch)^2, and they must add up to N, or the config is rejected with the reason.
     */
    public static ScaleLayout of(int[] scales, int patchSize, int tokensPerFrame) {
        if (scales.length == 0) {
            throw new IllegalArgumentException("scales is empty");
        }
        if (patchSize <= 0) {
            throw new IllegalArgumentException("patch size " + patchSize + " must be positive");
        }
        if (tokensPerFrame <= 0) {
            throw new IllegalArgumentException("num_vision_tokens_each_frame " + tokensPerFrame + " must be positive");
        }
        int[] sorted = scales.clone();
        Arrays.sort(sorted);
        long sumSquares = 0;
        for (int s : sorted) {
            if (s <= 0) {
                throw new IllegalArgumentException("scale " + s + " must be positive");
            }
            sumSquares += (long) s * s;
        }
        int[] grids = new int[sorted.length];
        int[] offsets = new int[sorted.length];
        int total = 0;
        for (int i = 0; i < sorted.length; i++) {
            int s = sorted[i];
            if (i > 0 && s == sorted[i - 1]) {
                throw new IllegalArgumentException("scale " + s + " appears twice in " + Arrays.toString(scales));
            }
            if (s % patchSize != 0) {
                throw new IllegalArgumentException("scale " + s + " is not divisible by patch size " + patchSize);
            }
            int grid = s / patchSize;
            // The model's own rule; it must agree with the grid or ids would not map to patches.
            int tokens = (int) ((double) s * s / sumSquares * tokensPerFrame);
            if (tokens != grid * grid) {
                throw new IllegalArgumentException("scale " + s + " gets " + tokens + " tokens from int(s^2/" + sumSquares
                        + "*" + tokensPerFrame + "), but its " + grid + "x" + grid + " grid has " + grid * grid
                        + "; num_vision_tokens_each_frame must equal the sum of (scale/patch)^2");
            }
            grids[i] = grid;
            offsets[i] = total;
            total += tokens;
        }
        if (total != tokensPerFrame) {
            throw new IllegalArgumentException("per-scale token counts add up to " + total
                    + ", not num_vision_tokens_each_frame " + tokensPerFrame);
        }
        return new ScaleLayout(sorted, patchSize, grids, offsets, tokensPerFrame);
    }

    /**
     * The layout of a downstream encoder's multi-scale tokens (resolution adaptation's target): grid (s / patch)^2
     * per scale, ids concatenated coarse to fine. Unlike {@link #of}, no model rule splits a token budget, so any
     * strictly ascending scales divisible by the patch are valid.
     */
    public static ScaleLayout target(int[] scales, int patchSize) {
        if (scales.length == 0) {
            throw new IllegalArgumentException("target scales are empty");
        }
        if (patchSize <= 0) {
            throw new IllegalArgumentException("target patch size " + patchSize + " must be positive");
        }
        int[] grids = new int[scales.length];
        int[] offsets = new int[scales.length];
        int total = 0;
        for (int i = 0; i < scales.length; i++) {
            if (scales[i] <= 0 || (i > 0 && scales[i] <= scales[i - 1])) {
                throw new IllegalArgumentException("target scales " + Arrays.toString(scales)
                        + " must be positive and strictly ascending");
            }
            if (scales[i] % patchSize != 0) {
                throw new IllegalArgumentException("target scale " + scales[i] + " is not divisible by target patch "
                        + patchSize);
            }
            grids[i] = scales[i] / patchSize;
            offsets[i] = total;
            total += grids[i] * grids[i];
        }
        return new ScaleLayout(scales, patchSize, grids, offsets, total);
    }

    public int scaleCount() {
        return grids.length;
    }

    /** Side of the model frame the ids live in (the largest scale, 224 for the released model). */
    public int frameSize() {
        return scales[scales.length - 1];
    }

    /** Tokens of scale s (grid squared). */
    public int tokensOfScale(int s) {
        return grids[s] * grids[s];
    }

    /** Grid side of scale s (scale / patch). */
    public int grid(int s) {
        return grids[s];
    }

    /** First per-frame id of scale s. */
    public int offset(int s) {
        return offsets[s];
    }

    /**
     * Cell (row, col) of scale s in model-frame pixels: x in [col·F/g, (col+1)·F/g). Each edge is one integer
     * division, so it is exact whenever F/g is a whole number (all released layouts).
     */
    public ReadoutRect cellRect(int s, int row, int col) {
        int g = grids[s];
        if (row < 0 || row >= g || col < 0 || col >= g) {
            throw new IllegalArgumentException("cell (" + row + ", " + col + ") is outside the " + g + "x" + g
                    + " grid of scale " + scales[s]);
        }
        double f = frameSize();
        return new ReadoutRect(col * f / g, row * f / g, (col + 1) * f / g, (row + 1) * f / g);
    }

    /** The pad / EOS id: N. */
    public int padId() {
        return tokensPerFrame;
    }

    /** Scale index of a per-frame id; rejects ids outside [0, N). */
    public int scaleOf(int id) {
        if (id < 0 || id >= tokensPerFrame) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, " + tokensPerFrame + ")");
        }
        int s = grids.length - 1;
        while (offsets[s] > id) {
            s--;
        }
        return s;
    }

    public int[] scales() {
        return scales.clone();
    }

    public int[] grids() {
        return grids.clone();
    }

    public int[] offsets() {
        return offsets.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaleLayout other && patchSize == other.patchSize && tokensPerFrame == other.tokensPerFrame
                && Arrays.equals(scales, other.scales);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scales) * 31 + patchSize * 7 + tokensPerFrame;
    }

    @Override
    public String toString() {
        return "ScaleLayout[scales=" + Arrays.toString(scales) + ", patch=" + patchSize + ", grids="
                + Arrays.toString(grids) + ", offsets=" + Arrays.toString(offsets) + ", N=" + tokensPerFrame + "]";
    }
}
